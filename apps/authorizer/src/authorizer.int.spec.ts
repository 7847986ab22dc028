import { verify } from 'node:crypto';
import { seededRandom } from '@serverless-orders/adapters-simulated-providers';
import { extractToken } from '@serverless-orders/auth-domain';
import { createObservability, type Observability } from '@serverless-orders/platform-lambda';
import {
  attackCatalogue,
  authorizerEvent,
  createSigningKey,
  mintJwt,
  nowSeconds,
  startJwksServer,
  validToken,
  type AttackContext,
  type JwksServer,
} from '@serverless-orders/testing';
import { createAuthorizerHandler, type AuthorizerHandler } from './authorizer';

// The handler itself (in process, real tokens, real JWKS on loopback): the attack catalogue,
// a fuzz of mutated tokens, and the same handler code serving every scheme.
const POOL = 'eu-west-1_TestPool';
const CLIENT_ID = 'orders-web';
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
const rsa = createSigningKey('RS256', 'rsa-1');
const ec = createSigningKey('ES256', 'ec-1');

let server: JwksServer;
let ctx: AttackContext;
const cognitoEnv = (extra: Record<string, string> = {}) => ({
  AUTH_SCHEME: 'cognito',
  COGNITO_USER_POOL_ID: POOL,
  COGNITO_CLIENT_ID: CLIENT_ID,
  COGNITO_JWKS_URI: server.jwksUri,
  AUTH_JWKS_TIMEOUT_MS: '2000',
  ...extra,
});

/** A real Powertools logger whose denials are recorded instead of printed. */
function quietObservability() {
  const obs: Observability = createObservability('authorizer-test');
  const lines: Array<{ level: string; message: string; fields: unknown }> = [];
  for (const level of ['info', 'warn', 'error'] as const) {
    jest.spyOn(obs.logger, level).mockImplementation(((message: string, fields: unknown) => {
      lines.push({ level, message, fields });
    }) as never);
  }
  return { obs, lines };
}

async function outcome(handler: AuthorizerHandler, header: string | undefined, repeated?: ReadonlyArray<readonly [string, string]>) {
  try {
    return { allowed: await handler(authorizerEvent(header, { repeated })) };
  } catch (error) {
    return { error };
  }
}

beforeAll(async () => {
  server = await startJwksServer({ keys: [rsa, ec], path: `/${POOL}/.well-known/jwks.json` });
  ctx = { issuer: ISSUER, clientId: CLIENT_ID, tokenUse: 'id', rsa, ec, jwks: server };
});
afterAll(() => server.close());
afterEach(() => {
  server.behave({ mode: 'up' });
  server.setKeys([rsa, ec]);
});

