import type { Order } from '@serverless-orders/orders-domain';

/** What a provider needs to know about an order. */
export type OrderToFulfil = Pick<Order, 'id' | 'user_id' | 'restaurant_id' | 'item' | 'quantity'>;

/** A provider's answer: done, or refused with its reason (a refusal is an outcome, not an error). */
export type ProviderOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };
