import { RESTAURANT_ERROR_MESSAGE } from '@serverless-orders/adapters-simulated-providers';
import { createObservability } from '@serverless-orders/platform-lambda';
import { describeSimulatedProviderRoot } from '@serverless-orders/testing';
import { createContainer, TOKENS } from './container';

const obs = createObservability('send-order-test');

describeSimulatedProviderRoot({
  app: 'send-order',
  prefix: 'RESTAURANT',
  createContainer: (env) => createContainer(obs, env),
  step: TOKENS.Step,
  refusal: RESTAURANT_ERROR_MESSAGE,
});
