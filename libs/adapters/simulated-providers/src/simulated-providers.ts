import type {
  OrderToFulfil,
  PaymentGateway,
  ProviderOutcome,
  RestaurantGateway,
} from '@serverless-orders/orders-application';
import type { Random } from './random';

/** The simulated payment provider's refusal, as the original system worded it. */
export const PAYMENT_ERROR_MESSAGE = 'Error processing payment';
/** The simulated restaurant's refusal, as the original system worded it. */
export const RESTAURANT_ERROR_MESSAGE = 'Error sending order to restaurant';
/** How often the simulations refuse when not told otherwise. */
export const DEFAULT_FAILURE_RATE = 0.2;

export interface SimulationOptions {
  /** The share of calls that fail, from 0 (never) to 1 (always). */
  readonly failureRate: number;
  /** Where the randomness comes from; seed it (seededRandom) for reproducible runs. */
  readonly random: Random;
}

function simulate({ failureRate, random }: SimulationOptions, errorMessage: string): ProviderOutcome {
  if (!(failureRate >= 0 && failureRate <= 1)) throw new RangeError(`failureRate must be from 0 to 1, not ${failureRate}`);
  return random() < failureRate ? { ok: false, reason: errorMessage } : { ok: true };
}

/**
 * A payment provider that does not exist: as in the original system, each charge randomly
 * succeeds or fails. A real provider is another PaymentGateway adapter, chosen in the
 * composition root.
 */
export class SimulatedPaymentGateway implements PaymentGateway {
  constructor(private readonly options: SimulationOptions) {
    simulate({ ...options, random: () => 1 }, PAYMENT_ERROR_MESSAGE); // checks the rate at start
  }

  async charge(_order: OrderToFulfil): Promise<ProviderOutcome> {
    return simulate(this.options, PAYMENT_ERROR_MESSAGE);
  }
}

/** A restaurant that does not exist: each order is randomly accepted or refused, as in the original system. */
export class SimulatedRestaurantGateway implements RestaurantGateway {
  constructor(private readonly options: SimulationOptions) {
    simulate({ ...options, random: () => 1 }, RESTAURANT_ERROR_MESSAGE);
  }

  async send(_order: OrderToFulfil): Promise<ProviderOutcome> {
    return simulate(this.options, RESTAURANT_ERROR_MESSAGE);
  }
}
