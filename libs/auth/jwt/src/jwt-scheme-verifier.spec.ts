import { createSigningKey, jwksOf, mintJwt, nowSeconds, type SigningKey } from '@serverless-orders/testing';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { JwtSchemeVerifier, schemeChecks } from './jwt-scheme-verifier';
import { verifyPayload } from './verify-payload';

const ISSUER = 'https://idp.example.com';
const rsa = createSigningKey('RS256', 'scheme-rsa');
const rotated = createSigningKey('ES256', 'scheme-rotated');

/** A verifier whose JWKS download is a counted function returning the keys served now. */
function verifierServing(initial: SigningKey[], maxTokenLifetimeSeconds = 86_400) {
  let served = initial;
  let downloads = 0;
  const fetcher = {
    fetch: async () => {
      downloads += 1;
      return new TextEncoder().encode(JSON.stringify(jwksOf(...served))).buffer as ArrayBuffer;
    },
  };
  const verifier = new JwtSchemeVerifier(
    [{ issuer: ISSUER, audience: 'api', jwksUri: `${ISSUER}/jwks`, customJwtCheck: schemeChecks({ maxTokenLifetimeSeconds }) }],
    new SimpleJwksCache({ fetcher }),
  );
  return {
    verifier,
    serve: (keys: SigningKey[]) => (served = keys),
    get downloads() {
      return downloads;
    },
  };
}

const claims = (extra: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: 'api', sub: 'u1', iat: nowSeconds(), exp: nowSeconds() + 600, ...extra });

describe('JwtSchemeVerifier', () => {
  it('downloads the keys on first use (a promise), then answers directly from the cache', async () => {
    const jwks = verifierServing([rsa]);
    const first = jwks.verifier.verifyToken(mintJwt(rsa, claims()));
    expect(first).toBeInstanceOf(Promise);
    await expect(first).resolves.toMatchObject({ sub: 'u1' });
    const second = jwks.verifier.verifyToken(mintJwt(rsa, claims({ sub: 'u2' })));
    expect(second).not.toBeInstanceOf(Promise);
    expect(second).toMatchObject({ sub: 'u2' });
    expect(jwks.downloads).toBe(1);
  });

  it('takes the library\'s download path for a kid the cached keys do not have (key rotation)', async () => {
    const jwks = verifierServing([rsa]);
    await jwks.verifier.verifyToken(mintJwt(rsa, claims()));
    jwks.serve([rsa, rotated]);
    const result = jwks.verifier.verifyToken(mintJwt(rotated, claims({ sub: 'rotated' })));
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toMatchObject({ sub: 'rotated' });
    expect(jwks.verifier.verifyToken(mintJwt(rotated, claims()))).not.toBeInstanceOf(Promise);
    expect(jwks.downloads).toBe(2);
  });

  it('refuses on the direct path exactly what it refuses on the download path', async () => {
    const bad = [
      ['a forged signature', mintJwt(createSigningKey('RS256', 'scheme-rsa'), claims()), 'bad-signature'],
      ['an expired token', mintJwt(rsa, claims({ exp: nowSeconds() - 5 })), 'expired'],
      ['another audience', mintJwt(rsa, claims({ aud: 'other' })), 'wrong-audience'],
      ['another issuer', mintJwt(rsa, claims({ iss: 'https://evil.example.com' })), 'wrong-issuer'],
      ['no exp', mintJwt(rsa, { iss: ISSUER, aud: 'api', sub: 'u1' }), 'malformed'],
      ['iat 10 years ahead', mintJwt(rsa, claims({ iat: nowSeconds() + 315_360_000, exp: nowSeconds() + 315_360_600 })), 'not-yet-valid'],
      ['a 10-year lifetime', mintJwt(rsa, claims({ exp: nowSeconds() + 315_360_000 })), 'lifetime-too-long'],
      ['a crit header', mintJwt(rsa, claims(), { crit: ['x'] }), 'critical-header'],
    ] as const;
    const cold = verifierServing([rsa]);
    const warm = verifierServing([rsa]);
    await warm.verifier.verifyToken(mintJwt(rsa, claims()));
    for (const [name, token, reason] of bad) {
      const fromCold = await verifyPayload(cold.verifier, token);
      const fromWarm = verifyPayload(warm.verifier, token);
      expect(fromWarm).not.toBeInstanceOf(Promise);
      expect([name, fromWarm]).toEqual([name, expect.objectContaining({ ok: false, reason })]);
      expect([name, fromCold]).toEqual([name, expect.objectContaining({ ok: false, reason })]);
    }
  });

  it('refuses a crit header before downloading any key', async () => {
    const jwks = verifierServing([rsa]);
    expect(verifyPayload(jwks.verifier, mintJwt(rsa, claims(), { crit: ['exp'] }))).toMatchObject({ ok: false, reason: 'critical-header' });
    expect(jwks.downloads).toBe(0);
  });

  it('applies the configured maximum lifetime', async () => {
    const jwks = verifierServing([rsa], 3600);
    expect(await verifyPayload(jwks.verifier, mintJwt(rsa, claims({ exp: nowSeconds() + 3600 })))).toMatchObject({ ok: true });
    expect(await verifyPayload(jwks.verifier, mintJwt(rsa, claims({ exp: nowSeconds() + 3601 })))).toMatchObject({
      ok: false,
      reason: 'lifetime-too-long',
    });
  });
});

describe('schemeChecks', () => {
  it('refuses a maximum lifetime that is not a positive number', () => {
    for (const maxTokenLifetimeSeconds of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => schemeChecks({ maxTokenLifetimeSeconds })).toThrow('maximum token lifetime');
    }
  });

  it('runs the scheme\'s own checks last, only for a token that passed the common ones', () => {
    const seen: unknown[] = [];
    const check = schemeChecks({ maxTokenLifetimeSeconds: 600, then: (payload) => seen.push(payload.sub) });
    expect(() => check({ payload: { sub: 'late', iat: nowSeconds(), exp: nowSeconds() + 6000 } })).toThrow(expect.objectContaining({ reason: 'lifetime-too-long' }));
    check({ payload: { sub: 'fine', iat: nowSeconds(), exp: nowSeconds() + 60 } });
    expect(seen).toEqual(['fine']);
  });
});
