import { ORDER_QUEUE } from '@serverless-orders/function-catalogue';
import { createObservability, resolve } from '@serverless-orders/platform-lambda';
import { createContainer } from './container';
import { createOrderQueueHandler } from './handler';
import { CREATE_ORDER_TOKENS } from './tokens';

const obs = createObservability('create-order');
const container = createContainer(obs);

/** The order queue's consumer (SQS event source mapping, batch size 10, ReportBatchItemFailures). */
export const handler = createOrderQueueHandler(obs, resolve(container, CREATE_ORDER_TOKENS.PlaceOrder), resolve(container, CREATE_ORDER_TOKENS.DeadLetterQueue), {
  maxReceiveCount: ORDER_QUEUE.maxReceiveCount,
});
