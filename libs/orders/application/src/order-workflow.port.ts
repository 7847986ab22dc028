import type { Order } from '@serverless-orders/orders-domain';

/** What `start` found: a new run, or one already started for this order (a redelivered message). */
export type StartOutcome = 'started' | 'already-started';

/** The order's run of the workflow, as the reconciler needs to know it. */
export type WorkflowRun =
  | { readonly state: 'none' }
  | { readonly state: 'running' }
  | {
      readonly state: 'ended';
      readonly outcome: 'succeeded' | 'failed' | 'timed-out' | 'aborted';
      /** Whether it can be resumed from the step that failed. */
      readonly resumable: boolean;
      /** How often it was resumed already. */
      readonly resumed: number;
    };

/** The order workflow: charges, sends to the restaurant and settles one stored order. */
export interface OrderWorkflow {
  /** Starts the run of a stored (PENDING) order; at most one run per order id. */
  start(order: Order): Promise<StartOutcome>;
  /** The order's run, if any. */
  runOf(orderId: string): Promise<WorkflowRun>;
  /** Resumes an ended run from the step that failed (every step is safe to run again). */
  resume(orderId: string): Promise<void>;
}
