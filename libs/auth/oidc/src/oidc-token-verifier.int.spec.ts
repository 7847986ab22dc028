import { createSigningKey, mintJwt, nowSeconds, startJwksServer, type JwksServer } from '@serverless-orders/testing';
import { OidcTokenVerifier } from './oidc-token-verifier';

const rsa = createSigningKey('RS256', 'oidc-rsa');
const ec = createSigningKey('ES256', 'oidc-ec');

describe('OIDC adapter against a local JWKS', () => {
  let server: JwksServer;
  let issuer: string;
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: issuer,
    aud: 'orders-api',
    sub: 'user-1',
    exp: nowSeconds() + 600,
    iat: nowSeconds(),
    email: 'ana@example.com',
    groups: ['customers'],
    scope: 'orders/read orders/write',
    ...extra,
  });
  const verifier = (extra = {}) => new OidcTokenVerifier({ issuer, audiences: ['orders-api'], jwksTimeoutMs: 2_000, ...extra });

  beforeAll(async () => {
    server = await startJwksServer({ keys: [rsa, ec] });
    issuer = server.origin;
  });
  afterAll(() => server.close());

  it.each([rsa, ec])('accepts a valid token ($alg)', async (key) => {
    await expect(verifier().verify(mintJwt(key, claims()))).resolves.toEqual({
      ok: true,
      principal: {
        sub: 'user-1',
        username: undefined,
        email: 'ana@example.com',
        groups: ['customers'],
        token_use: undefined,
        scopes: ['orders/read', 'orders/write'],
        issuer,
      },
    });
  });

  it('reads groups from the configured claim', async () => {
    const result = await verifier({ groupsClaim: 'roles' }).verify(mintJwt(rsa, claims({ roles: ['cook'] })));
    expect(result.ok && result.principal.groups).toEqual(['cook']);
  });

  it.each([
    ['a wrong audience', () => claims({ aud: 'other' }), 'wrong-audience'],
    ['a wrong issuer', () => claims({ iss: 'https://evil.example.com' }), 'wrong-issuer'],
    ['an expired token', () => claims({ exp: nowSeconds() - 60 }), 'expired'],
    ['no exp', () => ({ ...claims(), exp: undefined }), 'malformed'],
    ['no sub', () => ({ ...claims(), sub: undefined }), 'missing-subject'],
  ])('refuses %s', async (_, payload, reason) => {
    await expect(verifier().verify(mintJwt(rsa, payload()))).resolves.toMatchObject({ ok: false, reason });
  });

  it('refuses a token without a required scope', async () => {
    const v = verifier({ requiredScopes: ['orders/admin'] });
    await expect(v.verify(mintJwt(rsa, claims()))).resolves.toMatchObject({ ok: false, reason: 'wrong-audience' });
  });

  it('refuses a token signed by an unknown key', async () => {
    await expect(verifier().verify(mintJwt(createSigningKey('RS256'), claims()))).resolves.toMatchObject({ ok: false, reason: 'unknown-key' });
  });

  it('reports an unreachable JWKS as verifier-unavailable', async () => {
    server.behave({ mode: 'down' });
    try {
      await expect(verifier().verify(mintJwt(rsa, claims()))).resolves.toMatchObject({ ok: false, reason: 'verifier-unavailable' });
    } finally {
      server.behave({ mode: 'up' });
    }
  });
});
