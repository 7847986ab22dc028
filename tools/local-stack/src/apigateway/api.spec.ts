import { Readable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { placeOrderIntegration } from '@serverless-orders/api-gateway';
import { allowedMethods, md5OfMessageAttributes, orderAttributes, preflightHeaders, ROUTES, uuidFromMd5 } from '@serverless-orders/http-contract';
import type { InvokeResult } from '@serverless-orders/local-aws';
import { apiRequestHandler, handleApiRequest, type ApiDependencies } from './api';
import { PayloadTooLargeError } from './request-body';
import { StageThrottle } from './throttle';
import type { ServiceAnswer } from './sqs-query-protocol';
import { UNAUTHORIZED, type Authorization, type GatewayAuthorizer } from './authorizers';

const stage = { apiId: 'abc123', stage: 'dev', accountId: '000000000000', region: 'us-east-1', domainName: '127.0.0.1' };

/**
 * SQS behind the queue integration, as its query protocol answers: 400 MissingParameter for a
 * SendMessage without a body, else the message's MD5 of attributes. `sent` holds the forms.
 */
function sqs(fail?: ServiceAnswer) {
  const sent: Array<Record<string, string>> = [];
  const call = async (form: string): Promise<ServiceAnswer> => {
    const fields = Object.fromEntries(new URLSearchParams(form));
    if (fail) return fail;
    if (!fields.MessageBody) return { status: 400, body: '{"Error":{"Code":"MissingParameter"}}' };
    sent.push(fields);
    const attributes: Record<string, { DataType: 'String'; StringValue: string }> = {};
    for (let n = 1; fields[`MessageAttribute.${n}.Name`]; n++) attributes[fields[`MessageAttribute.${n}.Name`]] = { DataType: 'String', StringValue: fields[`MessageAttribute.${n}.Value.StringValue`] };
    return { status: 200, body: JSON.stringify({ SendMessageResponse: { SendMessageResult: { MessageId: 'm-1', MD5OfMessageAttributes: md5OfMessageAttributes(attributes) } } }) };
  };
  return { sent, call };
}

function deps(auth: Authorization, result: InvokeResult = { ok: true, payload: { statusCode: 200, body: '{"items":[]}' } }, fail?: ServiceAnswer) {
  const invoked: Array<{ name: string; event: Record<string, unknown> }> = [];
  const logged: string[] = [];
  const queue = sqs(fail);
  const authorizer: GatewayAuthorizer = { kind: 'cognito', authorize: async () => auth };
  const d: ApiDependencies = {
    log: (line) => void logged.push(line),
    stage,
    authorizer,
    invokeFunction: async (name, event) => {
      invoked.push({ name, event: event as Record<string, unknown> });
      return result;
    },
    queue: { integration: placeOrderIntegration('cognito'), call: queue.call },
  };
  return { d, invoked, sent: queue.sent, logged };
}

const allowed: Authorization = { ok: true, authorizer: { claims: { sub: 'u1', email: 'a@b.c' } }, principal: { sub: 'u1', email: 'a@b.c' } };
const request = (method: string, path: string, body: string | null = null, headers: string[] = ['Content-Type', 'application/json']) => ({
  requestId: 'r1',
  method,
  path,
  rawHeaders: ['Authorization', 'token', ...headers],
  query: '',
  body,
  sourceIp: '127.0.0.1',
  time: new Date(),
});

describe('handleApiRequest', () => {
  it('an unknown route is 403 Missing Authentication Token', async () => {
    const { d } = deps(allowed);
    const { answer } = await handleApiRequest(request('GET', '/nope'), d);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body.toString())).toEqual({ message: 'Missing Authentication Token' });
  });

  it('the authorizer answers first: 401 with CORS headers, and nothing runs', async () => {
    const { d, invoked, sent } = deps(UNAUTHORIZED);
    const { answer } = await handleApiRequest(request('POST', '/orders', '{}'), d);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body.toString())).toEqual({ message: 'Unauthorized' });
    expect(answer.headers['Access-Control-Allow-Origin']).toBe('*');
    expect(invoked).toHaveLength(0);
    expect(sent).toHaveLength(0);
  });

  it('POST /orders runs infra’s request template: the body and the principal queued, 202 with the order id its attributes name', async () => {
    const { d, sent } = deps(allowed);
    const body = '{"restaurant_id":"r1","item":"pizza","quantity":"2"}';
    const { answer } = await handleApiRequest(request('POST', '/orders', body), d);
    expect(answer.status).toBe(202);
    expect(JSON.parse(sent[0].MessageBody)).toEqual({ data: { restaurant_id: 'r1', item: 'pizza', quantity: '2' }, principal: { sub: 'u1' } });
    const expected = uuidFromMd5(md5OfMessageAttributes(orderAttributes('u1', { requestId: 'r1' })));
    expect(JSON.parse(answer.body.toString())).toEqual({ order_id: expected });
  });

  it('POST /orders with an Idempotency-Key: the same key, the same order id; a malformed one is a 400 naming the header, nothing queued', async () => {
    const { d, sent } = deps(allowed);
    const body = '{"restaurant_id":"r1","item":"pizza","quantity":1}';
    const withKey = (key: string) => request('POST', '/orders', body, ['Content-Type', 'application/json', 'Idempotency-Key', key]);
    const first = await handleApiRequest(withKey('k-1'), d);
    const again = await handleApiRequest({ ...withKey('k-1'), requestId: 'r2' }, d);
    expect(first.answer.status).toBe(202);
    expect(again.answer.body.toString()).toBe(first.answer.body.toString());
    const bad = await handleApiRequest(withKey('not valid!'), d);
    expect(bad.answer.status).toBe(400);
    expect(JSON.parse(bad.answer.body.toString()).errors[0].field).toBe('header.Idempotency-Key');
    expect(sent).toHaveLength(2);
  });

  it('POST /orders with a body that is not JSON (text/plain) is 415, as the deployed passthroughBehavior never answers', async () => {
    const { d, sent } = deps(allowed);
    const { answer } = await handleApiRequest(request('POST', '/orders', '{"restaurant_id":"r1","item":"pizza","quantity":1}', ['Content-Type', 'text/plain']), d);
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.body.toString())).toEqual({ message: 'Unsupported Media Type' });
    expect(sent).toHaveLength(0);
  });

  it('POST /orders answers 500 when the queue refuses, as the deployed integration does', async () => {
    const { d } = deps(allowed, undefined, { status: 500, body: '{"Error":{"Code":"InternalFailure"}}' });
    const { answer } = await handleApiRequest(request('POST', '/orders', '{"restaurant_id":"r1","item":"pizza","quantity":1}'), d);
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body.toString())).toEqual({ message: 'the order could not be queued; try again' });
  });

  it.each([
    ['not JSON', '{'],
    ['no body', null],
    ['a bad quantity', '{"restaurant_id":"r1","item":"pizza","quantity":0}'],
    ['an unknown field', '{"restaurant_id":"r1","item":"pizza","quantity":1,"user_id":"someone-else"}'],
  ])('POST /orders with %s is a 400 and nothing is queued', async (_name, body) => {
    const { d, sent } = deps(allowed);
    const { answer } = await handleApiRequest(request('POST', '/orders', body), d);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body.toString())).toMatchObject({ message: 'Invalid request body' });
    expect(sent).toHaveLength(0);
  });

  // API Gateway's request validator checks the body against the method's model: the document's
  // JSON Schema (draft 4), where the domain's text rule travels as a pattern.
  it.each([
    ['a CR LF, a header and a BEL in item', { restaurant_id: 'r-1', item: 'pizza\r\nX-Injected: 1\u0007', quantity: 1 }],
    ['a NUL and an ANSI escape in restaurant_id', { restaurant_id: 'r-1\u0000\u001b[31m', item: 'pizza', quantity: 1 }],
    ['a trailing line feed in item', { restaurant_id: 'r-1', item: 'pizza\n', quantity: 1 }],
  ])('POST /orders with %s is refused by the request validator (the emitted model), nothing queued', async (_name, body) => {
    const { d, sent, logged } = deps(allowed);
    const { answer } = await handleApiRequest(request('POST', '/orders', JSON.stringify(body)), d);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body.toString())).toEqual({
      message: 'Invalid request body',
      errors: [{ field: 'body', problem: "does not match the operation's request schema" }],
    });
    expect(sent).toHaveLength(0);
    expect(logged.join('\n')).toMatch(/request validator: \/(item|restaurant_id) must match pattern/);
  });

  it('PUT /orders/{id} with control characters is refused by the request validator before the function runs', async () => {
    const { d, invoked } = deps(allowed);
    const { answer } = await handleApiRequest(request('PUT', '/orders/11111111-2222-3333-4444-555555555555', '{"item":"x\\u001b[2J"}'), d);
    expect(answer.status).toBe(400);
    expect(invoked).toHaveLength(0);
  });

  it('POST /orders answers with the headers its integration response sets: no-store, nosniff, and CORS', async () => {
    const { d } = deps(allowed);
    for (const fail of [undefined, { status: 500, body: '{}' }]) {
      const { answer } = await handleApiRequest(request('POST', '/orders', '{"restaurant_id":"r1","item":"pizza","quantity":1}'), { ...d, queue: { ...d.queue, call: sqs(fail).call } });
      expect(answer.headers).toEqual({
        'Content-Type': 'application/json',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Access-Control-Allow-Origin': '*',
      });
    }
  });

  it('reads the body only once the authorizer allowed the request: an unauthenticated one is refused unread', async () => {
    const refused = deps(UNAUTHORIZED);
    const unread = jest.fn(async () => '{"restaurant_id":"r1","item":"pizza","quantity":1}');
    expect((await handleApiRequest({ ...request('POST', '/orders'), body: unread }, refused.d)).answer.status).toBe(401);
    expect(unread).not.toHaveBeenCalled();
    const authorize = jest.fn(async (req: { body: string | null }) => (expect(req.body).toBeNull(), allowed));
    const read = jest.fn(async () => '{"restaurant_id":"r1","item":"pizza","quantity":1}');
    const { d } = deps(allowed);
    const { answer } = await handleApiRequest({ ...request('POST', '/orders'), body: read }, { ...d, authorizer: { kind: 'cognito', authorize } });
    expect(answer.status).toBe(202);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('a body that grows past the payload limit is 413, in API Gateway\'s words, and nothing is queued', async () => {
    const { d, sent } = deps(allowed);
    const tooLarge = async (): Promise<string> => Promise.reject(new PayloadTooLargeError(10));
    const { answer } = await handleApiRequest({ ...request('POST', '/orders'), body: tooLarge }, d);
    expect(answer).toEqual({ status: 413, headers: { 'Content-Type': 'text; charset=utf-8' }, body: Buffer.from('HTTP content length exceeded 10485760 bytes.') });
    expect(sent).toHaveLength(0);
  });

  it('throttles per method, before the authorizer: beyond the burst 429 Too Many Requests; the bucket refills at the rate', async () => {
    let now = 0;
    const throttle = new StageThrottle({ rateLimit: 2, burstLimit: 3 }, { now: () => now });
    const { d } = deps(allowed);
    const authorize = jest.spyOn(d.authorizer, 'authorize');
    const get = async (path = '/orders') => (await handleApiRequest(request('GET', path), { ...d, throttle })).answer;
    expect([(await get()).status, (await get()).status, (await get()).status]).toEqual([200, 200, 200]);
    const throttled = await get();
    expect(throttled.status).toBe(429);
    expect(JSON.parse(throttled.body.toString())).toEqual({ message: 'Too Many Requests' });
    expect(throttled.headers).toMatchObject({ 'x-amzn-ErrorType': 'TooManyRequestsException', 'Access-Control-Allow-Origin': '*' });
    expect(authorize).toHaveBeenCalledTimes(3);
    // Another method has its own bucket; half a second refills one token (2 a second).
    expect((await get('/orders/11111111-2222-3333-4444-555555555555')).status).toBe(200);
    now += 500;
    expect([(await get()).status, (await get()).status]).toEqual([200, 429]);
  });

  it('a Lambda route gets the proxy event with the authorizer claims, and its answer', async () => {
    const { d, invoked } = deps(allowed);
    const { answer } = await handleApiRequest(request('GET', '/orders/11111111-2222-3333-4444-555555555555'), d);
    expect(answer.status).toBe(200);
    expect(invoked[0].name).toBe('get-orders');
    expect(invoked[0].event).toMatchObject({
      resource: '/orders/{id}',
      pathParameters: { id: '11111111-2222-3333-4444-555555555555' },
      requestContext: { requestId: 'r1', stage: 'dev', authorizer: { claims: { sub: 'u1' } } },
    });
  });

  it('a function error is a 502', async () => {
    const { d } = deps(allowed, { ok: false, errorType: 'Error', errorMessage: 'boom' });
    const { answer } = await handleApiRequest(request('DELETE', '/orders/11111111-2222-3333-4444-555555555555'), d);
    expect(answer.status).toBe(502);
  });
});

