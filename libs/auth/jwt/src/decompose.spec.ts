import { createSigningKey, encodeJwt, mintJwt, nowSeconds } from '@serverless-orders/testing';
import { JwtParseError } from 'aws-jwt-verify/error';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { decomposeJwt } from './decompose';
import { TokenRefusedError } from './jwt-failure';

const key = createSigningKey('RS256', 'k1');
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const claims = { sub: 'u1', iss: 'https://issuer', aud: 'c', exp: nowSeconds() + 600, iat: nowSeconds(), scope: 'a b', jti: 'j' };

/** The outcome of a decomposition: the value, or the class of what was thrown. */
function outcome(decompose: (token: string) => unknown, token: string): { value: unknown } | { threw: string } {
  try {
    return { value: decompose(token) };
  } catch (error) {
    return { threw: (error as Error).constructor.name };
  }
}

describe('decomposeJwt: aws-jwt-verify decomposition, each segment decoded once', () => {
  it.each([
    ['a signed token', mintJwt(key, claims)],
    ['non-ASCII claims', mintJwt(key, { ...claims, name: 'José Ñúñez 🍕' })],
    ['an aud array', mintJwt(key, { ...claims, aud: ['a', 'b'] })],
    ['escaped and dangerous keys', mintJwt(key, { ...claims, nested: { __proto: 1, 'constructor ': 2 }, path: 'C:\\users' })],
  ])('gives exactly what decomposeUnverifiedJwt gives for %s', (_, token) => {
    expect(decomposeJwt(token)).toStrictEqual(decomposeUnverifiedJwt(token));
  });

  it.each([
    ['a header that is not JSON', `${b64('{alg')}.${b64(claims)}.AAAA`],
    ['a payload that is an array', `${b64({ alg: 'RS256' })}.${b64(['x'])}.AAAA`],
    ['exp as a string', encodeJwt({ alg: 'RS256' }, { ...claims, exp: 'soon' }, 'AAAA')],
    ['iat as a string', encodeJwt({ alg: 'RS256' }, { ...claims, iat: '0' }, 'AAAA')],
    ['nbf as null', encodeJwt({ alg: 'RS256' }, { ...claims, nbf: null }, 'AAAA')],
    ['sub as a number', encodeJwt({ alg: 'RS256' }, { ...claims, sub: 1 }, 'AAAA')],
    ['iss as an object', encodeJwt({ alg: 'RS256' }, { ...claims, iss: {} }, 'AAAA')],
    ['aud with a number', encodeJwt({ alg: 'RS256' }, { ...claims, aud: ['a', 1] }, 'AAAA')],
    ['scope as an array', encodeJwt({ alg: 'RS256' }, { ...claims, scope: ['a'] }, 'AAAA')],
    ['jti as a number', encodeJwt({ alg: 'RS256' }, { ...claims, jti: 1 }, 'AAAA')],
    ['alg as a number', encodeJwt({ alg: 256 }, claims, 'AAAA')],
    ['kid as an array', encodeJwt({ alg: 'RS256', kid: ['k'] }, claims, 'AAAA')],
  ])('refuses %s as the library does (JwtParseError)', (_, token) => {
    expect(() => decomposeUnverifiedJwt(token)).toThrow(JwtParseError);
    expect(() => decomposeJwt(token)).toThrow(JwtParseError);
  });

  it.each([
    ['padding', `${mintJwt(key, claims)}=`],
    ['standard base64 characters', mintJwt(key, claims).replace(/.$/, '+')],
    ['spare bits set', (() => {
      const token = mintJwt(key, claims);
      return token.slice(0, -1) + (token.endsWith('B') ? 'C' : 'B'); // 342 characters: the last one carries 4 spare bits
    })()],
  ])('is stricter than the library on the shape: refuses %s as malformed', (_, token) => {
    expect(() => decomposeJwt(token)).toThrow(expect.objectContaining({ reason: 'malformed' }));
  });

  it.each([
    ['naming an unknown extension', { alg: 'RS256', kid: 'k1', crit: ['https://example.com/ext'] }],
    ['naming a registered parameter', { alg: 'RS256', kid: 'k1', crit: ['exp'] }],
    ['naming b64 (RFC 7797)', { alg: 'RS256', kid: 'k1', b64: false, crit: ['b64'] }],
    ['as an empty list', { alg: 'RS256', kid: 'k1', crit: [] }],
    ['as a string', { alg: 'RS256', kid: 'k1', crit: 'x' }],
    ['as null', { alg: 'RS256', kid: 'k1', crit: null }],
  ])('refuses a signed token whose header has crit %s (RFC 7515 §4.1.11), every time', (_, header) => {
    const token = mintJwt(key, claims, header);
    expect(decomposeUnverifiedJwt(token).header).toHaveProperty('crit'); // the library would go on and verify it
    for (let i = 0; i < 2; i += 1) {
      expect(() => decomposeJwt(token)).toThrow(TokenRefusedError);
      expect(() => decomposeJwt(token)).toThrow(expect.objectContaining({ reason: 'critical-header' }));
    }
  });

  it('decodes a header shared by many tokens once, and shares it frozen', () => {
    const first = decomposeJwt(mintJwt(key, { ...claims, sub: 'a' }));
    const second = decomposeJwt(mintJwt(key, { ...claims, sub: 'b' }));
    expect(second.header).toBe(first.header);
    expect(Object.isFrozen(first.header)).toBe(true);
    expect(second.payload).toMatchObject({ sub: 'b' });
    const other = decomposeJwt(mintJwt(createSigningKey('RS256', 'k2'), claims));
    expect(other.header).toMatchObject({ kid: 'k2' });
    expect(decomposeJwt(mintJwt(key, claims)).header).toMatchObject({ kid: 'k1' });
  });

  it('never accepts what the library refuses, nor decomposes differently: 3,000 mutated tokens', () => {
    const originals = [mintJwt(key, claims), mintJwt(createSigningKey('ES256', 'e1'), { ...claims, groups: ['a'] })];
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %{}"';
    let seed = 5;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let agreed = 0;
    for (let i = 0; i < 3_000; i += 1) {
      let token = originals[i % originals.length];
      const at = Math.floor(random() * token.length);
      const c = ALPHABET[Math.floor(random() * ALPHABET.length)];
      token = random() < 0.5 ? token.slice(0, at) + c + token.slice(at + 1) : token.slice(0, at) + c + token.slice(at);
      const ours = outcome(decomposeJwt, token);
      const library = outcome(decomposeUnverifiedJwt, token);
      if ('value' in ours) {
        expect(library).toStrictEqual(ours);
        agreed += 1;
      }
    }
    expect(agreed).toBeGreaterThan(100); // the comparison did run on tokens both decompose
  });
});
