import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { DynamoDbOrderRepository, documentClient } from '@serverless-orders/adapters-dynamodb';
import { PAYMENT_ERROR_MESSAGE, RESTAURANT_ERROR_MESSAGE } from '@serverless-orders/adapters-simulated-providers';
import { FAILURE_REASONS, type Order } from '@serverless-orders/orders-domain';
import { orderWorkflowDefinition, WORKFLOW_TASKS, WORKFLOW_WAIT_STATE, type OrderWorkflowInput, type WorkflowResources, type WorkflowTaskName } from '@serverless-orders/order-workflow';
import { loadBundle } from '@serverless-orders/testing';
import { startLocalPipeline, type LocalPipeline } from './test/local-pipeline';

/*
 * The real ASL document, run by aws-local-stepfunctions, with every Task state mapped to the
 * real built handler (dist/apps/<task>/main.js) behind it, against dynalite and fauxqs. The
 * Wait and the retry pauses are overridden to 0 ms; everything else is as deployed.
 *
 * Step Functions behaviour pinned here: a Lambda task that fails with one of Lambda's
 * transient errors (Lambda.ServiceException, Lambda.TooManyRequestsException, …) is retried
 * per the state's Retry; any other error goes straight to the first matching Catch, whose
 * ResultPath puts {Error, Cause} at $.error.
 */

type TaskHandler = (input: unknown) => Promise<unknown>;
type Wrap = (handler: TaskHandler, state: WorkflowTaskName) => TaskHandler;

const resources: WorkflowResources = {
  'manage-order-state': 'arn:aws:lambda:us-east-1:123456789012:function:manage-order-state',
  'process-payment': 'arn:aws:lambda:us-east-1:123456789012:function:process-payment',
  'send-order': 'arn:aws:lambda:us-east-1:123456789012:function:send-order',
};
const definition = orderWorkflowDefinition({ waitSeconds: 30, resources });

let local: LocalPipeline;
let repo: DynamoDbOrderRepository;
const bundles = {} as Record<'manage' | 'paymentOk' | 'paymentFails' | 'restaurantOk' | 'restaurantFails', TaskHandler>;

/** A fresh cold start of a bundle with its own settings (jest's isolated module registry). */
function coldStart(app: string, env: Record<string, string>): TaskHandler {
  let handler: TaskHandler | undefined;
  jest.isolateModules(() => {
    handler = loadBundle<TaskHandler>(app, env);
  });
  return handler as TaskHandler;
}

beforeAll(async () => {
  local = await startLocalPipeline();
  repo = new DynamoDbOrderRepository(documentClient(local.db.client), local.tableName);
  bundles.manage = coldStart('manage-order-state', local.env);
  bundles.paymentOk = coldStart('process-payment', { PAYMENT_FAILURE_RATE: '0', POWERTOOLS_LOG_LEVEL: 'SILENT' });
  bundles.paymentFails = coldStart('process-payment', { PAYMENT_FAILURE_RATE: '1', POWERTOOLS_LOG_LEVEL: 'SILENT' });
  bundles.restaurantOk = coldStart('send-order', { RESTAURANT_FAILURE_RATE: '0', POWERTOOLS_LOG_LEVEL: 'SILENT' });
  bundles.restaurantFails = coldStart('send-order', { RESTAURANT_FAILURE_RATE: '1', POWERTOOLS_LOG_LEVEL: 'SILENT' });
});
afterAll(() => local.close());

interface Run {
  readonly order: OrderWorkflowInput;
  /** Every task invocation, in order, retries included. */
  readonly calls: WorkflowTaskName[];
  readonly result: Promise<{ order?: Record<string, unknown>; error?: { Error: string } } | undefined>;
}

