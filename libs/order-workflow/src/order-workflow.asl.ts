import {
  LAMBDA_TRANSIENT_ERRORS,
  PERMANENT_WORKFLOW_ERRORS,
  WORKFLOW_ERRORS,
  WORKFLOW_STEPS,
  type WorkflowStep,
  type WorkflowTaskFunction,
} from './order-workflow.contract';

/**
 * The order workflow as one Amazon States Language document, defined once. Infra creates the
 * state machine from it with the functions' ARNs as resources; the local stack runs the same
 * document with aws-local-stepfunctions, its resources mapped to the local functions.
 *
 * The queue consumer has already stored the order PENDING before it starts the execution
 * (named after the order id) with the order as input. Then:
 *
 *   ProcessPayment → Wait → PaymentChoice → RecordPayment → PaidChoice → SendOrderToRestaurant
 *     → RestaurantChoice → CompleteOrder
 *   with RecordPaymentRefusal and RecordRestaurantRefusal for a provider's refusal, and
 *   FailOrder for a permanent error of any step.
 *
 * Every step is safe to run again: providers are idempotent on (order id, version), status
 * changes are conditional, notifications carry a deduplication id. So every transient error
 * (TransientTaskError, Lambda's, a crash or a timeout) is retried with exponential backoff and
 * full jitter over several minutes, and only permanent errors are caught into FailOrder. A
 * transient error that outlasts its retries fails the execution without touching the order,
 * which the reconciler then re-drives. RecordPayment keeps an order its customer changed
 * meanwhile PENDING, and PaidChoice sends it back to ProcessPayment: the restaurant only ever
 * gets what was paid for. An order its owner deleted meanwhile ends quietly in OrderDeleted.
 *
 * Data: the stored order is at `$.order` (each manage-order-state step writes it back), the
 * providers' results at `$.payment` and `$.restaurant`, a Catch's error at `$.error`.
 */

/** The function (its ARN in AWS; whatever the local runner maps locally) behind each task function. */
export type WorkflowResources = Readonly<Record<WorkflowTaskFunction, string>>;

/** A state of the document; kept loose on purpose, it is data for two interpreters. */
export type AslState = { readonly Type: 'Task' | 'Wait' | 'Choice' | 'Pass' | 'Succeed' | 'Fail' } & Record<string, unknown>;

/** A plain JSON ASL document. */
export interface AslDefinition {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly TimeoutSeconds?: number;
  readonly States: Readonly<Record<string, AslState>>;
}

/** The one Wait state, whose duration is `waitSeconds`. */
export const WORKFLOW_WAIT_STATE = 'Wait';

/**
 * Transient errors are retried with exponential backoff (1 s, 2 s, 4 s … capped at 30 s) and
 * full jitter, 20 times: at most about 8 minutes, on average about 4, and with full jitter more
 * than 2 minutes of outage is covered in all but a negligible share of runs.
 */
export const TASK_RETRY = [
  {
    ErrorEquals: [WORKFLOW_ERRORS.transient, ...LAMBDA_TRANSIENT_ERRORS],
    IntervalSeconds: 1,
    MaxAttempts: 20,
    BackoffRate: 2,
    MaxDelaySeconds: 30,
    JitterStrategy: 'FULL',
  },
] as const;

/** The longest the retries of one task can wait in all: the sum of the capped backoff delays. */
export const TASK_RETRY_HORIZON_SECONDS = (() => {
  const [r] = TASK_RETRY;
  let total = 0;
  for (let attempt = 0; attempt < r.MaxAttempts; attempt++) total += Math.min(r.IntervalSeconds * r.BackoffRate ** attempt, r.MaxDelaySeconds);
  return total;
})();

/** Seconds one attempt of a task may run before Step Functions gives up on it (above every task function's timeout). */
export const TASK_TIMEOUT_SECONDS = 60;

/** The whole execution's bound beyond its Wait: past it, the execution times out and the reconciler takes over. */
export const EXECUTION_TIMEOUT_BEYOND_WAIT_SECONDS = 3600;

const toDeleted = { ErrorEquals: [WORKFLOW_ERRORS.orderGone], ResultPath: '$.error', Next: 'OrderDeleted' };
const toFailOrder = { ErrorEquals: [...PERMANENT_WORKFLOW_ERRORS], ResultPath: '$.error', Next: 'FailOrder' };

