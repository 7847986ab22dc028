import { OrderConflictError, OrderNotFoundError, ValidationError, type Order } from '@serverless-orders/orders-domain';
import {
  InMemoryOrderRepository,
  InMemoryOrderWorkflow,
  ManualClock,
  RecordingOrderNotifier,
  ScriptedPaymentGateway,
  ScriptedRestaurantGateway,
} from '@serverless-orders/testing';
import { UpdateMyOrder } from './my-orders.use-cases';
import {
  CompleteOrder,
  FailOrder,
  ProcessPayment,
  RecordPayment,
  RecordPaymentRefusal,
  RecordRestaurantRefusal,
  SendOrderToRestaurant,
  STATUS_CHANGE_ATTEMPTS,
} from './order-pipeline.use-cases';
import { ConcurrentChangeError } from './order-repository.port';
import { OrderNotStoredError, PlaceOrder, WorkflowNotStartedError, type QueuedOrder } from './place-order.use-case';
import { ReconcileOrders } from './reconcile-orders.use-case';

const placedAt = new Date('2026-01-01T11:59:00.000Z');
const queued: QueuedOrder = {
  id: '6f1c2a8e-0000-4000-8000-000000000001',
  owner: 'alice',
  details: { restaurant_id: 'r-1', item: 'pizza', quantity: 2 },
  placedAt,
};

function setUp() {
  const orders = new InMemoryOrderRepository();
  const clock = new ManualClock();
  const notifier = new RecordingOrderNotifier();
  const workflow = new InMemoryOrderWorkflow();
  const payments = new ScriptedPaymentGateway({ ok: true });
  const restaurants = new ScriptedRestaurantGateway({ ok: false, reason: 'closed' });
  const failOrder = new FailOrder(orders, clock, notifier);
  return {
    orders,
    clock,
    notifier,
    workflow,
    payments,
    restaurants,
    placeOrder: new PlaceOrder(orders, workflow),
    processPayment: new ProcessPayment(payments),
    recordPayment: new RecordPayment(orders, clock),
    sendOrder: new SendOrderToRestaurant(restaurants),
    complete: new CompleteOrder(orders, clock, notifier),
    paymentRefusal: new RecordPaymentRefusal(orders, clock, notifier),
    restaurantRefusal: new RecordRestaurantRefusal(orders, clock, notifier),
    failOrder,
    update: new UpdateMyOrder(orders, clock),
    reconcile: (settleAfterSeconds = 600, maxResumes = 2) =>
      new ReconcileOrders(orders, workflow, failOrder, clock, { settleAfterSeconds, maxResumes, batchSize: 100 }),
  };
}

async function placed() {
  const ctx = setUp();
  const { order } = await ctx.placeOrder.execute(queued);
  return { ...ctx, order };
}

describe('PlaceOrder (persist before you promise)', () => {
  it('stores the order PENDING, created when it was placed, then starts its workflow', async () => {
    const { orders, workflow, placeOrder } = setUp();
    const placement = await placeOrder.execute(queued);
    expect(placement).toMatchObject({ stored: 'created', workflow: 'started', differs: false });
    expect(placement.order).toMatchObject({ id: queued.id, user_id: 'alice', order_status: 'PENDING', version: 1, created_at: placedAt.toISOString() });
    expect(await orders.get('alice', queued.id)).toEqual(placement.order);
    expect([...workflow.runs.values()]).toEqual([placement.order]);
  });

  it('a redelivery or a client’s retry stores nothing new and starts nothing new', async () => {
    const { orders, workflow, placeOrder, recordPayment } = setUp();
    const first = await placeOrder.execute(queued);
    await recordPayment.execute(first.order);
    const again = await placeOrder.execute({ ...queued, placedAt: new Date('2026-01-01T12:30:00.000Z') });
    expect(again).toMatchObject({ stored: 'exists', workflow: 'already-started', differs: false });
    expect(again.order.order_status).toBe('PAID'); // never reset to PENDING
    expect(orders.all()).toHaveLength(1);
    expect(workflow.runs.size).toBe(1);
  });

  it('tells when a retry carried another order under the same id (an idempotency key reused): the first one stands', async () => {
    const { orders, placeOrder } = setUp();
    await placeOrder.execute(queued);
    const again = await placeOrder.execute({ ...queued, details: { ...queued.details, quantity: 7 } });
    expect(again).toMatchObject({ stored: 'exists', differs: true });
    expect((await orders.get('alice', queued.id))?.quantity).toBe(2);
  });

  it('refuses an invalid order without storing or starting anything', async () => {
    const { orders, workflow, placeOrder } = setUp();
    await expect(placeOrder.execute({ ...queued, details: { ...queued.details, quantity: 0 } })).rejects.toBeInstanceOf(ValidationError);
    await expect(placeOrder.execute({ ...queued, owner: '' })).rejects.toBeInstanceOf(ValidationError);
    expect(orders.all()).toHaveLength(0);
    expect(workflow.calls).toHaveLength(0);
  });

  it('starts nothing when the order could not be stored', async () => {
    const { orders, workflow, placeOrder } = setUp();
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    jest.spyOn(orders, 'create').mockRejectedValueOnce(down);
    const error = await placeOrder.execute(queued).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderNotStoredError);
    expect((error as OrderNotStoredError).cause).toBe(down);
    expect(workflow.calls).toHaveLength(0);
  });

  it('keeps the order stored when its workflow did not start, and starts it on the next try', async () => {
    const { orders, workflow, placeOrder } = setUp();
    workflow.failNext(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const error = await placeOrder.execute(queued).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowNotStartedError);
    expect((error as WorkflowNotStartedError).order).toEqual(await orders.get('alice', queued.id));
    expect((await placeOrder.execute(queued)).workflow).toBe('started');
    expect(workflow.runs.size).toBe(1);
  });

  it('starts nothing for an order its owner deleted between two deliveries', async () => {
    const { orders, workflow, placeOrder } = setUp();
    jest.spyOn(orders, 'create').mockResolvedValueOnce('exists');
    expect(await placeOrder.execute(queued)).toMatchObject({ stored: 'deleted' });
    expect(workflow.calls).toHaveLength(0);
  });
});

