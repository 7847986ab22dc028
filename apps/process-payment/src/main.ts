import { createObservability, resolve } from '@serverless-orders/platform-lambda';
import { providerTaskHandler } from '@serverless-orders/platform-workflow-tasks';
import { createContainer, TOKENS } from './container';

const obs = createObservability('process-payment');
const container = createContainer(obs);

/** Workflow task ProcessPayment: takes payment, once per order version. */
export const handler = providerTaskHandler(obs, resolve(container, TOKENS.Step), resolve(container, TOKENS.Options));
