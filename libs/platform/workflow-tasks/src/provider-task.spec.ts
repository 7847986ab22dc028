import type { Context } from 'aws-lambda';
import { ProviderTaskResult, WORKFLOW_ERRORS } from '@serverless-orders/order-workflow';
import { createObservability } from '@serverless-orders/platform-lambda';
import { InMemoryIdempotencyStore, sampleWorkflowOrder } from '@serverless-orders/testing';
import { providerTaskHandler, type ProviderStep } from './provider-task';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const order = sampleWorkflowOrder;
const obs = createObservability('provider-task-spec');
const input = (o = order) => ({ step: 'ProcessPayment', order: o });
const context = { getRemainingTimeInMillis: () => 10_000, functionName: 'process-payment' } as unknown as Context;

function setUp(execute: ProviderStep['execute']) {
  const store = new InMemoryIdempotencyStore();
  const step = { execute: jest.fn(execute) };
  const handler = providerTaskHandler(obs, step, { step: 'ProcessPayment', persistenceStore: store, expiresAfterSeconds: 3600 });
  return { store, step, handler };
}

describe('a provider task (ProcessPayment, SendOrderToRestaurant)', () => {
  it('hands the order to the step and answers ok when the provider accepts', async () => {
    const { step, handler } = setUp(async () => ({ ok: true }));
    expect(await handler(input(), context)).toEqual({ status: 'ok' });
    expect(step.execute).toHaveBeenCalledWith(order);
  });

  it('answers error with the provider’s reason when it refuses (a result for the Choice state, not an exception)', async () => {
    const { handler } = setUp(async () => ({ ok: false, reason: 'card declined' }));
    const result = await handler(input(), context);
    expect(result).toEqual({ status: 'error', error_message: 'card declined' });
    expect(ProviderTaskResult.parse(result)).toEqual(result);
  });

  it('calls the provider once per order version, however often the step is retried (Powertools idempotency)', async () => {
    const { step, store, handler } = setUp(async () => ({ ok: true }));
    await handler(input(), context);
    expect(await handler(input(), context)).toEqual({ status: 'ok' });
    expect(step.execute).toHaveBeenCalledTimes(1);
    expect(store.records.size).toBe(1);
    // A changed order is another version: charged again.
    await handler(input({ ...order, quantity: 3, version: 2 }), context);
    expect(step.execute).toHaveBeenCalledTimes(2);
  });

  it('answers a concurrent duplicate (the record is in progress) with a transient error, which the workflow retries', async () => {
    let release: (() => void) | undefined;
    const { handler } = setUp(() => new Promise((resolve) => (release = () => resolve({ ok: true }))));
    const first = handler(input(), context);
    await new Promise((r) => setImmediate(r));
    await expect(handler(input(), context)).rejects.toMatchObject({ name: WORKFLOW_ERRORS.transient });
    release?.();
    expect(await first).toEqual({ status: 'ok' });
  });

  it('classifies a provider’s failure: a network error is transient, anything else permanent; neither is remembered', async () => {
    let calls = 0;
    const { step, handler } = setUp(async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' });
      if (calls === 2) throw new Error('provider rejected the request format');
      return { ok: true };
    });
    await expect(handler(input(), context)).rejects.toMatchObject({ name: WORKFLOW_ERRORS.transient });
    await expect(handler(input(), context)).rejects.toMatchObject({ name: WORKFLOW_ERRORS.permanent });
    expect(await handler(input(), context)).toEqual({ status: 'ok' });
    expect(step.execute).toHaveBeenCalledTimes(3);
  });

  it('rejects input that breaks the workflow contract, or names another step, as InvalidTaskInput without calling the provider', async () => {
    const { step, handler } = setUp(async () => ({ ok: true }));
    await expect(handler({ step: 'ProcessPayment', order: { ...order, id: undefined } }, context)).rejects.toMatchObject({
      name: WORKFLOW_ERRORS.invalidTaskInput,
    });
    await expect(handler({ step: 'SendOrderToRestaurant', order }, context)).rejects.toMatchObject({ name: WORKFLOW_ERRORS.invalidTaskInput });
    expect(step.execute).not.toHaveBeenCalled();
  });
});
