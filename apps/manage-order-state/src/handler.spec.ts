import {
  CompleteOrder,
  ConcurrentChangeError,
  FailOrder,
  RecordPayment,
  RecordPaymentRefusal,
  RecordRestaurantRefusal,
} from '@serverless-orders/orders-application';
import { FAILURE_REASONS, newOrder, type Order } from '@serverless-orders/orders-domain';
import { toWorkflowOrder, WORKFLOW_ERRORS, WorkflowOrder } from '@serverless-orders/order-workflow';
import { createObservability } from '@serverless-orders/platform-lambda';
import { InMemoryOrderRepository, ManualClock, RecordingOrderNotifier } from '@serverless-orders/testing';
import { createManageOrderStateHandler } from './handler';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const ORDER_ID = '6f1c2a8e-0000-4000-8000-000000000001';
const placed = newOrder(ORDER_ID, 'alice', { restaurant_id: 'r-1', item: 'pizza', quantity: 2 }, new Date('2026-01-01T11:59:00.000Z'));

async function setUp() {
  const orders = new InMemoryOrderRepository();
  await orders.create(placed);
  const clock = new ManualClock();
  const notifier = new RecordingOrderNotifier();
  const handler = createManageOrderStateHandler(createObservability('manage-order-state-test'), {
    RecordPayment: new RecordPayment(orders, clock),
    CompleteOrder: new CompleteOrder(orders, clock, notifier),
    RecordPaymentRefusal: new RecordPaymentRefusal(orders, clock, notifier),
    RecordRestaurantRefusal: new RecordRestaurantRefusal(orders, clock, notifier),
    FailOrder: new FailOrder(orders, clock, notifier),
  });
  /** The task input the workflow sends for `step`, with the order as the workflow carries it. */
  const step = (name: string, order: Order | WorkflowOrder = placed, extra: Record<string, unknown> = {}) =>
    handler({ step: name, order: 'version' in order && 'created_at' in order ? toWorkflowOrder(order as Order) : order, ...extra });
  return { orders, notifier, handler, step };
}

describe('the manage-order-state task', () => {
  it('RecordPayment then CompleteOrder: PENDING → PAID → SUCCESS, notified once, each answer the stored order as the workflow carries it', async () => {
    const { orders, notifier, step } = await setUp();
    const paid = await step('RecordPayment');
    expect(WorkflowOrder.parse(paid)).toEqual(paid);
    expect(paid).toMatchObject({ id: ORDER_ID, order_status: 'PAID', version: 2 });
    const done = await step('CompleteOrder', paid);
    expect(done).toEqual(toWorkflowOrder((await orders.get('alice', ORDER_ID)) as Order));
    expect(done).toMatchObject({ order_status: 'SUCCESS', version: 3, created_at: placed.created_at });
    expect(notifier.notified.map((o) => o.order_status)).toEqual(['SUCCESS']);
  });

  it('RecordPaymentRefusal stores the provider’s reason, or the default one', async () => {
    const { notifier, step } = await setUp();
    expect(await step('RecordPaymentRefusal', placed, { result: { status: 'error', error_message: 'Card declined' } })).toMatchObject({
      order_status: 'FAILURE',
      error_message: 'Card declined',
    });
    const other = await setUp();
    expect(await other.step('RecordPaymentRefusal', placed, { result: { status: 'weird' } })).toMatchObject({ error_message: FAILURE_REASONS.payment });
    expect(notifier.notified).toHaveLength(1);
  });

  it('RecordRestaurantRefusal fails a PAID order with the restaurant’s reason', async () => {
    const { step } = await setUp();
    const paid = await step('RecordPayment');
    expect(await step('RecordRestaurantRefusal', paid, { result: { status: 'error', error_message: 'Closed' } })).toMatchObject({
      order_status: 'FAILURE',
      error_message: 'Closed',
    });
  });

  it('FailOrder (after a permanent error) fails the order with a reason naming the error', async () => {
    const { step } = await setUp();
    expect(await step('FailOrder', placed, { error: { Error: 'PermanentTaskError', Cause: 'AccessDeniedException' } })).toMatchObject({
      order_status: 'FAILURE',
      error_message: `${FAILURE_REASONS.processing} (PermanentTaskError)`,
    });
  });

  it('an illegal change is rejected as IllegalTransition (permanent) and changes nothing', async () => {
    const { orders, step } = await setUp();
    await expect(step('CompleteOrder')).rejects.toMatchObject({ name: WORKFLOW_ERRORS.illegalTransition });
    expect((await orders.get('alice', ORDER_ID))?.order_status).toBe('PENDING');
  });

  it('a payment for an order the customer changed meanwhile records nothing and answers the order as it now is', async () => {
    const { orders, step } = await setUp();
    await orders.replace({ ...placed, quantity: 9, version: 2, updated_at: new Date().toISOString() }, placed);
    // The workflow charged version 1; the order is now version 2: PaidChoice sends it back to ProcessPayment.
    expect(await step('RecordPayment', placed)).toMatchObject({ order_status: 'PENDING', quantity: 9, version: 2 });
  });

  it('an order its owner deleted is OrderGone, which the workflow ends on, at every step', async () => {
    const { orders, step } = await setUp();
    await orders.delete('alice', ORDER_ID);
    await expect(step('RecordPayment')).rejects.toMatchObject({ name: WORKFLOW_ERRORS.orderGone });
    await expect(step('CompleteOrder')).rejects.toMatchObject({ name: WORKFLOW_ERRORS.orderGone });
    await expect(step('FailOrder', placed, { error: { Error: 'x' } })).rejects.toMatchObject({ name: WORKFLOW_ERRORS.orderGone });
  });

  it('classifies failures for the workflow: throttling and network errors are transient, a missing topic is permanent', async () => {
    const { orders, notifier, step } = await setUp();
    jest.spyOn(orders, 'get').mockRejectedValueOnce(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(step('RecordPayment')).rejects.toMatchObject({ name: WORKFLOW_ERRORS.transient });
    jest.spyOn(orders, 'get').mockRejectedValueOnce(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expect(step('RecordPayment')).rejects.toMatchObject({ name: WORKFLOW_ERRORS.transient });
    const paid = await step('RecordPayment');
    notifier.failNext(Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException', $metadata: { httpStatusCode: 404 } }));
    await expect(step('CompleteOrder', paid)).rejects.toMatchObject({ name: WORKFLOW_ERRORS.permanent, message: 'NotFoundException: Topic does not exist' });
    notifier.failNext(Object.assign(new Error('Service Unavailable'), { name: 'InternalErrorException', $fault: 'server' }));
    await expect(step('CompleteOrder', paid)).rejects.toMatchObject({ name: WORKFLOW_ERRORS.transient });
  });

  it('a change that kept racing the customer’s is transient', async () => {
    const { orders, step } = await setUp();
    jest.spyOn(orders, 'replace').mockRejectedValue(new ConcurrentChangeError(ORDER_ID));
    await expect(step('RecordPayment')).rejects.toMatchObject({ name: WORKFLOW_ERRORS.transient });
  });

  it.each([[{ step: 'Explode', order: toWorkflowOrder(placed) }], [{ step: 'RecordPayment' }], [{ step: 'FailOrder', order: toWorkflowOrder(placed) }], [null]])(
    'rejects %j as InvalidTaskInput',
    async (event) => {
      const { handler } = await setUp();
      await expect(handler(event)).rejects.toMatchObject({ name: WORKFLOW_ERRORS.invalidTaskInput });
    },
  );
});
