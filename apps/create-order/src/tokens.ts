import type { PlaceOrder } from '@serverless-orders/orders-application';
import { token } from '@serverless-orders/platform-lambda';
import type { DeadLetterQueue } from './dead-letter-queue';

export const CREATE_ORDER_TOKENS = {
  PlaceOrder: token<PlaceOrder>('create-order.PlaceOrder'),
  DeadLetterQueue: token<DeadLetterQueue>('create-order.DeadLetterQueue'),
};
