import { SendOrderToRestaurant } from '@serverless-orders/orders-application';
import { createObservability } from '@serverless-orders/platform-lambda';
import { providerTaskHandler } from '@serverless-orders/platform-workflow-tasks';
import { createContainer } from './container';

// Once per cold start: logger, tracer, config and the container.
const obs = createObservability('send-order');
const container = createContainer(obs);

/** Workflow task: SendOrderToRestaurant: hands the order to its restaurant. */
export const handler = providerTaskHandler(obs, container.get(SendOrderToRestaurant));