describe('the status steps', () => {
  it('PENDING → PAID → SUCCESS, one version more each time, notifying the final status', async () => {
    const { orders, clock, notifier, recordPayment, complete, order } = await placed();
    clock.advance(1000);
    const paid = await recordPayment.execute(order);
    expect(paid).toMatchObject({ order_status: 'PAID', version: 2 });
    clock.advance(1000);
    const done = await complete.execute(paid);
    expect(done).toMatchObject({ order_status: 'SUCCESS', version: 3, updated_at: '2026-01-01T12:00:02.000Z' });
    expect(await orders.get('alice', queued.id)).toEqual(done);
    expect(notifier.notified).toEqual([done]);
  });

  it('a retried step finds its work done and changes nothing; a retried completion notifies the same status again', async () => {
    const { orders, notifier, recordPayment, complete, order } = await placed();
    const paid = await recordPayment.execute(order);
    expect(await recordPayment.execute(order)).toEqual(paid);
    const done = await complete.execute(paid);
    expect(await complete.execute(paid)).toEqual(done);
    expect(await orders.get('alice', queued.id)).toEqual(done);
    expect(notifier.notified.map((o) => `${o.order_status}@${o.version}`)).toEqual(['SUCCESS@3', 'SUCCESS@3']);
  });

  it('rejects an illegal change (SUCCESS straight from PENDING) and stores nothing', async () => {
    const { orders, notifier, complete, order } = await placed();
    await expect(complete.execute(order)).rejects.toBeInstanceOf(OrderConflictError);
    expect((await orders.get('alice', queued.id))?.order_status).toBe('PENDING');
    expect(notifier.notified).toHaveLength(0);
  });

  it('records a provider’s refusal with its words, or the step’s default reason', async () => {
    const { notifier, paymentRefusal, order } = await placed();
    const failed = await paymentRefusal.execute(order, { status: 'error', error_message: 'Card declined' });
    expect(failed).toMatchObject({ order_status: 'FAILURE', error_message: 'Card declined' });
    expect(notifier.notified).toEqual([failed]);
    const other = await placed();
    const paid = await other.recordPayment.execute(other.order);
    expect(await other.restaurantRefusal.execute(paid, { status: 'error' })).toMatchObject({
      error_message: 'The restaurant could not take the order',
    });
  });

  it('fails an order after a permanent error, naming it', async () => {
    const { failOrder, order } = await placed();
    expect(await failOrder.execute(order, 'PermanentTaskError')).toMatchObject({
      order_status: 'FAILURE',
      error_message: 'The order could not be processed (PermanentTaskError)',
    });
  });

  it('a failure after the order settled keeps its final status and notifies it again', async () => {
    const { orders, notifier, recordPayment, complete, failOrder, order } = await placed();
    const paid = await recordPayment.execute(order);
    notifier.failNext(new Error('topic unavailable'));
    await expect(complete.execute(paid)).rejects.toThrow('topic unavailable');
    const settled = await failOrder.execute(paid, 'PermanentTaskError');
    expect(settled.order_status).toBe('SUCCESS');
    expect((await orders.get('alice', queued.id))?.order_status).toBe('SUCCESS');
    expect(notifier.notified.map((o) => o.order_status)).toEqual(['SUCCESS']);
  });

  it('an order its owner deleted meanwhile is not found, at every step', async () => {
    const { orders, recordPayment, complete, failOrder, paymentRefusal, order } = await placed();
    await orders.delete('alice', queued.id);
    await expect(recordPayment.execute(order)).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(complete.execute(order)).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(failOrder.execute(order, 'x')).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(paymentRefusal.execute(order, {})).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it('reads again when the customer changed the order between read and write', async () => {
    const { orders, recordPayment, order } = await placed();
    const replace = jest.spyOn(orders, 'replace').mockRejectedValueOnce(new ConcurrentChangeError(queued.id));
    expect((await recordPayment.execute(order)).order_status).toBe('PAID');
    expect(replace).toHaveBeenCalledTimes(2);
  });

  it('does not record a payment for an order the customer changed after it was charged: it stays PENDING, as it now is', async () => {
    const { orders, clock, recordPayment, update, order } = await placed();
    clock.advance(1000);
    await update.execute('alice', queued.id, { quantity: 5 }); // during the Wait after ProcessPayment
    const changed = (await orders.get('alice', queued.id)) as Order;
    expect(changed).toMatchObject({ order_status: 'PENDING', quantity: 5, version: 2 });
    expect(await recordPayment.execute(order)).toEqual(changed);
    expect(await orders.get('alice', queued.id)).toEqual(changed);
    // The workflow charges version 2 next, and that one is recorded.
    expect(await recordPayment.execute(changed)).toMatchObject({ order_status: 'PAID', quantity: 5, version: 3 });
  });

  it('checks what was charged again when a concurrent change forced a second read', async () => {
    const { orders, recordPayment, order } = await placed();
    const replace = jest.spyOn(orders, 'replace').mockImplementationOnce(async () => {
      // The customer's change lands between RecordPayment's read and its write.
      await orders.replace({ ...order, quantity: 9, version: 2, updated_at: '2026-01-01T12:00:05.000Z' }, order);
      throw new ConcurrentChangeError(queued.id);
    });
    expect(await recordPayment.execute(order)).toMatchObject({ order_status: 'PENDING', quantity: 9 });
    expect(replace).toHaveBeenCalledTimes(2);
  });

  it(`gives up after ${STATUS_CHANGE_ATTEMPTS} concurrent changes in a row`, async () => {
    const { orders, recordPayment, order } = await placed();
    jest.spyOn(orders, 'replace').mockRejectedValue(new ConcurrentChangeError(queued.id));
    await expect(recordPayment.execute(order)).rejects.toBeInstanceOf(ConcurrentChangeError);
    expect(orders.replace).toHaveBeenCalledTimes(STATUS_CHANGE_ATTEMPTS);
  });
});

describe('the provider steps', () => {
  it('pass the provider’s answer through, refusals included, keyed on the order version', async () => {
    const { payments, restaurants, processPayment, sendOrder, order } = await placed();
    expect(await processPayment.execute(order)).toEqual({ ok: true });
    expect(await sendOrder.execute({ ...order, version: 2 })).toEqual({ ok: false, reason: 'closed' });
    expect(payments.asked).toEqual([order]);
    expect(payments.keys).toEqual([`${queued.id}:v1`]);
    expect(restaurants.keys).toEqual([`${queued.id}:v2`]);
  });
});

describe('ReconcileOrders', () => {
  const stuck = async (ctx: ReturnType<typeof setUp>, id: string) => {
    const { order } = await ctx.placeOrder.execute({ ...queued, id });
    return order;
  };

  it('leaves alone orders changed recently, running ones and settled ones', async () => {
    const ctx = setUp();
    const running = await stuck(ctx, 'o-running');
    const settled = await stuck(ctx, 'o-settled');
    await ctx.failOrder.execute(settled, 'x');
    expect(await ctx.reconcile().execute()).toMatchObject({ examined: 0 }); // not old enough
    ctx.clock.advance(3600_000);
    expect(await ctx.reconcile().execute()).toEqual({ examined: 1, running: 1, started: 0, resumed: 0, failed: 0, settled: 0 });
    expect((await ctx.orders.get('alice', running.id))?.order_status).toBe('PENDING');
  });

  it('starts an order stored but never started, resumes an ended run, and fails one resumed too often', async () => {
    const ctx = setUp();
    const neverStarted = await stuck(ctx, 'o-never');
    ctx.workflow.runs.delete(neverStarted.id);
    const ended = await stuck(ctx, 'o-ended');
    ctx.workflow.states.set(ended.id, { state: 'ended', outcome: 'failed', resumable: true, resumed: 0 });
    const tooOften = await stuck(ctx, 'o-too-often');
    ctx.workflow.states.set(tooOften.id, { state: 'ended', outcome: 'timed-out', resumable: true, resumed: 2 });
    ctx.clock.advance(3600_000);
    expect(await ctx.reconcile().execute()).toEqual({ examined: 3, running: 0, started: 1, resumed: 1, failed: 1, settled: 0 });
    expect(ctx.workflow.runs.has(neverStarted.id)).toBe(true);
    expect(ctx.workflow.resumed).toEqual([ended.id]);
    expect(await ctx.orders.get('alice', tooOften.id)).toMatchObject({
      order_status: 'FAILURE',
      error_message: 'The order could not be processed (workflow timed-out after 2 resumes)',
    });
    expect(ctx.notifier.notified.map((o) => o.id)).toEqual([tooOften.id]);
  });
});
