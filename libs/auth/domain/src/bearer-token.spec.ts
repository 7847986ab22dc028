import { extractToken, headerValue, MAX_TOKEN_LENGTH } from './bearer-token';

describe('extractToken', () => {
  it.each([
    ['a raw token', 'abc.def.ghi', 'abc.def.ghi'],
    ['Bearer <token>', 'Bearer abc.def.ghi', 'abc.def.ghi'],
    ['the scheme in lower case', 'bearer abc.def.ghi', 'abc.def.ghi'],
    ['the scheme in mixed case', 'BeArEr abc.def.ghi', 'abc.def.ghi'],
    ['surrounding whitespace', '  Bearer   abc.def.ghi  ', 'abc.def.ghi'],
    ['a tab after the scheme', 'Bearer\tabc.def.ghi', 'abc.def.ghi'],
  ])('takes %s', (_, header, token) => {
    expect(extractToken(header)).toEqual({ ok: true, token });
  });

  it.each([
    ['no header', undefined],
    ['null', null],
    ['an empty header', ''],
    ['a whitespace-only header', ' \t '],
    ['"Bearer" alone', 'Bearer'],
    ['"bearer " with only spaces', 'bearer    '],
  ])('refuses %s as missing', (_, header) => {
    expect(extractToken(header)).toMatchObject({ ok: false, reason: 'missing' });
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['two tokens', 'Bearer a.b.c d.e.f'],
    ['a token longer than the limit', 'x'.repeat(MAX_TOKEN_LENGTH + 1)],
    ['a 100 KB header', `Bearer ${'y'.repeat(100_000)}`],
  ])('refuses %s as malformed', (_, header) => {
    expect(extractToken(header)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('never echoes the token in its detail', () => {
    const result = extractToken('Bearer secret-one secret-two');
    expect(JSON.stringify(result)).not.toContain('secret');
  });
});

describe('headerValue', () => {
  it('matches the header name case-insensitively', () => {
    expect(headerValue({ authorization: 'x' }, 'Authorization')).toBe('x');
    expect(headerValue({ AUTHORIZATION: 'y' }, 'authorization')).toBe('y');
  });
  it('is undefined without headers or without the header', () => {
    expect(headerValue(null, 'Authorization')).toBeUndefined();
    expect(headerValue({ other: 'z' }, 'Authorization')).toBeUndefined();
    expect(headerValue({ authorization: undefined }, 'Authorization')).toBeUndefined();
  });
});
