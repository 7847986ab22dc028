import type { OrderToFulfil, ProviderOutcome } from './order-providers.port';

/** Takes payment for an order. */
export interface PaymentGateway {
  charge(order: OrderToFulfil): Promise<ProviderOutcome>;
}
