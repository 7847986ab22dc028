import { LAMBDA_TRANSIENT_ERRORS, WORKFLOW_ERRORS } from './order-workflow.contract';

/**
 * The order workflow as one Amazon States Language document, defined once. Infra creates
 * the state machine from it with the functions' ARNs as resources; the local stack runs the
 * same document with aws-local-stepfunctions, its resources mapped to the local handlers.
 *
 * SaveOrder → ProcessPayment → Wait → PaymentChoice → RecordPayment → SendOrderToRestaurant
 *   → SendToRestaurantChoice → UpdateOrderStatus, with PaymentFailure and
 * SendToRestaurantFailure as in the original. What the original lacked, so that no order stays
 * PENDING forever: every task retries Lambda's transient errors with backoff, and catches
 * everything else into OrderFailed (FAILURE with a reason, and a notification). RecordPayment
 * makes PAID visible while the restaurant step runs, for the order as it was paid for: one its
 * customer changed meanwhile stays PENDING and PaidChoice sends it back to ProcessPayment. An
 * order its owner deleted meanwhile ends the workflow quietly in OrderDeleted.
 *
 * Data: the execution input (OrderWorkflowInput) stays at the root; manage-order-state writes
 * the stored order to `$.order`, the providers their results to `$.payment` and `$.restaurant`,
 * a Catch the error to `$.error`. Task inputs and outputs are order-workflow.contract.ts.
 */

/** The function (ARN in AWS; whatever the local runner maps locally) behind each kind of task. */
export interface WorkflowResources {
  'manage-order-state': string;
  'process-payment': string;
  'send-order': string;
}

/** A state of the document; kept loose on purpose, it is data for two interpreters. */
export type AslState = { readonly Type: 'Task' | 'Wait' | 'Choice' | 'Pass' | 'Succeed' | 'Fail' } & Record<string, unknown>;

/** A plain JSON ASL document. */
export interface AslDefinition {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
}

/** Every Task state and the function it runs (the local runner maps Task states by name). */
export const WORKFLOW_TASKS = {
  SaveOrder: 'manage-order-state',
  ProcessPayment: 'process-payment',
  RecordPayment: 'manage-order-state',
  SendOrderToRestaurant: 'send-order',
  UpdateOrderStatus: 'manage-order-state',
  PaymentFailure: 'manage-order-state',
  SendToRestaurantFailure: 'manage-order-state',
  OrderFailed: 'manage-order-state',
} as const satisfies Record<string, keyof WorkflowResources>;

export type WorkflowTaskName = keyof typeof WORKFLOW_TASKS;

/** The one Wait state, whose duration is `waitSeconds`. */
export const WORKFLOW_WAIT_STATE = 'Wait';

/**
 * Lambda's transient errors are retried with exponential backoff and full jitter (about a
 * minute in all); so are a task's own transient errors (a throttled table, say). Every other
 * error is permanent: it goes to the Catch.
 */
export const TASK_RETRY = [
  {
    ErrorEquals: [...LAMBDA_TRANSIENT_ERRORS],
    IntervalSeconds: 2,
    MaxAttempts: 5,
    BackoffRate: 2,
    MaxDelaySeconds: 30,
    JitterStrategy: 'FULL',
  },
  {
    ErrorEquals: [WORKFLOW_ERRORS.transient],
    IntervalSeconds: 1,
    MaxAttempts: 3,
    BackoffRate: 2,
    MaxDelaySeconds: 10,
    JitterStrategy: 'FULL',
  },
] as const;

/** Seconds a task may run before Step Functions gives up on it (above every task function's timeout). */
const TASK_TIMEOUT_SECONDS = 60;

const ids = { 'order_id.$': '$.order_id', 'user_id.$': '$.user_id' };
const toFailed = { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'OrderFailed' };
const toDeleted = { ErrorEquals: [WORKFLOW_ERRORS.orderGone], ResultPath: '$.error', Next: 'OrderDeleted' };

