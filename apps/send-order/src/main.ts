import { createObservability, resolve } from '@serverless-orders/platform-lambda';
import { providerTaskHandler } from '@serverless-orders/platform-workflow-tasks';
import { createContainer, TOKENS } from './container';

const obs = createObservability('send-order');
const container = createContainer(obs);

/** Workflow task SendOrderToRestaurant: hands the paid order to its restaurant, once per order version. */
export const handler = providerTaskHandler(obs, resolve(container, TOKENS.Step), resolve(container, TOKENS.Options));
