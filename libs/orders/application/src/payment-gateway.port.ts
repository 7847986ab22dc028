import type { OrderToFulfil, ProviderOutcome } from './order-providers.port';

/**
 * Takes payment for an order. A charge with an idempotency key already used answers the first
 * outcome and charges nothing (as payment providers' idempotency keys do): the key is
 * providerIdempotencyKey(order), so one order version is charged at most once.
 */
export interface PaymentGateway {
  charge(order: OrderToFulfil, idempotencyKey: string): Promise<ProviderOutcome>;
}
