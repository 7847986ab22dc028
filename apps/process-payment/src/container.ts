import { Container } from 'inversify';
import { ORDERS_TOKENS, TakePayment, type PaymentGateway } from '@serverless-orders/orders-application';
import { DEFAULT_FAILURE_RATE, SimulatedPaymentGateway, seededRandom } from '@serverless-orders/adapters-simulated-providers';
import { ConfigError, configFrom, type Observability } from '@serverless-orders/platform-lambda';

/** The providers this function can talk to; a real one is one more adapter and one more choice here. */
export const PAYMENT_PROVIDERS = ['simulated'] as const;

/** The composition root: the one place that chooses adapters, from configuration. */
export function createContainer(_obs: Observability, env = process.env): Container {
  const config = configFrom(env);
  const provider = config.oneOf('PAYMENT_PROVIDER', PAYMENT_PROVIDERS, 'simulated');
  const container = new Container({ defaultScope: 'Singleton' });
  switch (provider) {
    case 'simulated': {
      const failureRate = config.number('PAYMENT_FAILURE_RATE', DEFAULT_FAILURE_RATE, { min: 0, max: 1 });
      const seed = config.optional('PAYMENT_RANDOM_SEED');
      if (seed !== undefined && !/^\d+$/.test(seed)) throw new ConfigError(`setting PAYMENT_RANDOM_SEED is "${seed}"; expected a whole number`);
      const random = seed === undefined ? Math.random : seededRandom(Number(seed));
      container.bind<PaymentGateway>(ORDERS_TOKENS.PaymentGateway).toConstantValue(new SimulatedPaymentGateway({ failureRate, random }));
      break;
    }
  }
  container.bind(TakePayment).toSelf();
  return container;
}
