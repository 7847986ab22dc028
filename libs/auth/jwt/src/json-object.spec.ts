import { safeJsonParse } from 'aws-jwt-verify/safe-json-parse';
import { parseJsonSafely } from './json-object';

/** Every object in `value`, at any depth, and whether one has an own key `__proto__` or `constructor`. */
function ownDangerousKeys(value: unknown, path = '$'): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const here = Object.hasOwn(value, '__proto__') || Object.hasOwn(value, 'constructor') ? [path] : [];
  return [...here, ...Object.entries(value).flatMap(([key, child]) => ownDangerousKeys(child, `${path}.${key}`))];
}

// aws-jwt-verify's safeJsonParse is the reference: parseJsonSafely must give exactly its
// result (same values, same own keys, plain prototypes) for every text, and throw where it throws.
const agreesWithTheLibrary = (text: string) => {
  let expected: unknown;
  let expectedError: unknown;
  try {
    expected = safeJsonParse(text);
  } catch (error) {
    expectedError = error;
  }
  if (expectedError !== undefined) {
    expect(() => parseJsonSafely(text)).toThrow(SyntaxError);
    return;
  }
  const actual = parseJsonSafely(text);
  expect(actual).toStrictEqual(expected);
  expect(ownDangerousKeys(actual)).toEqual([]);
};

describe('parseJsonSafely: safeJsonParse, without a reviver when it cannot matter', () => {
  it.each([
    ['a Cognito payload', '{"sub":"u1","aud":"c","token_use":"id","cognito:groups":["a","b"],"exp":1800000000,"iat":1799996400}'],
    ['nested objects and arrays', '{"a":{"b":[{"c":null},1,"x",true]},"d":[]}'],
    ['an own __proto__ key', '{"sub":"u1","__proto__":{"admin":true}}'],
    ['a nested __proto__ key', '{"a":{"b":{"__proto__":{"polluted":1}}}}'],
    ['a __proto__ inside an array', '[{"__proto__":{"x":1}}]'],
    ['an own constructor key', '{"constructor":{"prototype":{"polluted":1}}}'],
    ['a nested constructor key', '{"a":[{"constructor":"x"}]}'],
    ['__proto__ spelled with a \\u escape', '{"\\u005f_proto__":{"admin":true}}'],
    ['constructor spelled with a \\u escape', '{"constructo\\u0072":{"prototype":{}}}'],
    ['a \\u escape in a value only', '{"name":"Jos\\u00e9"}'],
    ['the names as values, not keys', '{"a":"__proto__","b":"constructor"}'],
    ['an escaped backslash before a u', '{"path":"C:\\\\users"}'],
    ['a string', '"__proto__"'],
    ['null', 'null'],
    ['not JSON', '{"a":'],
    ['an empty text', ''],
  ])('%s', (_, text) => agreesWithTheLibrary(text));

  it('never pollutes Object.prototype, and returns plain objects', () => {
    const parsed = parseJsonSafely('{"__proto__":{"polluted":true},"a":{"constructor":{"prototype":{"polluted":true}}}}') as Record<string, unknown>;
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(parsed['polluted']).toBeUndefined();
    expect((parsed['a'] as object).constructor).toBe(Object);
  });

  it('agrees with safeJsonParse on 3,000 random documents full of dangerous and escaped keys', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const keys = ['sub', 'exp', '__proto__', 'constructor', 'prototype', 'proto', '__proto', 'Constructor', 'x'];
    const value = (depth: number): unknown => {
      const kind = Math.floor(random() * (depth > 3 ? 4 : 6));
      if (kind === 0) return Math.floor(random() * 1e9);
      if (kind === 1) return pick(['a', '__proto__', 'constructor', 'é', '"', '\\']);
      if (kind === 2) return random() < 0.5;
      if (kind === 3) return null;
      if (kind === 4) return Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1));
      const entries = Array.from({ length: Math.floor(random() * 4) }, () => [pick(keys), value(depth + 1)] as const);
      return entries;
    };
    // Objects are written by hand so that __proto__ can be a real key of the text.
    const write = (v: unknown): string => {
      if (Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string')) {
        return `{${v.map(([k, child]) => `${writeKey(k)}:${write(child)}`).join(',')}}`;
      }
      if (Array.isArray(v)) return `[${v.map(write).join(',')}]`;
      return JSON.stringify(v);
    };
    const writeKey = (k: string) => (random() < 0.3 ? `"${[...k].map((c) => (random() < 0.3 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('')}"` : JSON.stringify(k));
    for (let i = 0; i < 3_000; i += 1) agreesWithTheLibrary(write(value(0)));
  });
});
