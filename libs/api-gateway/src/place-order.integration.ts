import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_KEY_PROBLEM,
  ORDER_ATTRIBUTES,
} from '@serverless-orders/http-contract';

/**
 * POST /orders, which API Gateway integrates directly with SQS SendMessage (no Lambda in
 * between), in API Gateway's own language: the mapping templates (Velocity) and the integration
 * responses. Infra puts them in the OpenAPI document it deploys; the local gateway renders these
 * very templates (vtl.ts) and answers as their integration responses say.
 *
 * The message body is the shared order message (libs/http-contract order-message.schema.ts):
 *   {"data": <the client's JSON body>, "principal": {"sub": "<caller>"}}
 * The caller comes only from the authorizer: claims.sub for Cognito's user-pool authorizer,
 * principalId for the Lambda authorizer. Nothing in the client's body can set it.
 *
 * The message attributes identify the order (libs/http-contract order-identity.ts): `caller`,
 * and the client's Idempotency-Key header or else the request id. The order id answered with
 * 202 is SQS's MD5OfMessageAttributes, written as a UUID, which the consumer computes too.
 */

export type AuthorizerMode = 'cognito' | 'lambda';

/** Where each authorizer puts the caller's identity (a Velocity reference, less its `$`). */
const PRINCIPAL_SOURCE: Record<AuthorizerMode, string> = {
  cognito: 'context.authorizer.claims.sub',
  lambda: 'context.authorizer.principalId',
};

/**
 * The SendMessage request (form encoded, SQS's query protocol).
 *
 * - The JSON is assembled from single-quoted literals (Velocity does not interpolate them)
 *   around the body and the sub. `$util.escapeJavaScript` turns `'` into `\'`, which is not
 *   valid JSON, so it is turned back, as AWS's documentation advises.
 * - API Gateway's header names are case-sensitive, so the Idempotency-Key header is found by
 *   comparing names in lower case. A key that is malformed, or sent twice, renders a
 *   SendMessage without a MessageBody: SQS refuses it (400 MissingParameter) and queues
 *   nothing, and the 400 integration response names the header. (A request template cannot
 *   answer by itself; this is the one 400 a direct SQS integration can produce.)
 */
export function placeOrderRequestTemplate(mode: AuthorizerMode): string {
  // No line breaks: whatever a Velocity version does with the newline after a directive, the
  // form SQS parses starts with "Action=".
  return [
    // Quiet reference: no identity renders "" (which the consumer refuses), never the reference text.
    `#set($sub = "$!${PRINCIPAL_SOURCE[mode]}")`,
    `#set($key = '')`,
    `#set($keys = 0)`,
    `#foreach($name in $input.params().header.keySet())`,
    `#if($name.toLowerCase() == '${IDEMPOTENCY_KEY_HEADER.toLowerCase()}')`,
    `#set($key = $input.params().header.get($name))`,
    `#set($keys = $keys + 1)`,
    `#end`,
    `#end`,
    `#set($open = '{"data":')`,
    `#set($principal = ',"principal":{"sub":"')`,
    `#set($close = '"}}')`,
    `#set($caller = $util.escapeJavaScript($sub).replaceAll("\\\\'", "'"))`,
    `#set($message = "$open$input.json('$')$principal$caller$close")`,
    `#if($keys > 1 || ($keys == 1 && !$key.matches('${IDEMPOTENCY_KEY_PATTERN}')))`,
    'Action=SendMessage',
    '#{else}',
    `#if($keys == 1)#set($keyName = '${ORDER_ATTRIBUTES.idempotencyKey}')#set($keyValue = $key)#{else}#set($keyName = '${ORDER_ATTRIBUTES.requestId}')#set($keyValue = $context.requestId)#{end}`,
    [
      'Action=SendMessage',
      'MessageBody=$util.urlEncode($message)',
      `MessageAttribute.1.Name=${ORDER_ATTRIBUTES.caller}`,
      'MessageAttribute.1.Value.DataType=String',
      'MessageAttribute.1.Value.StringValue=$util.urlEncode($sub)',
      'MessageAttribute.2.Name=$keyName',
      'MessageAttribute.2.Value.DataType=String',
      'MessageAttribute.2.Value.StringValue=$util.urlEncode($keyValue)',
    ].join('&'),
    '#end',
  ].join('');
}

