import { extractToken } from '@serverless-orders/auth-domain';
import { attackCatalogue, createSigningKey, mintJwt, nowSeconds, startJwksServer, type AttackContext, type JwksServer } from '@serverless-orders/testing';
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

  it.each([
    ['a crit header', () => mintJwt(rsa, claims(), { crit: ['https://example.com/ext'], 'https://example.com/ext': 1 }), 'critical-header'],
    ['iat 10 years in the future', () => mintJwt(rsa, claims({ iat: nowSeconds() + 315_360_000, exp: nowSeconds() + 315_363_600 })), 'not-yet-valid'],
    ['a 10-year lifetime', () => mintJwt(rsa, claims({ exp: nowSeconds() + 315_360_000 })), 'lifetime-too-long'],
    ['no iat and 10 years to live', () => mintJwt(rsa, { ...claims({ exp: nowSeconds() + 315_360_000 }), iat: undefined }), 'lifetime-too-long'],
  ])('refuses %s', async (_, token, reason) => {
    expect(await verifier().verify(token())).toMatchObject({ ok: false, reason });
  });

  it('applies maxTokenLifetimeSeconds, a day by default', async () => {
    const now = nowSeconds();
    expect(await verifier().verify(mintJwt(rsa, claims({ iat: now, exp: now + 86_400 })))).toMatchObject({ ok: true });
    expect(await verifier({ maxTokenLifetimeSeconds: 600 }).verify(mintJwt(rsa, claims({ iat: now, exp: now + 601 })))).toMatchObject({
      ok: false,
      reason: 'lifetime-too-long',
    });
  });

  it('answers without a promise once the keys are cached', async () => {
    const v = verifier();
    await expect(v.verify(mintJwt(rsa, claims()))).resolves.toMatchObject({ ok: true });
    const warm = v.verify(mintJwt(ec, claims({ sub: 'warm' })));
    expect(warm).not.toBeInstanceOf(Promise);
    expect(warm).toMatchObject({ ok: true, principal: { sub: 'warm' } });
  });

  describe('attack catalogue (every case not about Cognito claims or the request)', () => {
    const cases = attackCatalogue().filter((c) => c.only === undefined);
    it('has at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));

    it.each(cases.map((c) => [c.name, c] as const))('%s → refused', async (_, attack) => {
      const ctx: AttackContext = { issuer, clientId: 'orders-api', tokenUse: 'id', rsa, ec, jwks: server };
      if (attack.jwks) server.behave(attack.jwks);
      try {
        const extracted = extractToken(attack.header(ctx));
        const result = extracted.ok ? await verifier(attack.jwks ? { jwksTimeoutMs: 250 } : {}).verify(extracted.token) : extracted;
        expect(result).toMatchObject({ ok: false, reason: attack.expected });
      } finally {
        server.behave({ mode: 'up' });
      }
    });
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
