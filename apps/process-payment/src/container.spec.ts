import { PAYMENT_ERROR_MESSAGE } from '@serverless-orders/adapters-simulated-providers';
import { createObservability } from '@serverless-orders/platform-lambda';
import { describeSimulatedProviderRoot } from '@serverless-orders/testing';
import { createContainer, TOKENS } from './container';

const obs = createObservability('process-payment-test');

describeSimulatedProviderRoot({
  app: 'process-payment',
  prefix: 'PAYMENT',
  createContainer: (env) => createContainer(obs, env),
  step: TOKENS.Step,
  refusal: PAYMENT_ERROR_MESSAGE,
});