export function orderWorkflowDefinition(options: { waitSeconds: number; resources: WorkflowResources }): AslDefinition {
  const { waitSeconds, resources } = options;
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0) {
    throw new Error(`waitSeconds must be a whole number of seconds ≥ 0, not ${waitSeconds}`);
  }
  for (const name of ['manage-order-state', 'process-payment', 'send-order'] as const) {
    if (!resources[name]) throw new Error(`the workflow needs a resource for ${name}`);
  }

  const task = (name: WorkflowTaskName, fields: Record<string, unknown>): AslState => ({
    Type: 'Task',
    Resource: resources[WORKFLOW_TASKS[name]],
    TimeoutSeconds: TASK_TIMEOUT_SECONDS,
    Retry: TASK_RETRY,
    ...fields,
  });

  return {
    Comment: 'Serverless Orders: save, take payment, send to the restaurant, set the final status and notify',
    StartAt: 'SaveOrder',
    States: {
      SaveOrder: task('SaveOrder', {
        Parameters: { action: 'save', 'order.$': '$' },
        ResultPath: '$.order',
        Catch: [toFailed],
        Next: 'ProcessPayment',
      }),
      ProcessPayment: task('ProcessPayment', {
        Parameters: { 'order.$': '$.order' },
        ResultPath: '$.payment',
        Catch: [toFailed],
        Next: WORKFLOW_WAIT_STATE,
      }),
      [WORKFLOW_WAIT_STATE]: { Type: 'Wait', Seconds: waitSeconds, Next: 'PaymentChoice' },
      PaymentChoice: {
        Type: 'Choice',
        Choices: [{ Variable: '$.payment.status', StringEquals: 'ok', Next: 'RecordPayment' }],
        Default: 'PaymentFailure',
      },
      RecordPayment: task('RecordPayment', {
        Parameters: { action: 'payment-success', ...ids, 'paid.$': '$.order' },
        ResultPath: '$.order',
        Catch: [toDeleted, toFailed],
        Next: 'PaidChoice',
      }),
      // The customer changed the order while it was paid for: it is still PENDING, so charge
      // for the order as it now is; the restaurant only ever gets what was paid for.
      PaidChoice: {
        Type: 'Choice',
        Choices: [{ Variable: '$.order.order_status', StringEquals: 'PAID', Next: 'SendOrderToRestaurant' }],
        Default: 'ProcessPayment',
      },
      SendOrderToRestaurant: task('SendOrderToRestaurant', {
        Parameters: { 'order.$': '$.order' },
        ResultPath: '$.restaurant',
        Catch: [toFailed],
        Next: 'SendToRestaurantChoice',
      }),
      SendToRestaurantChoice: {
        Type: 'Choice',
        Choices: [{ Variable: '$.restaurant.status', StringEquals: 'ok', Next: 'UpdateOrderStatus' }],
        Default: 'SendToRestaurantFailure',
      },
      UpdateOrderStatus: task('UpdateOrderStatus', {
        Parameters: { action: 'success', ...ids },
        ResultPath: '$.order',
        Catch: [toDeleted, toFailed],
        End: true,
      }),
      PaymentFailure: task('PaymentFailure', {
        Parameters: { action: 'payment-failure', ...ids, 'result.$': '$.payment' },
        ResultPath: '$.order',
        Catch: [toDeleted, toFailed],
        End: true,
      }),
      SendToRestaurantFailure: task('SendToRestaurantFailure', {
        Parameters: { action: 'restaurant-failure', ...ids, 'result.$': '$.restaurant' },
        ResultPath: '$.order',
        Catch: [toDeleted, toFailed],
        End: true,
      }),
      OrderFailed: task('OrderFailed', {
        Parameters: { action: 'failure', ...ids, 'error.$': '$.error' },
        ResultPath: '$.order',
        Catch: [toDeleted, { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'ProcessingFailed' }],
        End: true,
      }),
      OrderDeleted: {
        Type: 'Succeed',
        Comment: 'The owner deleted the order while the workflow ran: nothing left to do',
      },
      ProcessingFailed: {
        Type: 'Fail',
        Error: 'OrderProcessingFailed',
        Cause: 'The order could not be processed, nor marked as failed',
      },
    },
  };
}
