import { parseOrderMessage } from '@serverless-orders/http-contract';
import { render } from 'velocityjs';
import { PLACE_ORDER_RESPONSE_TEMPLATE, placeOrderRequestTemplate } from './place-order.templates';
import type { AuthorizerMode } from './stack-settings';

/**
 * The mapping templates run through a Velocity engine with API Gateway's $input, $context
 * and $util stood in, and the message they build is read back with the consumer's own parser.
 */

/** API Gateway's $util, as far as the templates use it. */
const util = {
  // Java's URLEncoder, as API Gateway's: form encoding, a space is "+".
  urlEncode: (s: string) => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  escapeJavaScript: (s: string) =>
    String(s).replace(/[\\"'\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c),
};

function authorizerContext(mode: AuthorizerMode, sub: string | undefined) {
  if (sub === undefined) return { authorizer: mode === 'cognito' ? { claims: {} } : {} };
  return mode === 'cognito' ? { authorizer: { claims: { sub, email: 'ann@example.com' } } } : { authorizer: { principalId: sub, sub, email: 'x' } };
}

/** What SQS would receive for a request: the decoded form fields. */
function sendMessageRequest(mode: AuthorizerMode, body: unknown, sub: string | undefined) {
  const rendered = render(placeOrderRequestTemplate(mode), {
    input: { json: (path: string) => (path === '$' ? JSON.stringify(body) : 'null') },
    context: authorizerContext(mode, sub),
    util,
  });
  return Object.fromEntries(new URLSearchParams(rendered.trim()));
}

describe.each(['cognito', 'lambda'] as const)('POST /orders mapping template, %s authorizer', (mode) => {
  const sub = '7d1c3f2e-8a4b-4c6d-9e0f-123456789abc';

  it('sends the client body as data and the authorizer caller as principal.sub', () => {
    const body = { restaurant_id: 'r-1', item: 'pizza margherita', quantity: 2 };
    const form = sendMessageRequest(mode, body, sub);
    expect(form['Action']).toBe('SendMessage');
    expect(JSON.parse(form['MessageBody'])).toEqual({ data: body, principal: { sub } });
    expect(parseOrderMessage(form['MessageBody'])).toEqual({ data: body, principal: { sub } });
  });

  it('keeps the client from choosing the owner: a principal or user_id in the body stays inside data', () => {
    const body = { restaurant_id: 'r-1', item: 'soup', quantity: '3', principal: { sub: 'mallory' }, user_id: 'mallory' };
    const message = JSON.parse(sendMessageRequest(mode, body, sub)['MessageBody']);
    expect(message.principal).toEqual({ sub });
    expect(message.data).toEqual(body);
  });

  it('carries characters that need escaping in JSON and in a form', () => {
    const body = { restaurant_id: 'Chez "Zoé" & Co', item: 'a+b=c; 100% \\ ok', quantity: 1 };
    const form = sendMessageRequest(mode, body, sub);
    expect(parseOrderMessage(form['MessageBody']).data).toEqual(body);
  });

  it('without an identity, writes an empty sub (which the consumer refuses), never the reference text', () => {
    const form = sendMessageRequest(mode, { restaurant_id: 'r', item: 'i', quantity: 1 }, undefined);
    expect(JSON.parse(form['MessageBody']).principal).toEqual({ sub: '' });
    expect(() => parseOrderMessage(form['MessageBody'])).toThrow();
  });
});

describe('POST /orders response template', () => {
  it('answers the SQS MessageId as order_id', () => {
    const messageId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const sqs = { SendMessageResponse: { SendMessageResult: { MessageId: messageId, MD5OfMessageBody: 'x' } } };
    const rendered = render(PLACE_ORDER_RESPONSE_TEMPLATE, {
      input: {
        path: (path: string) =>
          path
            .replace(/^\$\.?/, '')
            .split('.')
            .filter(Boolean)
            .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], sqs),
      },
    });
    expect(JSON.parse(rendered)).toEqual({ order_id: messageId });
  });
});
