import { proxyAnswer } from './proxy-result';

describe('proxyAnswer', () => {
  it('maps statusCode, headers and body', () => {
    const answer = proxyAnswer({ ok: true, payload: { statusCode: 201, headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' } });
    expect(answer.status).toBe(201);
    expect(answer.headers['Content-Type']).toBe('application/json');
    expect(answer.body.toString()).toBe('{"a":1}');
  });

  it('decodes a base64 body and keeps multi-value headers', () => {
    const answer = proxyAnswer({
      ok: true,
      payload: { statusCode: 200, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: Buffer.from('hi').toString('base64'), isBase64Encoded: true },
    });
    expect(answer.body.toString()).toBe('hi');
    expect(answer.headers['Set-Cookie']).toEqual(['a=1', 'b=2']);
  });

  it('answers an empty 204', () => {
    expect(proxyAnswer({ ok: true, payload: { statusCode: 204, body: '' } })).toMatchObject({ status: 204 });
  });

  it.each([
    ['a function error', { ok: false as const, errorType: 'Error', errorMessage: 'x' }],
    ['null', { ok: true as const, payload: null }],
    ['a string', { ok: true as const, payload: 'hello' }],
    ['a bad status', { ok: true as const, payload: { statusCode: 'abc' } }],
    ['an object body', { ok: true as const, payload: { statusCode: 200, body: { a: 1 } } }],
    ['an object header', { ok: true as const, payload: { statusCode: 200, headers: { a: { b: 1 } } } }],
  ])('is a 502 Internal server error for %s', (_name, result) => {
    const answer = proxyAnswer(result);
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body.toString())).toEqual({ message: 'Internal server error' });
  });
});
