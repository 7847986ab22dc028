import { PlaceOrder } from '@serverless-orders/orders-application';
import { createObservability } from '@serverless-orders/platform-lambda';
import { createContainer } from './container';
import { createOrderQueueHandler } from './handler';

// Once per cold start: logger, tracer, the Step Functions client, config and the container.
const obs = createObservability('create-order');
const container = createContainer(obs);

/** The order queue's consumer (SQS event source mapping, batch size 10, ReportBatchItemFailures). */
export const handler = createOrderQueueHandler(obs, container.get(PlaceOrder));