describe('Cognito scheme', () => {
  it.each([rsa, ec])('allows a valid $alg ID token on the whole stage', async (key) => {
    const handler = createAuthorizerHandler(cognitoEnv(), quietObservability().obs);
    const token = validToken(ctx, { sub: 'user-9', email: 'bo@example.com', 'cognito:groups': ['customers', 'vip'] }, key);
    await expect(handler(authorizerEvent(`Bearer ${token}`))).resolves.toEqual({
      principalId: 'user-9',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/*/*' }],
      },
      context: { sub: 'user-9', email: 'bo@example.com', groups: 'customers,vip', token_use: 'id' },
    });
  });

  describe('attack catalogue through the handler', () => {
    it.each(attackCatalogue().map((c) => [c.name, c] as const))('%s → Unauthorized', async (_, attack) => {
      if (attack.jwks) server.behave(attack.jwks);
      const { obs, lines } = quietObservability();
      const handler = createAuthorizerHandler(cognitoEnv(attack.jwks ? { AUTH_JWKS_TIMEOUT_MS: '250' } : {}), obs);
      const header = attack.header(ctx);
      const repeated = header === undefined ? undefined : attack.repeated?.(ctx, header);
      const result = await outcome(handler, header, repeated);
      expect(result).toEqual({ error: new Error('Unauthorized') });
      expect(lines.filter((l) => l.message === 'denied').map((l) => l.fields)).toEqual([expect.objectContaining({ reason: attack.expected })]);
      for (const value of [header, ...(repeated ?? []).map(([, v]) => v)]) {
        const token = value === undefined ? undefined : extractToken(value);
        if (token?.ok) expect(JSON.stringify(lines)).not.toContain(token.token);
      }
    });

    it('allows each request-level case\'s first value when it is sent alone (the refusal is about the repetition)', async () => {
      const handler = createAuthorizerHandler(cognitoEnv(), quietObservability().obs);
      for (const attack of attackCatalogue().filter((c) => c.only === 'handler')) {
        await expect(handler(authorizerEvent(attack.header(ctx)))).resolves.toMatchObject({ policyDocument: { Statement: [{ Effect: 'Allow' }] } });
      }
    });
  });

  // Rotation is a sequence (allowed, rotated, allowed again), not one refused header, so it
  // runs here beside the catalogue rather than in it: one handler, one cold start, keys
  // changing underneath it.
  describe('key rotation through the handler (a new kid served after start)', () => {
    const keyA = createSigningKey('RS256', 'rotation-a');
    const keyB = createSigningKey('ES256', 'rotation-b');
    const neverServed = createSigningKey('RS256', 'rotation-never-served');

    it('allows kid A, then kid B once the JWKS rotates to it (one refetch), and refuses a kid never served with 401', async () => {
      server.setKeys([keyA]);
      const { obs, lines } = quietObservability();
      const handler = createAuthorizerHandler(cognitoEnv(), obs);
      const start = server.requests;

      await expect(handler(authorizerEvent(`Bearer ${validToken(ctx, { sub: 'before-rotation' }, keyA)}`))).resolves.toMatchObject({
        principalId: 'before-rotation',
        policyDocument: { Statement: [{ Effect: 'Allow' }] },
      });
      expect(server.requests - start).toBe(1); // the cold start's download

      server.setKeys([keyB]); // A retired, B in: the handler's cached JWKS knows only A
      for (const sub of ['after-rotation-1', 'after-rotation-2']) {
        await expect(handler(authorizerEvent(`Bearer ${validToken(ctx, { sub }, keyB)}`))).resolves.toMatchObject({
          principalId: sub,
          policyDocument: { Statement: [{ Effect: 'Allow' }] },
        });
      }
      expect(server.requests - start).toBe(2); // the unknown kid B: one refetch, then cached

      const stranger = validToken(ctx, { sub: 'intruder' }, neverServed);
      const refused = await outcome(handler, `Bearer ${stranger}`);
      expect(refused).toEqual({ error: new Error('Unauthorized') });
      expect(lines.filter((l) => l.message === 'denied').map((l) => l.fields)).toEqual([expect.objectContaining({ reason: 'unknown-key' })]);
      expect(JSON.stringify(lines)).not.toContain(stranger);

      // The rotated-in key still works after the refusal.
      await expect(handler(authorizerEvent(`Bearer ${validToken(ctx, { sub: 'still-in' }, keyB)}`))).resolves.toMatchObject({
        principalId: 'still-in',
      });
    });
  });
});

describe('fuzz: mutated valid tokens', () => {
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \t%"{}\\\u00e9\u0000\u2028';

  it('10,000 mutations: 0 allowed, 0 unhandled errors, in bounded time', async () => {
    const { obs } = quietObservability();
    const handler = createAuthorizerHandler(cognitoEnv(), obs);
    const originals = [
      validToken(ctx, { sub: 'fuzz-1' }),
      validToken(ctx, { sub: 'fuzz-2', 'cognito:groups': ['a', 'b'] }, ec),
      mintJwt(rsa, { sub: 'fuzz-3', iss: ISSUER, aud: CLIENT_ID, token_use: 'id', exp: nowSeconds() + 600 }),
    ];
    for (const token of originals) await expect(handler(authorizerEvent(token))).resolves.toBeDefined(); // warm: JWKS cached
    // The catalogue's tokens that a trusted key signed exactly as they are (a crit header, a
    // 10-year lifetime, a wrong audience, …) join the seeds: a mutation of a token refused for
    // what it says must never come out allowed either. Tokens built from pieces of a valid one
    // (a kept signature, a stray character, extra segments) stay out: a mutation could put the
    // valid token back together, which would be no attack. (Those of a misbehaving JWKS are
    // valid tokens, and a request-level case is one valid token sent twice: out too.)
    const signedAsTheyAre = (token: string) => {
      const [h, p, sig] = token.split('.');
      const data = Buffer.from(`${h}.${p}`);
      const signature = Buffer.from(sig ?? '', 'base64url');
      try {
        return verify('sha256', data, rsa.publicKey, signature) || verify('sha256', data, { key: ec.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
      } catch {
        return false;
      }
    };
    const refusedSeeds = attackCatalogue()
      .filter((c) => c.jwks === undefined && c.only !== 'handler')
      .map((c) => extractToken(c.header(ctx)))
      .flatMap((t) => (t.ok && signedAsTheyAre(t.token) ? [t.token] : []));
    expect(refusedSeeds.length).toBeGreaterThanOrEqual(15);
    const seeds = [...originals, ...refusedSeeds];

    // Seeded: the same mutations on every run, so a failure replays.
    const rnd = seededRandom(20261127);
    const pick = <T>(items: ArrayLike<T>): T => items[Math.floor(rnd() * items.length)];
    const mutate = (token: string): string => {
      let t = token;
      const rounds = 1 + Math.floor(rnd() * 3);
      for (let r = 0; r < rounds; r += 1) {
        const i = Math.floor(rnd() * Math.max(t.length, 1));
        const segs = t.split('.');
        switch (Math.floor(rnd() * 10)) {
          case 0: // replace one character
            t = t.slice(0, i) + pick(ALPHABET) + t.slice(i + 1);
            break;
          case 1: // delete one character
            t = t.slice(0, i) + t.slice(i + 1);
            break;
          case 2: // insert one character
            t = t.slice(0, i) + pick(ALPHABET) + t.slice(i);
            break;
          case 3: // truncate
            t = t.slice(0, i);
            break;
          case 4: // swap two segments
            if (segs.length > 1) {
              const [a, b] = [Math.floor(rnd() * segs.length), Math.floor(rnd() * segs.length)];
              [segs[a], segs[b]] = [segs[b], segs[a]];
              t = segs.join('.');
            }
            break;
          case 5: // graft a segment of another token
            segs[Math.floor(rnd() * segs.length)] = pick(pick(seeds).split('.'));
            t = segs.join('.');
            break;
          case 6: // duplicate or drop a segment
            t = rnd() < 0.5 ? `${t}.${pick(segs)}` : segs.filter((_, k) => k !== Math.floor(rnd() * segs.length)).join('.');
            break;
          case 7: // flip the case of one character
            t = t.slice(0, i) + (t[i] === t[i]?.toUpperCase() ? t[i]?.toLowerCase() : t[i]?.toUpperCase()) + t.slice(i + 1);
            break;
          case 8: {
            // flip one bit of a decoded segment and re-encode it
            const k = Math.floor(rnd() * segs.length);
            const bytes = Buffer.from(segs[k] ?? '', 'base64url');
            if (bytes.length > 0) {
              bytes[Math.floor(rnd() * bytes.length)] ^= 1 << Math.floor(rnd() * 8);
              segs[k] = bytes.toString('base64url');
              t = segs.join('.');
            }
            break;
          }
          default: // the last character of the signature (spare bits)
            t = t.slice(0, -1) + pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
        }
      }
      return rnd() < 0.5 ? `Bearer ${t}` : t;
    };

    const valid = new Set(originals);
    let cases = 0;
    let allowed = 0;
    const unexpected: string[] = [];
    const started = Date.now();
    while (cases < 10_000) {
      const header = mutate(pick(seeds));
      const extracted = extractToken(header);
      if (extracted.ok && valid.has(extracted.token)) continue; // the mutation undid itself: not an attack
      cases += 1;
      const result = await outcome(handler, header);
      if ('allowed' in result) allowed += 1;
      else if (!(result.error instanceof Error) || result.error.message !== 'Unauthorized') unexpected.push(String(result.error));
    }
    const elapsed = Date.now() - started;
    expect({ cases, allowed, unexpected }).toEqual({ cases: 10_000, allowed: 0, unexpected: [] });
    expect(elapsed).toBeLessThan(15_000);
  });
});

describe('the same handler serves every scheme', () => {
  it('OIDC issuer with a JWKS', async () => {
    const handler = createAuthorizerHandler(
      { AUTH_SCHEME: 'oidc', OIDC_ISSUER: 'https://idp.example.com', OIDC_AUDIENCE: 'orders-api', OIDC_JWKS_URI: server.jwksUri },
      quietObservability().obs,
    );
    const token = mintJwt(rsa, { iss: 'https://idp.example.com', aud: 'orders-api', sub: 'o-1', exp: nowSeconds() + 60, groups: ['g'] });
    await expect(handler(authorizerEvent(`Bearer ${token}`))).resolves.toMatchObject({
      principalId: 'o-1',
      context: { sub: 'o-1', groups: 'g', email: '', token_use: '' },
    });
    await expect(handler(authorizerEvent(`Bearer ${validToken(ctx)}`))).rejects.toThrow(new Error('Unauthorized'));
  });

  it('a local identity provider (http issuer, pool id not in AWS form)', async () => {
    const local = await startJwksServer({ keys: [rsa], path: '/local_Pool1/.well-known/jwks.json' });
    try {
      const issuer = `${local.origin}/local_Pool1`;
      const handler = createAuthorizerHandler(
        { AUTH_SCHEME: 'cognito', COGNITO_USER_POOL_ID: 'local_Pool1', COGNITO_CLIENT_ID: CLIENT_ID, COGNITO_ISSUER: issuer },
        quietObservability().obs,
      );
      await expect(handler(authorizerEvent(validToken({ ...ctx, issuer }, { sub: 'local-1' })))).resolves.toMatchObject({ principalId: 'local-1' });
      await expect(handler(authorizerEvent(validToken(ctx)))).rejects.toThrow(new Error('Unauthorized'));
    } finally {
      await local.close();
    }
  });
});
