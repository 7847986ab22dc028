import type { AuthorizerMode } from './stack-settings';

/**
 * The mapping templates (Velocity, API Gateway's dialect) of POST /orders, which API Gateway
 * integrates directly with SQS SendMessage: no Lambda in between.
 *
 * The message body is the shared order message (libs/system order-message.schema.ts):
 *   {"data": <the client's JSON body>, "principal": {"sub": "<caller>"}}
 * The caller comes only from the authorizer: claims.sub for Cognito's user-pool authorizer,
 * principalId for the Lambda authorizer. Nothing in the client's body can set it.
 * The order id is the SQS MessageId, answered as {"order_id": "<MessageId>"} with 202.
 */

/** Where each authorizer puts the caller's identity (a Velocity reference, less its `$`). */
export const PRINCIPAL_SOURCE: Record<AuthorizerMode, string> = {
  cognito: 'context.authorizer.claims.sub',
  lambda: 'context.authorizer.principalId',
};

/**
 * The SendMessage request (form encoded, SQS's query protocol). The JSON is assembled from
 * single-quoted literals (Velocity does not interpolate them) around the body and the sub.
 */
export function placeOrderRequestTemplate(mode: AuthorizerMode): string {
  return [
    // Quiet reference: no identity renders "" (which the consumer refuses), never the reference text.
    `#set($sub = "$!${PRINCIPAL_SOURCE[mode]}")`,
    `#set($open = '{"data":')`,
    `#set($principal = ',"principal":{"sub":"')`,
    `#set($close = '"}}')`,
    `#set($message = "$open$input.json('$')$principal$util.escapeJavaScript($sub)$close")`,
    'Action=SendMessage&MessageBody=$util.urlEncode($message)',
  ].join('\n');
}

/** 202 with the order id: SQS's MessageId. */
export const PLACE_ORDER_RESPONSE_TEMPLATE = [
  `#set($id = $input.path('$.SendMessageResponse.SendMessageResult.MessageId'))`,
  '{"order_id":"$id"}',
].join('\n');

/** When SQS refuses (throttling, a missing queue): a 500 in the API's error shape, with no SQS detail. */
export const PLACE_ORDER_FAILURE_TEMPLATE = '{"message":"the order could not be queued; try again"}';
