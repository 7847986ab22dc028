import { placeOrderIntegration } from '@serverless-orders/api-gateway';
import { allowedMethods, md5OfMessageAttributes, orderAttributes, preflightHeaders, ROUTES, uuidFromMd5 } from '@serverless-orders/http-contract';
import type { InvokeResult } from '@serverless-orders/local-aws';
import { handleApiRequest, type ApiDependencies } from './api';
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
  const queue = sqs(fail);
  const authorizer: GatewayAuthorizer = { kind: 'cognito', authorize: async () => auth };
  const d: ApiDependencies = {
    stage,
    authorizer,
    invokeFunction: async (name, event) => {
      invoked.push({ name, event: event as Record<string, unknown> });
      return result;
    },
    queue: { integration: placeOrderIntegration('cognito'), call: queue.call },
  };
  return { d, invoked, sent: queue.sent };
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
