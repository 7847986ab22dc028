import * as z from 'zod/mini';
import { ValidationError } from '@serverless-orders/orders-domain';
import { parseWith, PlaceOrderBody } from './request.schemas';

/**
 * The message POST /orders puts on the order queue, defined once for the API's mapping
 * template (infra), the local gateway and the queue consumer (create-order).
 *
 * - `data` is the client's JSON body as it arrived, a PlaceOrderBody.
 * - `principal` is the caller as the authorizer established it: `sub` is the owner of the
 *   order; other claims may ride along as strings. The owner never comes from `data`.
 * - The order id is not in the body: it is derived from the message's attributes (order-identity.ts).
 */
export const OrderPrincipal = z.catchall(
  z.object({ sub: z.string().check(z.trim(), z.minLength(1, 'must not be empty')) }),
  // A Lambda authorizer's context may carry numbers and booleans; they are read as strings.
  z.pipe(z.union([z.string(), z.number(), z.boolean()]), z.transform(String)),
);

export const OrderMessage = z.object({
  data: PlaceOrderBody,
  principal: OrderPrincipal,
});

/** The message as the consumer reads it (quantity already a number). */
export type OrderMessage = z.output<typeof OrderMessage>;
/** The message as a producer may write it (quantity may still be the client's string). */
export type OrderMessageInput = z.input<typeof OrderMessage>;
export type OrderPrincipal = z.output<typeof OrderPrincipal>;

/**
 * Parses a queue message body; a body that is not JSON, or not an order message, is a
 * ValidationError naming each field at fault (`message`, `data.quantity`, `principal.sub`, …).
 */
export function parseOrderMessage(body: string): OrderMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw ValidationError.of('message', 'is not valid JSON');
  }
  return parseWith(OrderMessage, json, 'message');
}

/** The body a producer sends for a placed order. */
export function orderMessageBody(data: OrderMessageInput['data'], principal: OrderMessageInput['principal']): string {
  return JSON.stringify({ data, principal } satisfies OrderMessageInput);
}
