import * as z from 'zod/mini';
import { ORDER_STATUSES, type Order } from '@serverless-orders/orders-domain';

/**
 * The contract between the order workflow (order-workflow.asl.ts) and its task functions,
 * defined once: the order as the workflow carries it, what each step receives and returns,
 * and the error names the ASL's Retry and Catch match. The handlers parse their input with
 * these schemas, so a drift between the ASL and a handler fails loudly (InvalidTaskInput)
 * instead of half-working.
 *
 * Each step has one name, from the ASL state to the use case: the Task state `RecordPayment`
 * sends `{"step": "RecordPayment", …}` and manage-order-state runs the use case RecordPayment.
 */

/**
 * The order as the workflow carries it at `$.order`: the stored order itself, field for field,
 * so nothing is renamed between hops. toWorkflowOrder and orderFromWorkflow are the only
 * mappers between an Order and the workflow's state.
 */
export const WorkflowOrder = z.object({
  id: z.string().check(z.minLength(1)),
  user_id: z.string().check(z.minLength(1)),
  restaurant_id: z.string(),
  item: z.string(),
  quantity: z.number(),
  order_status: z.enum(ORDER_STATUSES),
  error_message: z.optional(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.int().check(z.minimum(1)),
});
export type WorkflowOrder = z.output<typeof WorkflowOrder>;

export function toWorkflowOrder(order: Order): WorkflowOrder {
  return {
    id: order.id,
    user_id: order.user_id,
    restaurant_id: order.restaurant_id,
    item: order.item,
    quantity: order.quantity,
    order_status: order.order_status,
    ...(order.error_message !== undefined ? { error_message: order.error_message } : {}),
    created_at: order.created_at,
    updated_at: order.updated_at,
    version: order.version,
  };
}

export function orderFromWorkflow(order: WorkflowOrder): Order {
  return { ...order };
}

/** The execution input: the order as the queue consumer stored it. The execution is named after order.id. */
export const OrderWorkflowInput = z.object({ order: WorkflowOrder });
export type OrderWorkflowInput = z.output<typeof OrderWorkflowInput>;

export function workflowInput(order: Order): OrderWorkflowInput {
  return { order: toWorkflowOrder(order) };
}

/** What a provider step (process-payment, send-order) returns at `$.payment` / `$.restaurant`; the Choice states test `status`. */
export const ProviderTaskResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok') }),
  z.object({ status: z.literal('error'), error_message: z.string() }),
]);
export type ProviderTaskResult = z.output<typeof ProviderTaskResult>;

/** The error output a Catch puts at `$.error`. */
export const CaughtError = z.object({ Error: z.string(), Cause: z.optional(z.string()) });
export type CaughtError = z.output<typeof CaughtError>;

/** Every step of the workflow that runs a function, by its one name. */
export const WORKFLOW_STEPS = {
  /** Charges the order as it is (process-payment); a refusal is a result, not an error. */
  ProcessPayment: 'process-payment',
  /** PENDING → PAID for the order as it was charged; a customer's change meanwhile keeps it PENDING. */
  RecordPayment: 'manage-order-state',
  /** Hands the paid order to its restaurant (send-order); a refusal is a result. */
  SendOrderToRestaurant: 'send-order',
  /** PAID → SUCCESS; notifies. */
  CompleteOrder: 'manage-order-state',
  /** PENDING → FAILURE with the payment provider's reason; notifies. */
  RecordPaymentRefusal: 'manage-order-state',
  /** PAID → FAILURE with the restaurant's reason; notifies. */
  RecordRestaurantRefusal: 'manage-order-state',
  /** → FAILURE after a permanent error of any step; notifies. */
  FailOrder: 'manage-order-state',
} as const;

export type WorkflowStep = keyof typeof WORKFLOW_STEPS;
/** The functions that run the workflow's steps (the state machine's role may invoke exactly these). */
export type WorkflowTaskFunction = (typeof WORKFLOW_STEPS)[WorkflowStep];

/** The task functions, each once, in a stable order: infra deploys them first, the local stack loads them. */
export const WORKFLOW_TASK_FUNCTIONS: readonly WorkflowTaskFunction[] = [...new Set(Object.values(WORKFLOW_STEPS))];

const step = <S extends WorkflowStep>(name: S) => z.literal(name);

/** What process-payment and send-order receive. */
export const ProviderTaskInput = z.object({
  step: z.union([step('ProcessPayment'), step('SendOrderToRestaurant')]),
  order: WorkflowOrder,
});
export type ProviderTaskInput = z.output<typeof ProviderTaskInput>;

/** What manage-order-state receives; it returns the stored order as a WorkflowOrder. */
export const ManageOrderStateInput = z.discriminatedUnion('step', [
  z.object({ step: step('RecordPayment'), order: WorkflowOrder }),
  z.object({ step: step('CompleteOrder'), order: WorkflowOrder }),
  z.object({ step: step('RecordPaymentRefusal'), order: WorkflowOrder, result: z.unknown() }),
  z.object({ step: step('RecordRestaurantRefusal'), order: WorkflowOrder, result: z.unknown() }),
  z.object({ step: step('FailOrder'), order: WorkflowOrder, error: CaughtError }),
]);
export type ManageOrderStateInput = z.output<typeof ManageOrderStateInput>;

/**
 * Error names (the Lambda errorType) the task functions throw on purpose. The workflow retries
 * `transient` (and Lambda's own transient errors, LAMBDA_TRANSIENT_ERRORS) with backoff, ends
 * quietly on `orderGone`, and catches only the permanent ones into FailOrder. Anything else
 * (a transient error past its retries, a Lambda configuration error) fails the execution and
 * leaves the order for the reconciler, never FAILURE by accident.
 */
export const WORKFLOW_ERRORS = {
  /** The order is gone: its owner deleted it while the workflow ran. The workflow ends quietly. */
  orderGone: 'OrderGone',
  /** The status change is not a legal transition. Permanent. */
  illegalTransition: 'IllegalTransition',
  /** The task input does not match this contract. Permanent. */
  invalidTaskInput: 'InvalidTaskInput',
  /** A dependency refused the request for good (validation, not found, a failed condition, access denied). */
  permanent: 'PermanentTaskError',
  /** A dependency (table, topic, provider) was briefly unavailable: network, throttling, 5xx. Retried. */
  transient: 'TransientTaskError',
} as const;

export type WorkflowErrorName = (typeof WORKFLOW_ERRORS)[keyof typeof WORKFLOW_ERRORS];

/** The errors caught into FailOrder: permanent ones only. */
export const PERMANENT_WORKFLOW_ERRORS = [WORKFLOW_ERRORS.illegalTransition, WORKFLOW_ERRORS.invalidTaskInput, WORKFLOW_ERRORS.permanent] as const;

/**
 * Lambda's transient errors, as Step Functions names them: the Invoke API's service errors and
 * throttling, and what Lambda reports for an invocation that died without an answer (a crash,
 * an out-of-memory, a function timeout: `Lambda.Unknown`, `Sandbox.Timedout`). Every step is
 * safe to run again, so all of them are retried; so is a Task state's own timeout.
 */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
  'States.Timeout',
] as const;

/** An error a task function throws with a contract name as its Lambda errorType. */
export class WorkflowTaskError extends Error {
  constructor(
    readonly errorType: WorkflowErrorName,
    message: string,
  ) {
    super(message);
    // Lambda reports error.name as the errorType; Step Functions matches Retry/Catch on it.
    this.name = errorType;
  }
}
