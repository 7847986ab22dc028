import type { OrderToFulfil, PaymentGateway, ProviderOutcome } from '@serverless-orders/orders-application';
import { SimulatedProvider, type SimulationOptions } from './simulation';

/** The simulated payment provider's refusal (kept word for word: see README, Compatibility). */
export const PAYMENT_ERROR_MESSAGE = 'Error processing payment';

/**
 * A payment provider that does not exist: each charge randomly
 * succeeds or fails; as a real provider, a charge under a key already used charges nothing
 * and answers the first outcome. A real provider is another PaymentGateway adapter, chosen in
 * the composition root.
 */
export class SimulatedPaymentGateway implements PaymentGateway {
  private readonly provider: SimulatedProvider;

  constructor(options: SimulationOptions) {
    this.provider = new SimulatedProvider(options, PAYMENT_ERROR_MESSAGE);
  }

  charge(order: OrderToFulfil, idempotencyKey: string): Promise<ProviderOutcome> {
    return this.provider.act(order, idempotencyKey);
  }
}
