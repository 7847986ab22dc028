import { TakePayment } from '@serverless-orders/orders-application';
import { createObservability } from '@serverless-orders/platform-lambda';
import { createContainer } from './container';
import { createTakePaymentHandler } from './handler';

// Once per cold start: logger, tracer, config and the container.
const obs = createObservability('process-payment');
const container = createContainer(obs);

/** Workflow task: ProcessPayment: takes payment. */
export const handler = createTakePaymentHandler(obs, container.get(TakePayment));
