import type { Order } from '@serverless-orders/orders-domain';

/** What `start` found: a new run, or one already started for this order (a redelivered message). */
export type StartOutcome = 'started' | 'already-started';

/** The order workflow: saves, charges, sends to the restaurant and settles one order. */
export interface OrderWorkflow {
  /** Starts the run for a newly placed (PENDING) order; at most one run per order id. */
  start(order: Order): Promise<StartOutcome>;
}
