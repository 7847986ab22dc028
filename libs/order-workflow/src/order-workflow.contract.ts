import * as z from 'zod/mini';
import { ORDER_STATUSES } from '@serverless-orders/orders-domain';

/**
 * The contract between the order workflow (order-workflow.asl.ts) and its task functions,
 * defined once: what each task receives, what it returns, and the error names the ASL's
 * Retry and Catch match. The handlers parse their input with these schemas, so a drift
 * between the ASL and a handler fails loudly (InvalidTaskInput) instead of half-working.
 */

const Id = z.string().check(z.minLength(1));

/** The execution input create-order starts the workflow with; the execution name is order_id. */
export const OrderWorkflowInput = z.object({
  order_id: Id,
  user_id: Id,
  restaurant_id: z.string(),
  item: z.string(),
  quantity: z.number(),
  /** When the order was placed (the SQS SentTimestamp): the order's created_at, stable across redeliveries. */
  placed_at: z.iso.datetime(),
});
export type OrderWorkflowInput = z.output<typeof OrderWorkflowInput>;

/** The order as manage-order-state last stored it; the workflow keeps it at `$.order`. */
export const WorkflowOrder = z.object({
  order_id: Id,
  user_id: Id,
  restaurant_id: z.string(),
  item: z.string(),
  quantity: z.number(),
  order_status: z.enum(ORDER_STATUSES),
  error_message: z.optional(z.string()),
});
export type WorkflowOrder = z.output<typeof WorkflowOrder>;

/** What process-payment and send-order receive. */
export const ProviderTaskInput = z.object({ order: WorkflowOrder });
export type ProviderTaskInput = z.output<typeof ProviderTaskInput>;

/** What process-payment and send-order return (at `$.payment` and `$.restaurant`); the Choice states test `status`. */
export const ProviderTaskResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok') }),
  z.object({ status: z.literal('error'), error_message: z.string() }),
]);
export type ProviderTaskResult = z.output<typeof ProviderTaskResult>;

/** The error output a Catch puts at `$.error`. */
export const CaughtError = z.object({ Error: z.string(), Cause: z.optional(z.string()) });
export type CaughtError = z.output<typeof CaughtError>;

const target = { order_id: Id, user_id: Id };

/** What manage-order-state receives; it returns the stored order as a WorkflowOrder. */
export const ManageOrderStateInput = z.discriminatedUnion('action', [
  /** SaveOrder: a conditional put, so a repeated save never resets a later status. */
  z.object({ action: z.literal('save'), order: OrderWorkflowInput }),
  /** RecordPayment: PENDING → PAID, for the order as ProcessPayment charged it (`paid`). */
  z.object({ action: z.literal('payment-success'), ...target, paid: WorkflowOrder }),
  /** PaymentFailure: PENDING → FAILURE with the provider's reason; notifies. */
  z.object({ action: z.literal('payment-failure'), ...target, result: z.unknown() }),
  /** SendToRestaurantFailure: PAID → FAILURE with the restaurant's reason; notifies. */
  z.object({ action: z.literal('restaurant-failure'), ...target, result: z.unknown() }),
  /** UpdateOrderStatus: PAID → SUCCESS; notifies. */
  z.object({ action: z.literal('success'), ...target }),
  /** OrderFailed (every task's Catch): → FAILURE with a reason naming the error; notifies. */
  z.object({ action: z.literal('failure'), ...target, error: CaughtError }),
]);
export type ManageOrderStateInput = z.output<typeof ManageOrderStateInput>;
export type ManageOrderStateAction = ManageOrderStateInput['action'];

/**
 * Error names (the Lambda errorType) the task functions throw on purpose. Any other error
 * is permanent unless it is one of Lambda's transient errors, which every task retries.
 */
export const WORKFLOW_ERRORS = {
  /** The order is gone: its owner deleted it while the workflow ran. The workflow ends quietly. */
  orderGone: 'OrderGone',
  /** The status change is not a legal transition; not retried, caught as a failure. */
  illegalTransition: 'IllegalTransition',
  /** The task input does not match this contract. */
  invalidTaskInput: 'InvalidTaskInput',
  /** A dependency of the task (table, topic) was briefly unavailable after the SDK's own retries: retried. */
  transient: 'TransientTaskError',
} as const;

/** Lambda's transient errors (as Step Functions names them): retried with backoff on every task. */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/** An error a task function throws with a contract name as its Lambda errorType. */
export class WorkflowTaskError extends Error {
  constructor(
    readonly errorType: (typeof WORKFLOW_ERRORS)[keyof typeof WORKFLOW_ERRORS],
    message: string,
  ) {
    super(message);
    // Lambda reports error.name as the errorType; Step Functions matches Retry/Catch on it.
    this.name = errorType;
  }
}
