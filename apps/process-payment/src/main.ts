import { TakePayment } from '@serverless-orders/orders-application';
import { createObservability } from '@serverless-orders/platform-lambda';
import { providerTaskHandler } from '@serverless-orders/platform-workflow-tasks';
import { createContainer } from './container';

// Once per cold start: logger, tracer, config and the container.
const obs = createObservability('process-payment');
const container = createContainer(obs);

/** Workflow task: ProcessPayment: takes payment. */
export const handler = providerTaskHandler(obs, container.get(TakePayment));
