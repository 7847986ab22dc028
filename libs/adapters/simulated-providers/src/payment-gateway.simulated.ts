import type { OrderToFulfil, PaymentGateway, ProviderOutcome } from '@serverless-orders/orders-application';
import { checkSimulation, simulate, type SimulationOptions } from './simulation';

/** The simulated payment provider's refusal, as the original system worded it. */
export const PAYMENT_ERROR_MESSAGE = 'Error processing payment';

/**
 * A payment provider that does not exist: as in the original system, each charge randomly
 * succeeds or fails. A real provider is another PaymentGateway adapter, chosen in the
 * composition root.
 */
export class SimulatedPaymentGateway implements PaymentGateway {
  constructor(private readonly options: SimulationOptions) {
    checkSimulation(options);
  }

  async charge(_order: OrderToFulfil): Promise<ProviderOutcome> {
    return simulate(this.options, PAYMENT_ERROR_MESSAGE);
  }
}