/** 202 with the order id: SendMessage's MD5OfMessageAttributes, written as a UUID. */
export const PLACE_ORDER_RESPONSE_TEMPLATE = [
  `#set($md5 = $input.path('$.SendMessageResponse.SendMessageResult.MD5OfMessageAttributes'))`,
  '{"order_id":"$md5.substring(0,8)-$md5.substring(8,12)-$md5.substring(12,16)-$md5.substring(16,20)-$md5.substring(20,32)"}',
].join('');

/** 400 for a malformed Idempotency-Key header, in the API's error shape: nothing was queued. */
export const PLACE_ORDER_INVALID_KEY_TEMPLATE = JSON.stringify({
  message: 'Invalid request',
  errors: [{ field: `header.${IDEMPOTENCY_KEY_HEADER}`, problem: `${IDEMPOTENCY_KEY_PROBLEM}, and sent once` }],
});

/** When SQS fails otherwise (throttling, a missing queue): a 500 in the API's error shape, with no SQS detail. */
export const PLACE_ORDER_FAILURE_TEMPLATE = '{"message":"the order could not be queued; try again"}';

/**
 * The headers of every answer of POST /orders. It carries a user's order id: no cache may keep
 * it, and no browser may read it as anything but JSON (OWASP API Security: `Cache-Control:
 * no-store`, `X-Content-Type-Options: nosniff`). The functions send the same on theirs.
 */
const PLACE_ORDER_RESPONSE_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } as const;

const METHOD_RESPONSE_HEADER = 'method.response.header.';

/** A static value, as API Gateway's parameter mappings write one: single-quoted (a quote inside cannot be written, so it is dropped). */
export const staticValue = (value: string) => `'${value.replace(/'/g, '')}'`;

/** Response parameters that set each header to a static value: `method.response.header.<name>` → `'<value>'`. */
export function staticResponseParameters(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [`${METHOD_RESPONSE_HEADER}${name}`, staticValue(value)]));
}

/**
 * The headers response parameters set, as API Gateway renders them: each static value
 * (`'no-store'`) under its header's name. A mapping from the integration's answer
 * (`integration.response.header.…`) is not one this API uses, and is refused.
 */
export function responseHeaders(parameters: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(parameters).map(([key, value]) => {
      const quoted = /^'([^']*)'$/.exec(value);
      if (!key.startsWith(METHOD_RESPONSE_HEADER) || !quoted) throw new Error(`response parameter ${key} = ${value} is not a static header value`);
      return [key.slice(METHOD_RESPONSE_HEADER.length), quoted[1]];
    }),
  );
}

/**
 * One integration response, as the OpenAPI extension writes it: keyed by its selection pattern
 * (a regular expression the service's status code must match whole; `default` takes the rest),
 * the status it answers with, the headers it sets and the body template.
 */
export interface IntegrationResponse {
  readonly statusCode: string;
  readonly responseParameters: Readonly<Record<string, string>>;
  readonly responseTemplates: { readonly 'application/json': string };
}

/**
 * The SQS integration of POST /orders, less what only infra knows (the queue's URI, the role):
 * the templates by content type (only JSON reaches the queue: with `passthroughBehavior: never`,
 * any other content type is refused with 415 before SQS), the request headers SQS's query
 * protocol needs, and the integration responses by SQS status, each with its headers.
 */
export function placeOrderIntegration(mode: AuthorizerMode) {
  const responseParameters = staticResponseParameters(PLACE_ORDER_RESPONSE_HEADERS);
  const responses: Record<string, IntegrationResponse> = {
    '2\\d{2}': { statusCode: '202', responseParameters, responseTemplates: { 'application/json': PLACE_ORDER_RESPONSE_TEMPLATE } },
    '400': { statusCode: '400', responseParameters, responseTemplates: { 'application/json': PLACE_ORDER_INVALID_KEY_TEMPLATE } },
    default: { statusCode: '500', responseParameters, responseTemplates: { 'application/json': PLACE_ORDER_FAILURE_TEMPLATE } },
  };
  return {
    type: 'aws' as const,
    httpMethod: 'POST',
    requestParameters: {
      'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
      'integration.request.header.Accept': "'application/json'",
    },
    requestTemplates: { 'application/json': placeOrderRequestTemplate(mode) },
    passthroughBehavior: 'never' as const,
    responses,
  };
}
