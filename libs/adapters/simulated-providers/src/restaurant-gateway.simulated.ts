import type { OrderToFulfil, ProviderOutcome, RestaurantGateway } from '@serverless-orders/orders-application';
import { SimulatedProvider, type SimulationOptions } from './simulation';

/** The simulated restaurant's refusal (kept word for word: see README, Compatibility). */
export const RESTAURANT_ERROR_MESSAGE = 'Error sending order to restaurant';

/**
 * A restaurant that does not exist: each order is randomly
 * accepted or refused; a send under a key already used sends nothing again. A real restaurant
 * integration is another RestaurantGateway adapter.
 */
export class SimulatedRestaurantGateway implements RestaurantGateway {
  private readonly provider: SimulatedProvider;

  constructor(options: SimulationOptions) {
    this.provider = new SimulatedProvider(options, RESTAURANT_ERROR_MESSAGE);
  }

  send(order: OrderToFulfil, idempotencyKey: string): Promise<ProviderOutcome> {
    return this.provider.act(order, idempotencyKey);
  }
}
