import { extractToken, type VerificationResult } from '@serverless-orders/auth-domain';
import {
  attackCatalogue,
  cognitoClaims,
  createSigningKey,
  mintJwt,
  nowSeconds,
  startJwksServer,
  validToken,
  type AttackContext,
  type JwksServer,
} from '@serverless-orders/testing';
import { CognitoTokenVerifier, type CognitoSettings } from './cognito-token-verifier';

const CLIENT_ID = 'test-client-1';
const rsa = createSigningKey('RS256', 'rsa-1');
const ec = createSigningKey('ES256', 'ec-1');

async function viaHeader(verifier: CognitoTokenVerifier, header: string | undefined): Promise<VerificationResult> {
  const extracted = extractToken(header);
  return extracted.ok ? verifier.verify(extracted.token) : extracted;
}

/** Two ways the adapter runs: against real Cognito's issuer (keys from a local URL), and against a local identity provider. */
const modes = [
  {
    mode: 'AWS pool id, CognitoJwtVerifier, JWKS URI overridden',
    poolId: 'eu-west-1_TestPool',
    settings: (server: JwksServer): Omit<CognitoSettings, 'tokenUse'> => ({
      userPoolId: 'eu-west-1_TestPool',
      clientIds: [CLIENT_ID],
      jwksUri: server.jwksUri,
      jwksTimeoutMs: 2_000,
    }),
    issuer: () => 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool',
  },
  {
    mode: 'local identity provider (http issuer, pool id not in AWS form)',
    poolId: 'local_TestPool',
    settings: (server: JwksServer): Omit<CognitoSettings, 'tokenUse'> => ({
      userPoolId: 'local_TestPool',
      clientIds: [CLIENT_ID],
      issuer: `${server.origin}/local_TestPool`,
      jwksTimeoutMs: 2_000,
    }),
    issuer: (server: JwksServer) => `${server.origin}/local_TestPool`,
  },
];

