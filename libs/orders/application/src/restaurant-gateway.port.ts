import type { OrderToFulfil, ProviderOutcome } from './order-providers.port';

/** Hands an order to its restaurant; like a charge, a send with a key already used sends nothing again. */
export interface RestaurantGateway {
  send(order: OrderToFulfil, idempotencyKey: string): Promise<ProviderOutcome>;
}
