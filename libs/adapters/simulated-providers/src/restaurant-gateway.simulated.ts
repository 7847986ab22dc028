import type { OrderToFulfil, ProviderOutcome, RestaurantGateway } from '@serverless-orders/orders-application';
import { checkSimulation, simulate, type SimulationOptions } from './simulation';

/** The simulated restaurant's refusal, as the original system worded it. */
export const RESTAURANT_ERROR_MESSAGE = 'Error sending order to restaurant';

/**
 * A restaurant that does not exist: as in the original system, each order is randomly
 * accepted or refused. A real restaurant integration is another RestaurantGateway adapter.
 */
export class SimulatedRestaurantGateway implements RestaurantGateway {
  constructor(private readonly options: SimulationOptions) {
    checkSimulation(options);
  }

  async send(_order: OrderToFulfil): Promise<ProviderOutcome> {
    return simulate(this.options, RESTAURANT_ERROR_MESSAGE);
  }
}
