import { apiEvent } from '@serverless-orders/testing';
import { BadRequestError, callerOf, httpHandler, jsonBody, jsonResponse, type ErrorAnswers } from './http';
import { createObservability } from './observability';

const obs = createObservability('http-spec');
const logged: unknown[][] = [];
beforeAll(() => {
  for (const level of ['info', 'warn', 'error'] as const) {
    jest.spyOn(obs.logger, level).mockImplementation((...args: unknown[]) => void logged.push([level, ...args]));
  }
});
beforeEach(() => (logged.length = 0));

describe('callerOf', () => {
  it('takes claims.sub from a Cognito user-pool authorizer', () => {
    expect(callerOf(apiEvent({ method: 'GET', path: '/orders', caller: { sub: 'alice', via: 'cognito' } }))).toBe('alice');
  });

  it('takes principalId from a Lambda authorizer', () => {
    expect(callerOf(apiEvent({ method: 'GET', path: '/orders', caller: { sub: 'bob', via: 'lambda' } }))).toBe('bob');
  });

  it('finds no caller without an authorizer, or with an empty one', () => {
    expect(callerOf(apiEvent({ method: 'GET', path: '/orders' }))).toBeUndefined();
    expect(callerOf({ requestContext: { authorizer: { claims: { sub: '' } } } } as never)).toBeUndefined();
    expect(callerOf({ requestContext: { authorizer: { principalId: 42 } } } as never)).toBeUndefined();
  });
});

describe('jsonBody', () => {
  it('parses JSON, also base64-encoded', () => {
    expect(jsonBody({ body: '{"a":1}', isBase64Encoded: false })).toEqual({ a: 1 });
    expect(jsonBody({ body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true })).toEqual({ a: 1 });
  });

  it.each([
    [null, 'is required (a JSON object)'],
    ['', 'is required (a JSON object)'],
    ['{"a":', 'is not valid JSON'],
  ])('refuses %p', (body, problem) => {
    expect(() => jsonBody({ body, isBase64Encoded: false })).toThrow(new BadRequestError('body', problem));
  });
});

/** An app's own errors, as an app would answer them (the platform knows none of them). */
class NotMine extends Error {}
const answers: ErrorAnswers = (error) => (error instanceof NotMine ? { statusCode: 404, body: { message: error.message } } : undefined);

describe('httpHandler', () => {
  const handle = (route: Parameters<typeof httpHandler>[1], caller?: string) =>
    httpHandler(obs, route, answers)(apiEvent({ method: 'GET', path: '/orders', caller: caller ? { sub: caller } : undefined }));

  it('answers 401 without an identity, and never runs the route', async () => {
    const route = jest.fn();
    expect(await handle(route)).toMatchObject({ statusCode: 401, body: '{"message":"Unauthorized"}' });
    expect(route).not.toHaveBeenCalled();
  });

  it('passes the caller to the route', async () => {
    expect(await handle(async (_e, caller) => jsonResponse(200, { caller }), 'alice')).toMatchObject({
      statusCode: 200,
      body: '{"caller":"alice"}',
    });
  });

  it.each([
    [new BadRequestError('body', 'is not valid JSON'), 400, { message: 'Invalid request', errors: [{ field: 'body', problem: 'is not valid JSON' }] }],
    [new NotMine('order o-1 not found'), 404, { message: 'order o-1 not found' }],
  ])('answers %p with the 4xx the platform or the app gives it, logged as a refusal', async (error, status, body) => {
    const response = await handle(async () => Promise.reject(error), 'alice');
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body)).toEqual(body);
    expect(logged).toEqual([['info', 'request refused', { status, answer: body }]]);
  });

  it('answers anything unexpected with a generic 500 and logs the details only', async () => {
    const response = await handle(async () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.1:443 secret-table')), 'alice');
    expect(response.statusCode).toBe(500);
    expect(response.body).toBe('{"message":"Internal server error"}');
    expect(logged).toEqual([['error', 'unexpected error', expect.objectContaining({ message: expect.stringContaining('secret-table') })]]);
  });

  it('answers JSON with CORS headers, neither cached nor sniffed (OWASP API Security)', () => {
    expect(jsonResponse(200, {}).headers).toEqual({
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Access-Control-Allow-Origin': '*',
    });
  });

  it('sends the same headers on its errors, 401 and 500 included', async () => {
    const expected = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    expect((await handle(jest.fn())).headers).toMatchObject(expected);
    expect((await handle(async () => Promise.reject(new NotMine('o-1')), 'alice')).headers).toMatchObject(expected);
    expect((await handle(async () => Promise.reject(new Error('boom')), 'alice')).headers).toMatchObject(expected);
  });
});
