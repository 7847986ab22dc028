import { configFrom } from '@serverless-orders/config';
import { oidcSettingsFrom } from './oidc-settings';
import { OidcTokenVerifier } from './oidc-token-verifier';

describe('oidcSettingsFrom', () => {
  it('reads the published settings', () => {
    expect(
      oidcSettingsFrom(
        configFrom({ OIDC_ISSUER: 'https://idp.example.com', OIDC_AUDIENCE: 'api, web', OIDC_REQUIRED_SCOPES: 'orders/read orders/write' }),
      ),
    ).toEqual({
      issuer: 'https://idp.example.com',
      audiences: ['api', 'web'],
      jwksUri: undefined,
      groupsClaim: 'groups',
      requiredScopes: ['orders/read', 'orders/write'],
      jwksTimeoutMs: 3000,
      maxTokenLifetimeSeconds: 86_400,
    });
  });
  it('reads OIDC_MAX_TOKEN_LIFETIME_SECONDS', () => {
    const env = { OIDC_ISSUER: 'https://i', OIDC_AUDIENCE: 'a', OIDC_MAX_TOKEN_LIFETIME_SECONDS: '7200' };
    expect(oidcSettingsFrom(configFrom(env))).toMatchObject({ maxTokenLifetimeSeconds: 7200 });
  });
  it.each([
    [{ OIDC_AUDIENCE: 'a' }, 'OIDC_ISSUER'],
    [{ OIDC_ISSUER: 'https://i' }, 'OIDC_AUDIENCE'],
    [{ OIDC_ISSUER: 'https://i', OIDC_AUDIENCE: 'a', OIDC_MAX_TOKEN_LIFETIME_SECONDS: 'forever' }, 'OIDC_MAX_TOKEN_LIFETIME_SECONDS'],
    [{ OIDC_ISSUER: 'https://i', OIDC_AUDIENCE: 'a', OIDC_MAX_TOKEN_LIFETIME_SECONDS: '10' }, 'OIDC_MAX_TOKEN_LIFETIME_SECONDS'],
  ])('fails at start naming the missing or bad setting (%p)', (env, name) => expect(() => oidcSettingsFrom(configFrom(env))).toThrow(name));
});

describe('OidcTokenVerifier', () => {
  it('needs an audience', () => {
    expect(() => new OidcTokenVerifier({ issuer: 'https://i', audiences: [], jwksTimeoutMs: 100 })).toThrow('audience');
  });
  it('refuses malformed tokens before any key download', async () => {
    const v = new OidcTokenVerifier({ issuer: 'https://i', audiences: ['a'], jwksUri: 'http://127.0.0.1:9/none', jwksTimeoutMs: 100 });
    expect(await v.verify('x.y')).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
