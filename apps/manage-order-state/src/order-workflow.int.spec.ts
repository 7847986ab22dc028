import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { DynamoDbOrderRepository, documentClient } from '@serverless-orders/adapters-dynamodb';
import { PAYMENT_ERROR_MESSAGE, RESTAURANT_ERROR_MESSAGE } from '@serverless-orders/adapters-simulated-providers';
import { FAILURE_REASONS, newOrder, type Order } from '@serverless-orders/orders-domain';
import {
  orderWorkflowDefinition,
  TASK_RETRY,
  WORKFLOW_ERRORS,
  WORKFLOW_STEPS,
  WORKFLOW_WAIT_STATE,
  workflowInput,
  type WorkflowResources,
  type WorkflowStep,
} from '@serverless-orders/order-workflow';
import { loadBundle } from '@serverless-orders/testing';
import { startLocalPipeline, type LocalPipeline } from './test/local-pipeline';

/*
 * The real ASL document, run by aws-local-stepfunctions, with every Task state mapped to the
 * real built handler (dist/apps/<task>/main.js) behind it, against the local DynamoDB (orders
 * and idempotency tables) and SNS. The Wait and the retry pauses are overridden to 0 ms;
 * everything else is as deployed. Charges and sends are counted in the simulated providers'
 * ledgers, one entry per idempotency key: what a real provider would have done.
 *
 * Step Functions behaviour pinned here: a Lambda task that fails with a transient error
 * (TransientTaskError, or Lambda's own: Lambda.ServiceException, Lambda.Unknown for a crash or
 * a timeout, …) is retried per the state's Retry; a permanent one goes straight to the Catch,
 * whose ResultPath puts {Error, Cause} at $.error; one that outlasts its retries fails the
 * execution.
 */

type TaskHandler = (input: unknown) => Promise<unknown>;
type Wrap = (handler: TaskHandler, state: WorkflowStep) => TaskHandler;

const resources: WorkflowResources = {
  'manage-order-state': 'arn:aws:lambda:us-east-1:123456789012:function:manage-order-state',
  'process-payment': 'arn:aws:lambda:us-east-1:123456789012:function:process-payment',
  'send-order': 'arn:aws:lambda:us-east-1:123456789012:function:send-order',
};
const definition = orderWorkflowDefinition({ waitSeconds: 30, resources });

let local: LocalPipeline;
let repo: DynamoDbOrderRepository;
const bundles = {} as Record<'manage' | 'paymentOk' | 'paymentFails' | 'restaurantOk' | 'restaurantFails', TaskHandler>;
const context = { getRemainingTimeInMillis: () => 10_000, awsRequestId: 'r' };

/** A fresh cold start of a bundle with its own settings (jest's isolated module registry). */
function coldStart(app: string, env: Record<string, string>): TaskHandler {
  let handler: ((input: unknown, ctx: unknown) => Promise<unknown>) | undefined;
  jest.isolateModules(() => {
    handler = loadBundle(app, { POWERTOOLS_LOG_LEVEL: 'SILENT', ...env });
  });
  return (input) => (handler as NonNullable<typeof handler>)(input, context);
}

beforeAll(async () => {
  local = await startLocalPipeline();
  repo = new DynamoDbOrderRepository(documentClient(local.db.client), local.tableName);
  bundles.manage = coldStart('manage-order-state', local.env);
  bundles.paymentOk = coldStart('process-payment', local.providerEnv('PAYMENT', { PAYMENT_FAILURE_RATE: '0' }));
  bundles.paymentFails = coldStart('process-payment', local.providerEnv('PAYMENT', { PAYMENT_FAILURE_RATE: '1' }));
  bundles.restaurantOk = coldStart('send-order', local.providerEnv('RESTAURANT', { RESTAURANT_FAILURE_RATE: '0' }));
  bundles.restaurantFails = coldStart('send-order', local.providerEnv('RESTAURANT', { RESTAURANT_FAILURE_RATE: '1' }));
});
afterAll(() => local.close());

interface Run {
  readonly order: Order;
  /** Every task invocation, in order, retries included. */
  readonly calls: WorkflowStep[];
  readonly result: Promise<{ order?: Record<string, unknown>; error?: { Error: string } } | undefined>;
}