// Infra deploys an OPTIONS method with a MOCK integration on every resource of the API: API
// Gateway answers the browser's preflight itself, 200 with the CORS headers, and runs no
// authorizer (a preflight carries no token).
describe('the CORS preflight', () => {
  const preflight = (path: string) => ({ ...request('OPTIONS', path), rawHeaders: ['Origin', 'https://shop.example', 'Access-Control-Request-Method', 'GET'] });
  const concrete = (template: string) => template.replace(/\{(\w+)\}/g, (_, name: string) => `some-${name}`);

  it.each([...new Set(ROUTES.map((r) => r.path))])('OPTIONS %s → 200 with its methods, no authorizer, no integration', async (template) => {
    const { d, invoked, sent } = deps(UNAUTHORIZED);
    const authorize = jest.spyOn(d.authorizer, 'authorize');
    const { answer } = await handleApiRequest(preflight(concrete(template)), d);
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject(preflightHeaders(template, '*'));
    expect(answer.headers['Access-Control-Allow-Methods']).toBe(allowedMethods(template).join(','));
    expect(answer.body.length).toBe(0);
    expect(authorize).not.toHaveBeenCalled();
    expect(invoked).toHaveLength(0);
    expect(sent).toHaveLength(0);
  });

  it('a concrete path gets its resource\'s methods (/orders/abc → /orders/{id})', async () => {
    const { answer } = await handleApiRequest(preflight('/orders/abc'), deps(UNAUTHORIZED).d);
    expect(answer.headers['Access-Control-Allow-Methods']).toBe('GET,PUT,DELETE,OPTIONS');
  });

  it('an unknown path stays 403 Missing Authentication Token', async () => {
    const { answer } = await handleApiRequest(preflight('/nowhere'), deps(allowed).d);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body.toString())).toEqual({ message: 'Missing Authentication Token' });
  });

  it('carries the configured origin, as do the gateway\'s error answers', async () => {
    const { d } = deps(UNAUTHORIZED);
    const configured = { ...d, corsAllowOrigin: 'https://shop.example' };
    expect((await handleApiRequest(preflight('/orders'), configured)).answer.headers).toMatchObject(preflightHeaders('/orders', 'https://shop.example'));
    expect((await handleApiRequest(request('GET', '/orders'), configured)).answer.headers['Access-Control-Allow-Origin']).toBe('https://shop.example');
    expect((await handleApiRequest(request('GET', '/nowhere'), configured)).answer.headers['Access-Control-Allow-Origin']).toBe('https://shop.example');
  });
});

