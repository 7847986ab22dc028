import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Container } from 'inversify';
import { ProcessPayment, type PaymentGateway } from '@serverless-orders/orders-application';
import { SimulatedPaymentGateway, simulationFromConfig } from '@serverless-orders/adapters-simulated-providers';
import { IDEMPOTENCY_TABLE } from '@serverless-orders/order-table';
import { awsClient, configFrom, provide, provideFrom, token, type Observability } from '@serverless-orders/platform-lambda';
import { dynamoDbIdempotencyStore, type ProviderTaskOptions } from '@serverless-orders/platform-workflow-tasks';

/** The providers this function can talk to; a real one is one more adapter and one more choice here. */
const PAYMENT_PROVIDERS = ['simulated'] as const;

export const TOKENS = {
  Gateway: token<PaymentGateway>('process-payment.PaymentGateway'),
  Step: token<ProcessPayment>('process-payment.ProcessPayment'),
  Options: token<ProviderTaskOptions>('process-payment.ProviderTaskOptions'),
};

/** The composition root: the one place that chooses adapters, from configuration. */
export function createContainer(obs: Observability, env = process.env): Container {
  const config = configFrom(env);
  const provider = config.oneOf('PAYMENT_PROVIDER', PAYMENT_PROVIDERS, 'simulated');
  const idempotencyTable = config.required('IDEMPOTENCY_TABLE_NAME');
  const container = new Container({ defaultScope: 'Singleton' });
  switch (provider) {
    case 'simulated':
      provide(container, TOKENS.Gateway, new SimulatedPaymentGateway(simulationFromConfig(config, 'PAYMENT')));
      break;
  }
  provideFrom(container, TOKENS.Step, [TOKENS.Gateway], (gateway) => new ProcessPayment(gateway));
  provide(container, TOKENS.Options, {
    step: 'ProcessPayment',
    persistenceStore: dynamoDbIdempotencyStore(idempotencyTable, awsClient(obs, DynamoDBClient)),
    expiresAfterSeconds: IDEMPOTENCY_TABLE.recordTtlSeconds,
  });
  return container;
}