function runWorkflow(options: { payment?: 'ok' | 'fails'; restaurant?: 'ok' | 'fails'; wrap?: Wrap } = {}): Run {
  const order: OrderWorkflowInput = {
    order_id: randomUUID(),
    user_id: 'alice',
    restaurant_id: 'r-1',
    item: 'pizza',
    quantity: 2,
    placed_at: new Date().toISOString(),
  };
  const byFunction: Record<keyof WorkflowResources, TaskHandler> = {
    'manage-order-state': bundles.manage,
    'process-payment': options.payment === 'fails' ? bundles.paymentFails : bundles.paymentOk,
    'send-order': options.restaurant === 'fails' ? bundles.restaurantFails : bundles.restaurantOk,
  };
  const calls: WorkflowTaskName[] = [];
  const handlers: Record<string, TaskHandler> = {};
  for (const [state, fn] of Object.entries(WORKFLOW_TASKS) as [WorkflowTaskName, keyof WorkflowResources][]) {
    const real = options.wrap ? options.wrap(byFunction[fn], state) : byFunction[fn];
    handlers[state] = async (input) => {
      calls.push(state);
      return real(input);
    };
  }
  const machine = new StateMachine(definition as never);
  const execution = machine.run(order as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never, // handlers answer JSON; their input is the task input
      waitTimeOverrides: { [WORKFLOW_WAIT_STATE]: 0 },
      retryIntervalOverrides: Object.fromEntries(Object.keys(WORKFLOW_TASKS).map((s) => [s, 0])),
    },
  });
  return { order, calls, result: execution.result as Run['result'] };
}

const stored = (run: Run): Promise<Order | undefined> => repo.get(run.order.user_id, run.order.order_id);

/** An error as Step Functions names a failed Lambda invoke. */
const lambdaError = (name: string) => Object.assign(new Error(`${name}: simulated`), { name });