export function orderWorkflowDefinition(options: { waitSeconds: number; resources: WorkflowResources }): AslDefinition {
  const { waitSeconds, resources } = options;
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0) {
    throw new Error(`waitSeconds must be a whole number of seconds ≥ 0, not ${waitSeconds}`);
  }
  for (const fn of new Set(Object.values(WORKFLOW_STEPS))) {
    if (!resources[fn]) throw new Error(`the workflow needs a resource for ${fn}`);
  }

  /** A Task state named after its step; the step's name travels in its input. */
  const task = (name: WorkflowStep, parameters: Record<string, unknown>, fields: Record<string, unknown>): AslState => ({
    Type: 'Task',
    Resource: resources[WORKFLOW_STEPS[name]],
    Parameters: { step: name, 'order.$': '$.order', ...parameters },
    TimeoutSeconds: TASK_TIMEOUT_SECONDS,
    Retry: TASK_RETRY,
    ...fields,
  });
  const states: Record<WorkflowStep, AslState> & Record<string, AslState> = {
    ProcessPayment: task('ProcessPayment', {}, { ResultPath: '$.payment', Catch: [toFailOrder], Next: WORKFLOW_WAIT_STATE }),
    [WORKFLOW_WAIT_STATE]: { Type: 'Wait', Seconds: waitSeconds, Next: 'PaymentChoice' },
    PaymentChoice: {
      Type: 'Choice',
      Choices: [{ Variable: '$.payment.status', StringEquals: 'ok', Next: 'RecordPayment' }],
      Default: 'RecordPaymentRefusal',
    },
    RecordPayment: task('RecordPayment', {}, { ResultPath: '$.order', Catch: [toDeleted, toFailOrder], Next: 'PaidChoice' }),
    // PAID: on to the restaurant. Still PENDING: the customer changed the order while it was
    // paid for, so charge for the order as it now is (the restaurant only ever gets what was paid
    // for). Anything else: an earlier run of this workflow already settled it.
    PaidChoice: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.order.order_status', StringEquals: 'PAID', Next: 'SendOrderToRestaurant' },
        { Variable: '$.order.order_status', StringEquals: 'PENDING', Next: 'ProcessPayment' },
      ],
      Default: 'OrderSettled',
    },
    SendOrderToRestaurant: task('SendOrderToRestaurant', {}, { ResultPath: '$.restaurant', Catch: [toFailOrder], Next: 'RestaurantChoice' }),
    RestaurantChoice: {
      Type: 'Choice',
      Choices: [{ Variable: '$.restaurant.status', StringEquals: 'ok', Next: 'CompleteOrder' }],
      Default: 'RecordRestaurantRefusal',
    },
    CompleteOrder: task('CompleteOrder', {}, { ResultPath: '$.order', Catch: [toDeleted, toFailOrder], End: true }),
    RecordPaymentRefusal: task('RecordPaymentRefusal', { 'result.$': '$.payment' }, { ResultPath: '$.order', Catch: [toDeleted, toFailOrder], End: true }),
    RecordRestaurantRefusal: task(
      'RecordRestaurantRefusal',
      { 'result.$': '$.restaurant' },
      { ResultPath: '$.order', Catch: [toDeleted, toFailOrder], End: true },
    ),
    // A permanent error here too ends the execution FAILED: the order is left for the reconciler.
    FailOrder: task('FailOrder', { 'error.$': '$.error' }, { ResultPath: '$.order', Catch: [toDeleted], End: true }),
    OrderDeleted: {
      Type: 'Succeed',
      Comment: 'The owner deleted the order while the workflow ran: nothing left to do',
    },
    OrderSettled: {
      Type: 'Succeed',
      Comment: 'An earlier run of this workflow settled the order (a step runs at least once): nothing left to do',
    },
  };
  return {
    Comment: 'Serverless Orders: take payment, send to the restaurant, set the final status and notify',
    StartAt: 'ProcessPayment',
    TimeoutSeconds: waitSeconds + EXECUTION_TIMEOUT_BEYOND_WAIT_SECONDS,
    States: states,
  };
}