describe.each(modes)('Cognito adapter: $mode', ({ poolId, settings, issuer }) => {
  let server: JwksServer;
  let ctx: AttackContext;
  const verifier = (extra: Partial<CognitoSettings> = {}) =>
    new CognitoTokenVerifier({ ...settings(server), tokenUse: 'id', ...extra });

  beforeAll(async () => {
    server = await startJwksServer({ keys: [rsa, ec], path: `/${poolId}/.well-known/jwks.json` });
    ctx = { issuer: issuer(server), clientId: CLIENT_ID, tokenUse: 'id', rsa, ec, jwks: server };
  });
  afterAll(() => server.close());
  afterEach(() => {
    server.behave({ mode: 'up' });
    server.setKeys([rsa, ec]);
  });

  it.each(['RS256', 'ES256'] as const)('accepts a valid %s ID token and names the principal', async (alg) => {
    const token = validToken(ctx, { sub: 'user-42', email: 'ana@example.com' }, alg === 'RS256' ? rsa : ec);
    expect(await verifier().verify(token)).toEqual({
      ok: true,
      principal: {
        sub: 'user-42',
        username: 'ana',
        email: 'ana@example.com',
        groups: ['customers'],
        token_use: 'id',
        scopes: [],
        issuer: ctx.issuer,
      },
    });
  });

  it('accepts an access token when configured for access tokens', async () => {
    const token = mintJwt(rsa, cognitoClaims({ issuer: ctx.issuer, clientId: CLIENT_ID, tokenUse: 'access', sub: 'u1' }));
    expect(await verifier({ tokenUse: 'access' }).verify(token)).toMatchObject({
      ok: true,
      principal: { sub: 'u1', token_use: 'access', scopes: ['aws.cognito.signin.user.admin'] },
    });
  });

  it('accepts any of several client ids', async () => {
    const token = validToken({ ...ctx, clientId: 'second-client' });
    expect(await verifier({ clientIds: [CLIENT_ID, 'second-client'] }).verify(token)).toMatchObject({ ok: true });
  });

  it('hands on the payload claims unchanged: times as epoch numbers, groups as an array (a gateway renders them)', async () => {
    const result = await verifier().verifyClaims(validToken(ctx, { sub: 'u7', 'cognito:groups': ['a', 'b'] }));
    expect(result.ok && result.claims).toMatchObject({ sub: 'u7', aud: CLIENT_ID, token_use: 'id', 'cognito:groups': ['a', 'b'] });
    for (const name of ['exp', 'iat', 'auth_time']) expect(result.ok && typeof result.claims[name]).toBe('number');
  });

  it('requires one of the configured groups', async () => {
    const v = verifier({ groups: ['admins'] });
    expect(await v.verify(validToken(ctx))).toMatchObject({ ok: false, reason: 'not-in-group' });
    expect(await v.verify(validToken(ctx, { 'cognito:groups': ['admins'] }))).toMatchObject({ ok: true });
  });

  it('fetches the JWKS once per cold start', async () => {
    const before = server.requests;
    const v = verifier();
    for (let i = 0; i < 20; i += 1) expect(await v.verify(validToken(ctx, { sub: `u${i}` }))).toMatchObject({ ok: true });
    expect(server.requests - before).toBe(1);
  });

  it('picks up a key rotated in after start (new kid → one refetch)', async () => {
    const v = verifier();
    expect(await v.verify(validToken(ctx))).toMatchObject({ ok: true });
    const rotated = createSigningKey('RS256', `rsa-rotated-${poolId}`);
    server.setKeys([rotated, rsa, ec]);
    const before = server.requests;
    expect(await v.verify(validToken(ctx, {}, rotated))).toMatchObject({ ok: true });
    expect(await v.verify(validToken(ctx, {}, rotated))).toMatchObject({ ok: true });
    expect(server.requests - before).toBe(1);
  });

  it('refuses a token claiming the rotated-in kid but signed by another key', async () => {
    const v = verifier();
    const rotated = createSigningKey('RS256', `rsa-rotated-2-${poolId}`);
    server.setKeys([rotated, rsa, ec]);
    const forged = mintJwt(createSigningKey('RS256'), cognitoClaims({ issuer: ctx.issuer, clientId: CLIENT_ID, tokenUse: 'id' }), {
      kid: rotated.kid,
    });
    expect(await v.verify(forged)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('does not hammer the JWKS with unknown key ids', async () => {
    const v = verifier();
    await v.verify(validToken(ctx));
    const before = server.requests;
    const stranger = createSigningKey('ES256');
    for (let i = 0; i < 10; i += 1) {
      expect(await v.verify(mintJwt(stranger, cognitoClaims({ issuer: ctx.issuer, clientId: CLIENT_ID, tokenUse: 'id' })))).toMatchObject({
        ok: false,
        reason: 'unknown-key',
      });
    }
    expect(server.requests - before).toBe(1);
  });

  it('recovers once the JWKS endpoint is back', async () => {
    const v = verifier();
    server.behave({ mode: 'down' });
    expect(await v.verify(validToken(ctx))).toMatchObject({ ok: false, reason: 'verifier-unavailable' });
    server.behave({ mode: 'up' });
    expect(await v.verify(validToken(ctx))).toMatchObject({ ok: true });
  });

  it('answers without a promise once the keys are cached', async () => {
    const v = verifier();
    const first = v.verify(validToken(ctx, { sub: 'cold' }));
    expect(first).toBeInstanceOf(Promise);
    await expect(first).resolves.toMatchObject({ ok: true });
    const warm = v.verify(validToken(ctx, { sub: 'warm' }));
    expect(warm).not.toBeInstanceOf(Promise);
    expect(warm).toMatchObject({ ok: true, principal: { sub: 'warm' } });
    expect(v.verifyClaims(validToken(ctx, { sub: 'claims' }))).toMatchObject({ ok: true, claims: { sub: 'claims' } });
  });

  it('accepts the longest token Cognito issues (a day) and an iat within the clock skew', async () => {
    const v = verifier();
    const now = nowSeconds();
    expect(await v.verify(validToken(ctx, { iat: now, exp: now + 86_400 }))).toMatchObject({ ok: true });
    expect(await v.verify(validToken(ctx, { iat: now + 30, exp: now + 3600 }))).toMatchObject({ ok: true });
  });

  it('applies maxTokenLifetimeSeconds', async () => {
    const v = verifier({ maxTokenLifetimeSeconds: 3600 });
    const now = nowSeconds();
    expect(await v.verify(validToken(ctx, { iat: now, exp: now + 3600 }))).toMatchObject({ ok: true });
    expect(await v.verify(validToken(ctx, { iat: now, exp: now + 7200 }))).toMatchObject({ ok: false, reason: 'lifetime-too-long' });
  });

  describe('attack catalogue', () => {
    // Every case but those about the request (a header sent twice): a verifier is handed one token.
    const cases = attackCatalogue().filter((c) => c.only !== 'handler');
    it('has at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));

    it.each(cases.map((c) => [c.name, c] as const))('%s → refused', async (_, attack) => {
      if (attack.jwks) server.behave(attack.jwks);
      const started = Date.now();
      // A short download budget where the endpoint misbehaves; a generous one elsewhere.
      const result = await viaHeader(verifier(attack.jwks ? { jwksTimeoutMs: 250 } : {}), attack.header(ctx));
      expect(result).toMatchObject({ ok: false, reason: attack.expected });
      expect(Date.now() - started).toBeLessThan(1_500);
    });
  });
});