async function runWorkflow(options: { payment?: 'ok' | 'fails'; restaurant?: 'ok' | 'fails'; wrap?: Wrap; again?: Order } = {}): Promise<Run> {
  // As the queue consumer does: the order is stored PENDING before its workflow starts (unless
  // this is a run started again with the input of an earlier one).
  const order = options.again ?? newOrder(randomUUID(), 'alice', { restaurant_id: 'r-1', item: 'pizza', quantity: 2 }, new Date());
  if (!options.again) await repo.create(order);
  const byFunction: Record<keyof WorkflowResources, TaskHandler> = {
    'manage-order-state': bundles.manage,
    'process-payment': options.payment === 'fails' ? bundles.paymentFails : bundles.paymentOk,
    'send-order': options.restaurant === 'fails' ? bundles.restaurantFails : bundles.restaurantOk,
  };
  const calls: WorkflowStep[] = [];
  const handlers: Record<string, TaskHandler> = {};
  for (const [state, fn] of Object.entries(WORKFLOW_STEPS) as [WorkflowStep, keyof WorkflowResources][]) {
    const real = options.wrap ? options.wrap(byFunction[fn], state) : byFunction[fn];
    handlers[state] = async (input) => {
      calls.push(state);
      return real(input);
    };
  }
  const machine = new StateMachine(definition as never);
  const execution = machine.run(workflowInput(order) as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      waitTimeOverrides: { [WORKFLOW_WAIT_STATE]: 0 },
      retryIntervalOverrides: Object.fromEntries(Object.keys(WORKFLOW_STEPS).map((s) => [s, 0])),
    },
  });
  return { order, calls, result: execution.result as Run['result'] };
}

const stored = (run: Run): Promise<Order | undefined> => repo.get(run.order.user_id, run.order.id);

/** An error as Step Functions names a failed Lambda invoke. */
const lambdaError = (name: string) => Object.assign(new Error(`${name}: simulated`), { name });

