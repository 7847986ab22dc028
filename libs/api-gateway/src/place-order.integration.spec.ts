import { md5OfMessageAttributes, orderAttributes, orderIdentityOf, parseOrderMessage, uuidFromMd5 } from '@serverless-orders/http-contract';
import {
  PLACE_ORDER_FAILURE_TEMPLATE,
  PLACE_ORDER_INVALID_KEY_TEMPLATE,
  PLACE_ORDER_RESPONSE_TEMPLATE,
  placeOrderIntegration,
  placeOrderRequestTemplate,
  responseHeaders,
  staticResponseParameters,
  type AuthorizerMode,
} from './place-order.integration';
import { renderTemplate } from './vtl';

/**
 * The templates API Gateway runs for POST /orders, rendered by the engine the local gateway
 * uses (velocityjs with API Gateway's $input, $context and $util, Java semantics included), on
 * hostile input; the message they build is read back with the consumer's own parser.
 */

function authorizer(mode: AuthorizerMode, sub: string | undefined) {
  if (sub === undefined) return mode === 'cognito' ? { claims: {} } : {};
  return mode === 'cognito' ? { claims: { sub, email: 'ann@example.com' } } : { principalId: sub, sub, email: 'x' };
}

/** What SQS would receive for a request: the decoded form fields (SQS's query protocol). */
function sendMessageRequest(mode: AuthorizerMode, body: unknown, sub: string | undefined, header: Record<string, string> = {}) {
  const rendered = renderTemplate(placeOrderRequestTemplate(mode), {
    input: { body: JSON.stringify(body), params: { path: {}, querystring: {}, header: { 'Content-Type': 'application/json', ...header } } },
    context: { requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', authorizer: authorizer(mode, sub) },
  });
  expect(rendered.startsWith('Action=SendMessage')).toBe(true);
  return Object.fromEntries(new URLSearchParams(rendered));
}

/** The message attributes in a SendMessage form, as SQS reads them. */
function attributesOf(form: Record<string, string>) {
  const attributes: Record<string, { DataType: 'String'; StringValue: string }> = {};
  for (let n = 1; form[`MessageAttribute.${n}.Name`]; n++) {
    attributes[form[`MessageAttribute.${n}.Name`]] = { DataType: 'String', StringValue: form[`MessageAttribute.${n}.Value.StringValue`] };
  }
  return attributes;
}

const HOSTILE = [
  `O'Brien's "best" \\ pizza`,
  'a+b=c; 100% & more',
  '</script><script>alert(1)</script>',
  'Zoé 🍕 日本語',
  `quote ' at the end'`,
  'x'.repeat(200),
];

describe.each(['cognito', 'lambda'] as const)('POST /orders request template, %s authorizer', (mode) => {
  const sub = '7d1c3f2e-8a4b-4c6d-9e0f-123456789abc';

  it('sends the client body as data and the authorizer’s caller as principal.sub, with its identifying attributes', () => {
    const body = { restaurant_id: 'r-1', item: 'pizza margherita', quantity: 2 };
    const form = sendMessageRequest(mode, body, sub);
    expect(parseOrderMessage(form['MessageBody'])).toEqual({ data: body, principal: { sub } });
    expect(attributesOf(form)).toEqual(orderAttributes(sub, { requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' }));
  });

  it('keeps the client from choosing the owner: a principal or user_id in the body stays inside data', () => {
    const body = { restaurant_id: 'r-1', item: 'soup', quantity: '3', principal: { sub: 'mallory' }, user_id: 'mallory' };
    const message = JSON.parse(sendMessageRequest(mode, body, sub)['MessageBody']);
    expect(message.principal).toEqual({ sub });
    expect(message.data).toEqual(body);
  });

  it.each(HOSTILE)('carries %j in the body, valid JSON and a valid form', (text) => {
    const body = { restaurant_id: text, item: text, quantity: 1 };
    expect(parseOrderMessage(sendMessageRequest(mode, body, sub)['MessageBody']).data).toEqual(body);
  });

  it.each([...HOSTILE, "ann'o", 'back\\slash', 'tab\tline\nbreak\u0007', '\u2028\u2029'])('carries a caller %j (a Lambda authorizer’s principalId may be anything) as valid JSON', (caller) => {
    const form = sendMessageRequest(mode, { restaurant_id: 'r', item: 'i', quantity: 1 }, caller);
    expect(JSON.parse(form['MessageBody']).principal).toEqual({ sub: caller });
    expect(attributesOf(form).caller.StringValue).toBe(caller);
  });

  it('carries a 2 KB caller id', () => {
    const caller = `${'ü'.repeat(1000)}'${'a'.repeat(1047)}`;
    expect(JSON.parse(sendMessageRequest(mode, { restaurant_id: 'r', item: 'i', quantity: 1 }, caller)['MessageBody']).principal.sub).toBe(caller);
  });

  it('without an identity, writes an empty sub (which the consumer refuses), never the reference text', () => {
    const form = sendMessageRequest(mode, { restaurant_id: 'r', item: 'i', quantity: 1 }, undefined);
    expect(JSON.parse(form['MessageBody']).principal).toEqual({ sub: '' });
    expect(() => parseOrderMessage(form['MessageBody'])).toThrow();
  });

  it.each(['Idempotency-Key', 'idempotency-key', 'IDEMPOTENCY-KEY'])('takes the %s header as the order’s key: the same key, the same identity', (header) => {
    const form = sendMessageRequest(mode, { restaurant_id: 'r', item: 'i', quantity: 1 }, sub, { [header]: 'retry-me_1' });
    expect(attributesOf(form)).toEqual(orderAttributes(sub, { idempotencyKey: 'retry-me_1' }));
  });

  it.each(['', 'x'.repeat(65), 'has space', 'dots.are.out', 'ünïcode', "quote'"])('queues nothing for a malformed key %j (SendMessage without a body)', (key) => {
    const form = sendMessageRequest(mode, { restaurant_id: 'r', item: 'i', quantity: 1 }, sub, { 'Idempotency-Key': key });
    expect(form).toEqual({ Action: 'SendMessage' });
  });

  it('queues nothing for a key sent twice under two spellings', () => {
    const form = sendMessageRequest(mode, { restaurant_id: 'r', item: 'i', quantity: 1 }, sub, { 'Idempotency-Key': 'a', 'idempotency-key': 'b' });
    expect(form).toEqual({ Action: 'SendMessage' });
  });
});

describe('POST /orders integration responses', () => {
  const integration = placeOrderIntegration('cognito');

  it('answers 202 with the order id SQS’s MD5OfMessageAttributes names, the id the consumer computes', () => {
    const attributes = orderAttributes('alice', { idempotencyKey: 'k-1' });
    const md5 = md5OfMessageAttributes(attributes);
    const sqs = { SendMessageResponse: { SendMessageResult: { MessageId: 'm-1', MD5OfMessageBody: 'x', MD5OfMessageAttributes: md5 } } };
    const rendered = renderTemplate(PLACE_ORDER_RESPONSE_TEMPLATE, { input: { body: JSON.stringify(sqs) }, context: {} });
    const received = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { stringValue: v.StringValue, dataType: v.DataType }]));
    expect(JSON.parse(rendered)).toEqual({ order_id: uuidFromMd5(md5) });
    expect(JSON.parse(rendered).order_id).toBe(orderIdentityOf(received)?.orderId);
  });

  it('maps SQS’s 400 (a SendMessage without a body: a malformed key) to a 400 naming the header, anything else to a 500', () => {
    expect(integration.responses['400']).toMatchObject({ statusCode: '400' });
    expect(JSON.parse(PLACE_ORDER_INVALID_KEY_TEMPLATE).errors[0].field).toBe('header.Idempotency-Key');
    expect(integration.responses.default).toMatchObject({ statusCode: '500' });
    expect(JSON.parse(PLACE_ORDER_FAILURE_TEMPLATE)).toEqual({ message: 'the order could not be queued; try again' });
  });

  it('answers every status with Cache-Control: no-store and X-Content-Type-Options: nosniff, as static response parameters', () => {
    for (const response of Object.values(integration.responses)) {
      expect(response.responseParameters).toEqual({
        'method.response.header.Cache-Control': "'no-store'",
        'method.response.header.X-Content-Type-Options': "'nosniff'",
      });
      expect(responseHeaders(response.responseParameters)).toEqual({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    }
  });

  it('reads back only static header values, as the local gateway renders them', () => {
    expect(responseHeaders(staticResponseParameters({ 'X-A': "it's" }))).toEqual({ 'X-A': 'its' });
    expect(() => responseHeaders({ 'method.response.header.X-A': 'integration.response.header.X-A' })).toThrow(/not a static header value/);
    expect(() => responseHeaders({ 'method.response.body': "'x'" })).toThrow(/not a static header value/);
  });

  it('takes only JSON (passthroughBehavior never: another content type is 415 before SQS)', () => {
    expect(Object.keys(integration.requestTemplates)).toEqual(['application/json']);
    expect(integration.passthroughBehavior).toBe('never');
  });
});
