import { CompleteOrder, FailOrder, RecordPayment, SaveOrder } from '@serverless-orders/orders-application';
import { createObservability } from '@serverless-orders/platform-lambda';
import { createContainer } from './container';
import { createManageOrderStateHandler } from './handler';

// Once per cold start: logger, tracer, clients, config and the container.
const obs = createObservability('manage-order-state');
const container = createContainer(obs);

/** Workflow task: SaveOrder, RecordPayment, UpdateOrderStatus, PaymentFailure, SendToRestaurantFailure, OrderFailed. */
export const handler = createManageOrderStateHandler(obs, {
  save: container.get(SaveOrder),
  recordPayment: container.get(RecordPayment),
  complete: container.get(CompleteOrder),
  fail: container.get(FailOrder),
});
