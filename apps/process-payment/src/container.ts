import { Container } from 'inversify';
import { ORDERS_TOKENS, TakePayment, type PaymentGateway } from '@serverless-orders/orders-application';
import { SimulatedPaymentGateway, simulationFromConfig } from '@serverless-orders/adapters-simulated-providers';
import { configFrom, type Observability } from '@serverless-orders/platform-lambda';

/** The providers this function can talk to; a real one is one more adapter and one more choice here. */
export const PAYMENT_PROVIDERS = ['simulated'] as const;

/** The composition root: the one place that chooses adapters, from configuration. */
export function createContainer(_obs: Observability, env = process.env): Container {
  const config = configFrom(env);
  const provider = config.oneOf('PAYMENT_PROVIDER', PAYMENT_PROVIDERS, 'simulated');
  const container = new Container({ defaultScope: 'Singleton' });
  switch (provider) {
    case 'simulated': {
      container.bind<PaymentGateway>(ORDERS_TOKENS.PaymentGateway).toConstantValue(new SimulatedPaymentGateway(simulationFromConfig(config, 'PAYMENT')));
      break;
    }
  }
  container.bind(TakePayment).toSelf();
  return container;
}
