import type { Order } from '@serverless-orders/orders-domain';

/** What a provider needs to know about an order: the order as it is charged or sent, version included. */
export type OrderToFulfil = Pick<Order, 'id' | 'user_id' | 'restaurant_id' | 'item' | 'quantity' | 'version'>;

/** A provider's answer: done, or refused with its reason (a refusal is an outcome, not an error). */
export type ProviderOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * The key a provider call carries, as a real payment provider takes an idempotency key: the
 * same order version is charged (or sent) at most once, however often the step runs.
 */
export function providerIdempotencyKey(order: Pick<Order, 'id' | 'version'>): string {
  return `${order.id}:v${order.version}`;
}
