import { extractToken, headerValue, MAX_TOKEN_LENGTH, singleHeaderValue } from './bearer-token';

describe('extractToken', () => {
  it.each([
    ['a raw token', 'abc.def.ghi', 'abc.def.ghi'],
    ['Bearer <token>', 'Bearer abc.def.ghi', 'abc.def.ghi'],
    ['the scheme in lower case', 'bearer abc.def.ghi', 'abc.def.ghi'],
    ['the scheme in mixed case', 'BeArEr abc.def.ghi', 'abc.def.ghi'],
    ['surrounding whitespace', '  Bearer   abc.def.ghi  ', 'abc.def.ghi'],
    ['a tab after the scheme', 'Bearer\tabc.def.ghi', 'abc.def.ghi'],
    ['a no-break space after the scheme', 'Bearer\u00a0abc.def.ghi', 'abc.def.ghi'],
    ['a raw token that starts with "bearer"', 'bearerabc.def.ghi', 'bearerabc.def.ghi'],
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
    ['two tokens after a tab', 'Bearer\ta.b.c\u2028d.e.f'],
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

describe('singleHeaderValue', () => {
  const mv = (headers: Record<string, string[]>) => headers;

  it('takes the one value, whatever the case of its name', () => {
    expect(singleHeaderValue({ authorization: 't' }, mv({ authorization: ['t'] }), 'Authorization')).toEqual({ ok: true, value: 't' });
    expect(singleHeaderValue({ AUTHORIZATION: 't' }, null, 'authorization')).toEqual({ ok: true, value: 't' });
    expect(singleHeaderValue(null, mv({ Authorization: ['t'] }), 'Authorization')).toEqual({ ok: true, value: 't' });
  });

  it('is no value at all when the header is absent', () => {
    expect(singleHeaderValue({ accept: 'x' }, mv({ accept: ['x'] }), 'Authorization')).toEqual({ ok: true, value: undefined });
    expect(singleHeaderValue(undefined, undefined, 'Authorization')).toEqual({ ok: true, value: undefined });
  });

  it.each([
    ['two values under one name (API Gateway keeps the last in headers)', { Authorization: 'b' }, mv({ Authorization: ['a', 'b'] })],
    ['the same value twice', { Authorization: 'a' }, mv({ Authorization: ['a', 'a'] })],
    ['two spellings of the name', { authorization: 'b' }, mv({ Authorization: ['a'], authorization: ['b'] })],
    ['two spellings in headers alone', { Authorization: 'a', authorization: 'b' }, null],
    ['headers and multiValueHeaders disagreeing', { Authorization: 'a' }, mv({ Authorization: ['b'] })],
    ['an empty value beside a token', { Authorization: 't' }, mv({ Authorization: ['', 't'] })],
  ])('refuses %s as ambiguous-identity, without quoting a value', (_, headers, multi) => {
    const result = singleHeaderValue(headers, multi, 'Authorization');
    expect(result).toMatchObject({ ok: false, reason: 'ambiguous-identity', detail: expect.stringContaining('Authorization') });
    expect(JSON.stringify(result)).not.toMatch(/"[ab]"/);
  });
});