describe('the order workflow (real ASL, real task bundles, dynalite, fauxqs)', () => {
  it('success: PENDING → PAID → SUCCESS, the customer notified', async () => {
    const run = runWorkflow();
    const output = await run.result;
    expect(run.calls).toEqual(['SaveOrder', 'ProcessPayment', 'RecordPayment', 'SendOrderToRestaurant', 'UpdateOrderStatus']);
    expect(output?.order).toMatchObject({ order_id: run.order.order_id, order_status: 'SUCCESS' });
    expect(await stored(run)).toMatchObject({ order_status: 'SUCCESS', created_at: run.order.placed_at });
    const notes = await local.notificationsFor(run.order.order_id);
    expect(notes).toHaveLength(1);
    expect(notes[0].Subject).toContain('SUCCESS');
  });

  it('payment failure: PaymentFailure sets FAILURE with the provider’s message, and notifies', async () => {
    const run = runWorkflow({ payment: 'fails' });
    await run.result;
    expect(run.calls).toEqual(['SaveOrder', 'ProcessPayment', 'PaymentFailure']);
    expect(await stored(run)).toMatchObject({ order_status: 'FAILURE', error_message: PAYMENT_ERROR_MESSAGE });
    const [note] = await local.notificationsFor(run.order.order_id);
    expect(note.Message).toContain(`Reason: ${PAYMENT_ERROR_MESSAGE}`);
  });

  it('restaurant failure: SendToRestaurantFailure sets a PAID order to FAILURE with the restaurant’s message', async () => {
    const run = runWorkflow({ restaurant: 'fails' });
    await run.result;
    expect(run.calls).toEqual(['SaveOrder', 'ProcessPayment', 'RecordPayment', 'SendOrderToRestaurant', 'SendToRestaurantFailure']);
    expect(await stored(run)).toMatchObject({ order_status: 'FAILURE', error_message: RESTAURANT_ERROR_MESSAGE });
    const [note] = await local.notificationsFor(run.order.order_id);
    expect(note.Message).toContain('Status: FAILURE');
  });

  it('a transient task error, then success: retried, and a repeated SaveOrder does not reset the order', async () => {
    const failedOnce = new Set<WorkflowTaskName>();
    const run = runWorkflow({
      wrap: (handler, state) => async (input) => {
        if (state === 'ProcessPayment' && !failedOnce.has(state)) {
          failedOnce.add(state);
          throw lambdaError('Lambda.TooManyRequestsException'); // the invoke was throttled: the function never ran
        }
        if (state === 'SaveOrder' && !failedOnce.has(state)) {
          failedOnce.add(state);
          await handler(input); // the function ran and saved, but its answer was lost
          throw lambdaError('Lambda.ServiceException');
        }
        return handler(input);
      },
    });
    const output = await run.result;
    expect(run.calls).toEqual(['SaveOrder', 'SaveOrder', 'ProcessPayment', 'ProcessPayment', 'RecordPayment', 'SendOrderToRestaurant', 'UpdateOrderStatus']);
    expect(output?.order).toMatchObject({ order_status: 'SUCCESS' });
    expect(await stored(run)).toMatchObject({ order_status: 'SUCCESS' });
  });

  it('a permanent task error: not retried, caught, the order set to FAILURE with a reason, and notified', async () => {
    const run = runWorkflow({
      wrap: (handler, state) => async (input) => {
        if (state === 'SendOrderToRestaurant') throw Object.assign(new Error('restaurant API answered 500'), { name: 'RestaurantApiError' });
        return handler(input);
      },
    });
    const output = await run.result;
    expect(run.calls).toEqual(['SaveOrder', 'ProcessPayment', 'RecordPayment', 'SendOrderToRestaurant', 'OrderFailed']);
    expect(output?.error).toMatchObject({ Error: 'RestaurantApiError' });
    expect(await stored(run)).toMatchObject({ order_status: 'FAILURE', error_message: `${FAILURE_REASONS.processing} (RestaurantApiError)` });
    const [note] = await local.notificationsFor(run.order.order_id);
    expect(note.Message).toContain('Status: FAILURE');
  });

  it('transient errors that outlast the retries end in FAILURE too, so no order stays PENDING', async () => {
    const run = runWorkflow({
      wrap: (handler, state) => async (input) => {
        if (state === 'ProcessPayment') throw lambdaError('Lambda.ServiceException');
        return handler(input);
      },
    });
    await run.result;
    const maxAttempts = (definition.States['ProcessPayment']['Retry'] as { MaxAttempts: number }[])[0].MaxAttempts;
    expect(run.calls.filter((s) => s === 'ProcessPayment')).toHaveLength(1 + maxAttempts);
    expect(run.calls.at(-1)).toBe('OrderFailed');
    expect(await stored(run)).toMatchObject({ order_status: 'FAILURE', error_message: `${FAILURE_REASONS.processing} (Lambda.ServiceException)` });
  });

  it('an order its owner deletes during the wait ends the workflow quietly: no restaurant, no notification', async () => {
    const run = runWorkflow({
      wrap: (handler, state) => async (input) => {
        const result = await handler(input);
        if (state === 'ProcessPayment') {
          const { order } = input as { order: { user_id: string; order_id: string } };
          await repo.delete(order.user_id, order.order_id); // DELETE /orders/{id} while the workflow waits
        }
        return result;
      },
    });
    const output = await run.result;
    expect(run.calls).toEqual(['SaveOrder', 'ProcessPayment', 'RecordPayment']);
    expect(output?.error).toMatchObject({ Error: 'OrderGone' });
    expect(await stored(run)).toBeUndefined();
    expect(await local.notificationsFor(run.order.order_id, 1, 2)).toHaveLength(0);
  });

  it('an order its customer changes while it is paid for is charged again as it now is, and only that reaches the restaurant', async () => {
    const charged: number[] = [];
    const sent: number[] = [];
    let changedOnce = false;
    const run = runWorkflow({
      wrap: (handler, state) => async (input) => {
        const result = await handler(input);
        if (state === 'ProcessPayment') charged.push((input as { order: { quantity: number } }).order.quantity);
        if (state === 'SendOrderToRestaurant') sent.push((input as { order: { quantity: number } }).order.quantity);
        if (state === 'ProcessPayment' && !changedOnce) {
          changedOnce = true;
          // PUT /orders/{id} while the workflow waits: the order is still PENDING, so the change is allowed.
          const { order } = input as { order: { user_id: string; order_id: string } };
          const current = (await repo.get(order.user_id, order.order_id)) as Order;
          await repo.replace({ ...current, quantity: current.quantity + 1, updated_at: new Date().toISOString() }, current);
        }
        return result;
      },
    });
    await run.result;
    expect(run.calls).toEqual([
      'SaveOrder',
      'ProcessPayment',
      'RecordPayment', // the order changed: still PENDING, PaidChoice goes back
      'ProcessPayment',
      'RecordPayment',
      'SendOrderToRestaurant',
      'UpdateOrderStatus',
    ]);
    expect(charged).toEqual([2, 3]);
    expect(sent).toEqual([3]);
    expect(await stored(run)).toMatchObject({ order_status: 'SUCCESS', quantity: 3 });
  });
});
