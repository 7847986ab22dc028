import { createObservability, resolve } from '@serverless-orders/platform-lambda';
import { createContainer, TOKENS } from './container';
import { createManageOrderStateHandler } from './handler';

const obs = createObservability('manage-order-state');
const container = createContainer(obs);

/** Workflow task: RecordPayment, CompleteOrder, RecordPaymentRefusal, RecordRestaurantRefusal, FailOrder. */
export const handler = createManageOrderStateHandler(obs, resolve(container, TOKENS.Steps));
