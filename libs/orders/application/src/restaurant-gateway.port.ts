import type { OrderToFulfil, ProviderOutcome } from './order-providers.port';

/** Hands an order to its restaurant. */
export interface RestaurantGateway {
  send(order: OrderToFulfil): Promise<ProviderOutcome>;
}
