import { compactJwsShapeProblem } from './compact-jws';

const b64 = (s: string) => Buffer.from(s).toString('base64url');
const good = `${b64('{"alg":"RS256"}')}.${b64('{"sub":"x"}')}.${Buffer.alloc(256, 7).toString('base64url')}`;

describe('compactJwsShapeProblem', () => {
  it('accepts three canonical segments', () => expect(compactJwsShapeProblem(good)).toBeUndefined());
  it.each([
    ['two segments', good.split('.').slice(0, 2).join('.')],
    ['four segments', `${good}.x`],
    ['five segments (JWE)', `${good}.x.y`],
    ['an empty signature', good.replace(/\.[^.]*$/, '.')],
    ['padding', `${good}==`],
    ['standard base64 characters', good.replace(/.$/, '+')],
    ['a stray character', good.replace('.', '!.')],
    ['spare bits set in the last character', good.slice(0, -1) + String.fromCharCode(good.charCodeAt(good.length - 1) + 1)],
  ])('refuses %s', (_, token) => expect(compactJwsShapeProblem(token)).toMatchObject({ reason: 'malformed' }));
});
