import { configFrom } from '@serverless-orders/config';
import { cognitoSettingsFrom } from './cognito-settings';
import { CognitoTokenVerifier } from './cognito-token-verifier';
import { JwksFetcher } from '@serverless-orders/auth-jwt';

const base = { COGNITO_USER_POOL_ID: 'eu-west-1_Abc123', COGNITO_CLIENT_ID: 'client-a, client-b' };

describe('cognitoSettingsFrom', () => {
  it('reads the published settings, with id tokens by default', () => {
    expect(cognitoSettingsFrom(configFrom(base))).toEqual({
      userPoolId: 'eu-west-1_Abc123',
      clientIds: ['client-a', 'client-b'],
      tokenUse: 'id',
      groups: [],
      issuer: undefined,
      jwksUri: undefined,
      jwksTimeoutMs: 3000,
      maxTokenLifetimeSeconds: 86_400,
    });
  });

  it('reads COGNITO_MAX_TOKEN_LIFETIME_SECONDS', () => {
    expect(cognitoSettingsFrom(configFrom({ ...base, COGNITO_MAX_TOKEN_LIFETIME_SECONDS: '3600' }))).toMatchObject({ maxTokenLifetimeSeconds: 3600 });
  });

  it('reads the overrides for a local identity provider', () => {
    const settings = cognitoSettingsFrom(
      configFrom({
        COGNITO_USER_POOL_ID: 'local_abc',
        COGNITO_CLIENT_ID: 'c',
        COGNITO_TOKEN_USE: 'access',
        COGNITO_GROUPS: 'admins,cooks',
        COGNITO_ISSUER: 'http://127.0.0.1:9229/local_abc',
        COGNITO_JWKS_URI: 'http://127.0.0.1:9229/local_abc/.well-known/jwks.json',
        AUTH_JWKS_TIMEOUT_MS: '500',
      }),
    );
    expect(settings).toMatchObject({ tokenUse: 'access', groups: ['admins', 'cooks'], issuer: 'http://127.0.0.1:9229/local_abc', jwksTimeoutMs: 500 });
  });

  it.each([
    [{ COGNITO_CLIENT_ID: 'c' }, 'COGNITO_USER_POOL_ID'],
    [{ COGNITO_USER_POOL_ID: 'eu-west-1_x' }, 'COGNITO_CLIENT_ID'],
    [{ ...base, COGNITO_USER_POOL_ID: 'local_pool' }, 'COGNITO_ISSUER'],
    [{ ...base, COGNITO_TOKEN_USE: 'refresh' }, 'COGNITO_TOKEN_USE'],
    [{ ...base, AUTH_JWKS_TIMEOUT_MS: 'soon' }, 'AUTH_JWKS_TIMEOUT_MS'],
    [{ ...base, COGNITO_MAX_TOKEN_LIFETIME_SECONDS: 'a day' }, 'COGNITO_MAX_TOKEN_LIFETIME_SECONDS'],
    [{ ...base, COGNITO_MAX_TOKEN_LIFETIME_SECONDS: '0' }, 'COGNITO_MAX_TOKEN_LIFETIME_SECONDS'],
    [{ ...base, COGNITO_MAX_TOKEN_LIFETIME_SECONDS: '-3600' }, 'COGNITO_MAX_TOKEN_LIFETIME_SECONDS'],
    [{ ...base, COGNITO_MAX_TOKEN_LIFETIME_SECONDS: '315360000' }, 'COGNITO_MAX_TOKEN_LIFETIME_SECONDS'],
  ])('fails naming the bad setting (%p)', (env, name) => {
    expect(() => cognitoSettingsFrom(configFrom(env))).toThrow(name);
  });
});

describe('COGNITO_JWKS_URI: where the keys come from must not drift from whose issuer is trusted', () => {
  it.each([
    'https://keys.example.com/eu-west-1_Abc123/.well-known/jwks.json',
    'https://cognito-idp.eu-west-1.amazonaws.com.example.com/jwks.json',
    'http://10.0.0.8/jwks.json',
    'http://127.0.0.1.example.com/jwks.json',
    'http://127.0.0.1@keys.example.com/jwks.json',
    'https://127.0.0.1/jwks.json',
    'not a url',
  ])('with an AWS pool id and no COGNITO_ISSUER, refuses %s at cold start, naming the setting', (uri) => {
    expect(() => cognitoSettingsFrom(configFrom({ ...base, COGNITO_JWKS_URI: uri }))).toThrow(/COGNITO_JWKS_URI.*COGNITO_ISSUER/);
  });

  it.each([
    'http://127.0.0.1:9229/eu-west-1_Abc123/.well-known/jwks.json',
    'http://localhost:9229/eu-west-1_Abc123/.well-known/jwks.json',
    'http://[::1]:9229/eu-west-1_Abc123/.well-known/jwks.json',
  ])('accepts an http loopback URL without COGNITO_ISSUER (the local stack): %s', (uri) => {
    expect(cognitoSettingsFrom(configFrom({ ...base, COGNITO_JWKS_URI: uri }))).toMatchObject({ issuer: undefined, jwksUri: uri });
  });

  it('accepts any URL together with COGNITO_ISSUER', () => {
    const env = {
      ...base,
      COGNITO_ISSUER: 'https://idp.example.com/eu-west-1_Abc123',
      COGNITO_JWKS_URI: 'https://keys.example.com/eu-west-1_Abc123/.well-known/jwks.json',
    };
    expect(cognitoSettingsFrom(configFrom(env))).toMatchObject({ issuer: env.COGNITO_ISSUER, jwksUri: env.COGNITO_JWKS_URI });
  });
});

describe('CognitoTokenVerifier construction', () => {
  it('refuses a pool id not in AWS form without an issuer', () => {
    expect(() => new CognitoTokenVerifier({ userPoolId: 'local_x', clientIds: ['c'], tokenUse: 'id', jwksTimeoutMs: 100 })).toThrow(
      'not in AWS form',
    );
  });
  it('refuses a maximum token lifetime that is not a positive number of seconds', () => {
    for (const maxTokenLifetimeSeconds of [0, -1, Number.NaN]) {
      expect(
        () => new CognitoTokenVerifier({ userPoolId: 'eu-west-1_x', clientIds: ['c'], tokenUse: 'id', jwksTimeoutMs: 100, maxTokenLifetimeSeconds }),
      ).toThrow('maximum token lifetime');
    }
  });
  it('refuses an empty client list', () => {
    expect(() => new CognitoTokenVerifier({ userPoolId: 'eu-west-1_x', clientIds: [], tokenUse: 'id', jwksTimeoutMs: 100 })).toThrow(
      'client id',
    );
  });
  it('refuses malformed tokens before any key download', async () => {
    const v = new CognitoTokenVerifier({
      userPoolId: 'eu-west-1_x',
      clientIds: ['c'],
      tokenUse: 'id',
      jwksUri: 'http://127.0.0.1:9/never',
      jwksTimeoutMs: 100,
    });
    expect(await v.verify('')).toMatchObject({ ok: false, reason: 'missing' });
    expect(await v.verify('a.b')).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe('JwksFetcher', () => {
  it('refuses other protocols and non-URLs', async () => {
    await expect(new JwksFetcher({ timeoutMs: 100 }).fetch('file:///etc/passwd')).rejects.toThrow('unsupported protocol');
    await expect(new JwksFetcher({ timeoutMs: 100 }).fetch('not a url')).rejects.toThrow('not a URL');
  });
});
