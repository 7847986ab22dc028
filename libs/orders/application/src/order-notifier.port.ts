import type { Order } from '@serverless-orders/orders-domain';

/** Tells the customer how their order ended. */
export interface OrderNotifier {
  /** The order reached a final status (SUCCESS, or FAILURE with its reason). */
  notifyFinalStatus(order: Order): Promise<void>;
}
