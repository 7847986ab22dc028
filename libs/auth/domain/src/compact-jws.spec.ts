import { compactJwsShapeProblem, isCanonicalBase64url } from './compact-jws';

const b64 = (s: string) => Buffer.from(s).toString('base64url');
const good = `${b64('{"alg":"RS256"}')}.${b64('{"sub":"x"}')}.${Buffer.alloc(256, 7).toString('base64url')}`;

describe('compactJwsShapeProblem', () => {
  it('accepts three canonical segments', () => expect(compactJwsShapeProblem(good)).toBeUndefined());
  it.each([
    ['two segments', good.split('.').slice(0, 2).join('.')],
    ['four segments', `${good}.x`],
    ['five segments (JWE)', `${good}.x.y`],
    ['an empty signature', good.replace(/\.[^.]*$/, '.')],
    ['an empty header', good.replace(/^[^.]*/, '')],
    ['padding', `${good}==`],
    ['standard base64 characters', good.replace(/.$/, '+')],
    ['a stray character', good.replace('.', '!.')],
    ['whitespace', good.replace('.', ' .')],
    ['spare bits set in the last character', good.slice(0, -1) + String.fromCharCode(good.charCodeAt(good.length - 1) + 1)],
    ['a segment of 4n+1 characters', `${good}AAA`],
  ])('refuses %s', (_, token) => expect(compactJwsShapeProblem(token)).toMatchObject({ reason: 'malformed' }));
});

describe('isCanonicalBase64url', () => {
  // Node's codec is the reference: a segment is canonical when decoding and re-encoding it
  // gives it back. The check decides that on the characters alone, without decoding.
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const roundTrips = (segment: string) => Buffer.from(segment, 'base64url').toString('base64url') === segment;

  it('agrees with a decode and re-encode for every last character of every length class', () => {
    for (const prefix of ['', 'Q', 'QU', 'QUJ', 'QUJD', 'QUJDRA']) {
      for (const last of ALPHABET) {
        const segment = prefix + last;
        expect([segment, isCanonicalBase64url(segment)]).toEqual([segment, roundTrips(segment)]);
      }
    }
  });

  it('agrees with a decode and re-encode on 5,000 random segments', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 5_000; i += 1) {
      const length = 1 + Math.floor(random() * 40);
      const segment = Array.from({ length }, () => ALPHABET[Math.floor(random() * 64)]).join('');
      expect([segment, isCanonicalBase64url(segment)]).toEqual([segment, roundTrips(segment)]);
    }
  });

  it('accepts what a signer writes, for every length of input', () => {
    for (let n = 1; n < 70; n += 1) expect(isCanonicalBase64url(Buffer.alloc(n, 0xa5).toString('base64url'))).toBe(true);
  });
});