// The HTTP side, with a request and a response that stand in for node's: no server is started.
describe('apiRequestHandler', () => {
  function exchange(method: string, url: string, headers: Record<string, string>, body = '') {
    const req = Object.assign(Readable.from(body ? [Buffer.from(body)] : []), {
      method,
      url,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      rawHeaders: Object.entries(headers).flat(),
      socket: { remoteAddress: '127.0.0.1' },
      complete: false,
    });
    req.on('end', () => (req.complete = true));
    const written: { status?: number; headers?: Record<string, unknown>; body?: Buffer } = {};
    const res = {
      writeHead: (status: number, h: Record<string, unknown>) => Object.assign(written, { status, headers: h }),
      end: (b: Buffer) => Object.assign(written, { body: b }),
    };
    return { req: req as unknown as IncomingMessage, res: res as unknown as ServerResponse, written };
  }
  const notFound = async () => false;

  it('refuses a Content-Length over 10 MB before routing or authorizing, and closes the connection instead of reading the body', async () => {
    const { d } = deps(allowed);
    const authorize = jest.spyOn(d.authorizer, 'authorize');
    const { req, res, written } = exchange('POST', '/dev/orders', { Authorization: 'token', 'Content-Type': 'application/json', 'Content-Length': String(10 * 1024 * 1024 + 1) });
    await apiRequestHandler(d, notFound)(req, res);
    expect(written.status).toBe(413);
    expect(written.body?.toString()).toBe('HTTP content length exceeded 10485760 bytes.');
    expect(written.headers).toMatchObject({ 'Content-Type': 'text; charset=utf-8', Connection: 'close' });
    expect(written.headers).not.toHaveProperty('Access-Control-Allow-Origin');
    expect(authorize).not.toHaveBeenCalled();
  });

  it('closes the connection when it answers before reading the body (401), and keeps it when the body was read', async () => {
    const refused = exchange('POST', '/dev/orders', { 'Content-Type': 'application/json', 'Content-Length': '55' }, '{"restaurant_id":"r1","item":"pizza","quantity":1}    ');
    await apiRequestHandler(deps(UNAUTHORIZED).d, notFound)(refused.req, refused.res);
    expect(refused.written).toMatchObject({ status: 401, headers: { Connection: 'close' } });
    const placed = exchange('POST', '/dev/orders', { Authorization: 't', 'Content-Type': 'application/json' }, '{"restaurant_id":"r1","item":"pizza","quantity":1}');
    await apiRequestHandler(deps(allowed).d, notFound)(placed.req, placed.res);
    expect(placed.written.status).toBe(202);
    expect(placed.written.headers).not.toHaveProperty('Connection');
  });

  it('logs POST /orders with the order id it answered', async () => {
    const { d, logged } = deps(allowed);
    const { req, res, written } = exchange('POST', '/dev/orders', { Authorization: 't', 'Content-Type': 'application/json' }, '{"restaurant_id":"r1","item":"pizza","quantity":1}');
    await apiRequestHandler(d, notFound)(req, res);
    const id = JSON.parse(String(written.body)).order_id as string;
    expect(logged.pop()).toMatch(new RegExp(`^POST /dev/orders → 202 order ${id} \\(\\d+ ms\\)$`));
  });
});