describe('the order workflow (real ASL, real task bundles, local DynamoDB and SNS)', () => {
  it('success: PENDING → PAID → SUCCESS, charged and sent once, the customer notified', async () => {
    const charges = local.ledgerEntries('PAYMENT');
    const run = await runWorkflow();
    const output = await run.result;
    expect(run.calls).toEqual(['ProcessPayment', 'RecordPayment', 'SendOrderToRestaurant', 'CompleteOrder']);
    expect(output?.order).toMatchObject({ id: run.order.id, order_status: 'SUCCESS', version: 3 });
    expect(await stored(run)).toMatchObject({ order_status: 'SUCCESS', created_at: run.order.created_at });
    expect(local.ledgerEntries('PAYMENT') - charges).toBe(1);
    const notes = await local.notificationsFor(run.order.id);
    expect(notes).toHaveLength(1);
    expect(notes[0].Subject).toContain('SUCCESS');
  });

  // Step Functions runs a Standard workflow's steps at least once, and the local stack starts an
  // interrupted execution again from its input: a run that finds its order already settled
  // must neither charge nor send again (the charge and the send of every version are recalled
  // by their idempotency keys; the settled order is not sent back to be charged).
  it('a run started again from its input after the order settled charges and sends nothing more, and leaves the order SUCCESS', async () => {
    const first = await runWorkflow();
    await first.result;
    const before = { charges: local.ledgerEntries('PAYMENT'), sends: local.ledgerEntries('RESTAURANT'), order: await stored(first) };
    expect(before.order).toMatchObject({ order_status: 'SUCCESS', version: 3 });

    const again = await runWorkflow({ again: first.order });
    const output = await again.result;
    expect(again.calls).toEqual(['ProcessPayment', 'RecordPayment']);
    expect(output?.order).toMatchObject({ order_status: 'SUCCESS', version: 3 });
    expect({ charges: local.ledgerEntries('PAYMENT'), sends: local.ledgerEntries('RESTAURANT'), order: await stored(first) }).toEqual(before);
  });

  it('payment refused: RecordPaymentRefusal sets FAILURE with the provider’s message, and notifies', async () => {
    const run = await runWorkflow({ payment: 'fails' });
    await run.result;
    expect(run.calls).toEqual(['ProcessPayment', 'RecordPaymentRefusal']);
    expect(await stored(run)).toMatchObject({ order_status: 'FAILURE', error_message: PAYMENT_ERROR_MESSAGE });
    const [note] = await local.notificationsFor(run.order.id);
    expect(note.Message).toContain(`Reason: ${PAYMENT_ERROR_MESSAGE}`);
  });

  it('restaurant refused: RecordRestaurantRefusal sets a PAID order to FAILURE with the restaurant’s message', async () => {
    const run = await runWorkflow({ restaurant: 'fails' });
    await run.result;
    expect(run.calls).toEqual(['ProcessPayment', 'RecordPayment', 'SendOrderToRestaurant', 'RecordRestaurantRefusal']);
    expect(await stored(run)).toMatchObject({ order_status: 'FAILURE', error_message: RESTAURANT_ERROR_MESSAGE });
  });

  it('a payment step that crashed or timed out after it charged is retried and charges nothing more', async () => {
    const charges = local.ledgerEntries('PAYMENT');
    let crashed = 0;
    const run = await runWorkflow({
      wrap: (handler, state) => async (input) => {
        if (state === 'ProcessPayment' && crashed < 2) {
          crashed++;
          await handler(input); // the provider charged, and the result was stored…
          throw lambdaError('Lambda.Unknown'); // …but the invocation died before answering
        }
        if (state === 'RecordPayment' && crashed === 2) {
          crashed++;
          await handler(input); // PAID was written, the answer lost
          throw lambdaError('Lambda.ServiceException');
        }
        return handler(input);
      },
    });
    const output = await run.result;
    expect(run.calls).toEqual(['ProcessPayment', 'ProcessPayment', 'ProcessPayment', 'RecordPayment', 'RecordPayment', 'SendOrderToRestaurant', 'CompleteOrder']);
    expect(output?.order).toMatchObject({ order_status: 'SUCCESS' });
    expect(local.ledgerEntries('PAYMENT') - charges).toBe(1);
  });

  it('a permanent task error: not retried, caught, the order set to FAILURE with a reason, and notified', async () => {
    const run = await runWorkflow({
      wrap: (handler, state) => async (input) => {
        if (state === 'SendOrderToRestaurant') throw Object.assign(new Error('restaurant rejected the request'), { name: WORKFLOW_ERRORS.permanent });
        return handler(input);
      },
    });
    const output = await run.result;
    expect(run.calls).toEqual(['ProcessPayment', 'RecordPayment', 'SendOrderToRestaurant', 'FailOrder']);
    expect(output?.order).toMatchObject({ order_status: 'FAILURE' });
    expect(await stored(run)).toMatchObject({ order_status: 'FAILURE', error_message: `${FAILURE_REASONS.processing} (${WORKFLOW_ERRORS.permanent})` });
    const [note] = await local.notificationsFor(run.order.id);
    expect(note.Message).toContain('Status: FAILURE');
  });

  it('transient errors that outlast the retries fail the execution and leave the order as it was, for the reconciler', async () => {
    const run = await runWorkflow({
      wrap: (handler, state) => async (input) => {
        if (state === 'SendOrderToRestaurant') throw lambdaError('Lambda.ServiceException');
        return handler(input);
      },
    });
    await expect(run.result).rejects.toMatchObject({ name: 'ExecutionError' });
    expect(run.calls.filter((s) => s === 'SendOrderToRestaurant')).toHaveLength(1 + TASK_RETRY[0].MaxAttempts);
    expect(run.calls).not.toContain('FailOrder');
    expect(await stored(run)).toMatchObject({ order_status: 'PAID' });
  });

  it('an order its owner deletes during the wait ends the workflow quietly: no restaurant, no notification', async () => {
    const run = await runWorkflow({
      wrap: (handler, state) => async (input) => {
        const result = await handler(input);
        if (state === 'ProcessPayment') {
          const { order } = input as { order: Order };
          await repo.delete(order.user_id, order.id); // DELETE /orders/{id} while the workflow waits
        }
        return result;
      },
    });
    const output = await run.result;
    expect(run.calls).toEqual(['ProcessPayment', 'RecordPayment']);
    expect(output?.error).toMatchObject({ Error: 'OrderGone' });
    expect(await stored(run)).toBeUndefined();
    expect(await local.notificationsFor(run.order.id, 1, 2)).toHaveLength(0);
  });

  it('an order its customer changes while it is paid for is charged again as it now is, and only that reaches the restaurant', async () => {
    const charged: number[] = [];
    const sent: number[] = [];
    let changedOnce = false;
    const run = await runWorkflow({
      wrap: (handler, state) => async (input) => {
        const result = await handler(input);
        const { order } = input as { order: Order };
        if (state === 'ProcessPayment') charged.push(order.quantity);
        if (state === 'SendOrderToRestaurant') sent.push(order.quantity);
        if (state === 'ProcessPayment' && !changedOnce) {
          changedOnce = true;
          // PUT /orders/{id} while the workflow waits: the order is still PENDING, so the change is allowed.
          const current = (await repo.get(order.user_id, order.id)) as Order;
          await repo.replace({ ...current, quantity: current.quantity + 1, version: current.version + 1, updated_at: new Date().toISOString() }, current);
        }
        return result;
      },
    });
    await run.result;
    expect(run.calls).toEqual(['ProcessPayment', 'RecordPayment', 'ProcessPayment', 'RecordPayment', 'SendOrderToRestaurant', 'CompleteOrder']);
    expect(charged).toEqual([2, 3]);
    expect(sent).toEqual([3]);
    expect(await stored(run)).toMatchObject({ order_status: 'SUCCESS', quantity: 3 });
  });
});
