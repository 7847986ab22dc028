import type { Order } from '@serverless-orders/orders-domain';

/**
 * Tells the customer how their order ended. A retried step may notify the same final status
 * again; each notification carries a deduplication id (the order id and its final status),
 * the same every time, so that a subscriber can drop repeats.
 */
export interface OrderNotifier {
  /** The order reached a final status (SUCCESS, or FAILURE with its reason). */
  notifyFinalStatus(order: Order): Promise<void>;
}

/** The deduplication id of an order's final notification: one final status per order. */
export function notificationDeduplicationId(order: Pick<Order, 'id' | 'order_status'>): string {
  return `${order.id}:${order.order_status}`;
}
