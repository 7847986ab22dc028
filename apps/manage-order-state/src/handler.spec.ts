import { CompleteOrder, FailOrder, RecordPayment, SaveOrder } from '@serverless-orders/orders-application';
import { FAILURE_REASONS, type Order } from '@serverless-orders/orders-domain';
import { createObservability } from '@serverless-orders/platform-lambda';
import { WORKFLOW_ERRORS, WorkflowOrder } from '@serverless-orders/order-workflow';
import { InMemoryOrderRepository, ManualClock, RecordingOrderNotifier } from '@serverless-orders/testing';
import { createManageOrderStateHandler } from './handler';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const ORDER_ID = '6f1c2a8e-0000-4000-8000-000000000001';
const input = { order_id: ORDER_ID, user_id: 'alice', restaurant_id: 'r-1', item: 'pizza', quantity: 2, placed_at: '2026-01-01T11:59:00.000Z' };
const ids = { order_id: ORDER_ID, user_id: 'alice' };
/** The order as ProcessPayment charged it, which RecordPayment checks the stored order against. */
const paid = { ...ids, restaurant_id: 'r-1', item: 'pizza', quantity: 2, order_status: 'PENDING' };

function setUp() {
  const orders = new InMemoryOrderRepository();
  const clock = new ManualClock();
  const notifier = new RecordingOrderNotifier();
  const handler = createManageOrderStateHandler(createObservability('manage-order-state-test'), {
    save: new SaveOrder(orders),
    recordPayment: new RecordPayment(orders, clock),
    complete: new CompleteOrder(orders, clock, notifier),
    fail: new FailOrder(orders, clock, notifier),
  });
  return { orders, notifier, handler };
}

describe('the manage-order-state task', () => {
  it('save, payment-success, success: PENDING → PAID → SUCCESS, notified once, each answer a WorkflowOrder', async () => {
    const { orders, notifier, handler } = setUp();
    const saved = await handler({ action: 'save', order: input });
    expect(WorkflowOrder.parse(saved)).toEqual(saved);
    expect(saved).toEqual({ ...ids, restaurant_id: 'r-1', item: 'pizza', quantity: 2, order_status: 'PENDING' });
    expect(await handler({ action: 'payment-success', ...ids, paid })).toMatchObject({ order_status: 'PAID' });
    expect(await handler({ action: 'success', ...ids })).toMatchObject({ order_status: 'SUCCESS' });
    expect((await orders.get('alice', ORDER_ID))?.created_at).toBe(input.placed_at);
    expect(notifier.notified.map((o) => o.order_status)).toEqual(['SUCCESS']);
  });

  it('a repeated save does not reset a later status', async () => {
    const { handler } = setUp();
    await handler({ action: 'save', order: input });
    await handler({ action: 'payment-success', ...ids, paid });
    expect(await handler({ action: 'save', order: input })).toMatchObject({ order_status: 'PAID' });
  });

  it('payment-failure stores the provider’s reason, or the default one', async () => {
    const { notifier, handler } = setUp();
    await handler({ action: 'save', order: input });
    expect(await handler({ action: 'payment-failure', ...ids, result: { status: 'error', error_message: 'Card declined' } })).toMatchObject({
      order_status: 'FAILURE',
      error_message: 'Card declined',
    });
    const other = setUp();
    await other.handler({ action: 'save', order: input });
    expect(await other.handler({ action: 'payment-failure', ...ids, result: { status: 'weird' } })).toMatchObject({ error_message: FAILURE_REASONS.payment });
    expect(notifier.notified).toHaveLength(1);
  });

  it('restaurant-failure fails a PAID order with the restaurant’s reason', async () => {
    const { handler } = setUp();
    await handler({ action: 'save', order: input });
    await handler({ action: 'payment-success', ...ids, paid });
    expect(await handler({ action: 'restaurant-failure', ...ids, result: { status: 'error', error_message: 'Closed' } })).toMatchObject({
      order_status: 'FAILURE',
      error_message: 'Closed',
    });
  });

  it('failure (a Catch) fails the order with a reason naming the error', async () => {
    const { handler } = setUp();
    await handler({ action: 'save', order: input });
    expect(await handler({ action: 'failure', ...ids, error: { Error: 'States.Timeout', Cause: 'task timed out' } })).toMatchObject({
      order_status: 'FAILURE',
      error_message: `${FAILURE_REASONS.processing} (States.Timeout)`,
    });
  });

  it('an illegal change is rejected as IllegalTransition and changes nothing', async () => {
    const { orders, handler } = setUp();
    await handler({ action: 'save', order: input });
    await expect(handler({ action: 'success', ...ids })).rejects.toMatchObject({ name: WORKFLOW_ERRORS.illegalTransition });
    expect((await orders.get('alice', ORDER_ID))?.order_status).toBe('PENDING');
  });

  it('a payment for an order the customer changed meanwhile records nothing and answers the order as it now is', async () => {
    const { orders, handler } = setUp();
    await handler({ action: 'save', order: input });
    const current = (await orders.get('alice', ORDER_ID)) as Order;
    await orders.replace({ ...current, quantity: 9, updated_at: new Date().toISOString() }, current);
    // The workflow charged for quantity 2; the order now asks for 9: PaidChoice sends it back to ProcessPayment.
    expect(await handler({ action: 'payment-success', ...ids, paid })).toMatchObject({ order_status: 'PENDING', quantity: 9 });
    expect((await orders.get('alice', ORDER_ID))?.order_status).toBe('PENDING');
  });

  it('an order its owner deleted is OrderGone, which the workflow ends on', async () => {
    const { orders, handler } = setUp();
    await handler({ action: 'save', order: input });
    await orders.delete('alice', ORDER_ID);
    for (const event of [{ action: 'payment-success', ...ids, paid }, { action: 'success', ...ids }, { action: 'failure', ...ids, error: { Error: 'x' } }]) {
      await expect(handler(event)).rejects.toMatchObject({ name: WORKFLOW_ERRORS.orderGone });
    }
  });

  it('a failed notification keeps its own name: permanent, so the workflow catches it', async () => {
    const { notifier, handler } = setUp();
    await handler({ action: 'save', order: input });
    await handler({ action: 'payment-success', ...ids, paid });
    notifier.failNext(Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' }));
    await expect(handler({ action: 'success', ...ids })).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('a throttled dependency is a TransientTaskError, which the workflow retries', async () => {
    const { orders, handler } = setUp();
    jest.spyOn(orders, 'create').mockRejectedValueOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: { throttling: true } }));
    await expect(handler({ action: 'save', order: input })).rejects.toMatchObject({ name: WORKFLOW_ERRORS.transient });
  });

  it.each([[{ action: 'explode', ...ids }], [{ action: 'save' }], [{ action: 'payment-success', order_id: ORDER_ID }], [null]])(
    'rejects %j as InvalidTaskInput',
    async (event) => {
      const { handler } = setUp();
      await expect(handler(event)).rejects.toMatchObject({ name: WORKFLOW_ERRORS.invalidTaskInput });
    },
  );
});
