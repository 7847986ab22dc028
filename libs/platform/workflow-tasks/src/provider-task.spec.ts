import { ProviderTaskResult, WORKFLOW_ERRORS } from '@serverless-orders/order-workflow';
import { createObservability } from '@serverless-orders/platform-lambda';
import { sampleWorkflowOrder } from '@serverless-orders/testing';
import { providerTaskHandler, type ProviderStep } from './provider-task';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const order = sampleWorkflowOrder;
const obs = createObservability('provider-task-spec');

describe('a provider task (ProcessPayment, SendOrderToRestaurant)', () => {
  it('hands the order to the step and answers ok when the provider accepts', async () => {
    const execute = jest.fn<ReturnType<ProviderStep['execute']>, Parameters<ProviderStep['execute']>>(async () => ({ ok: true }));
    expect(await providerTaskHandler(obs, { execute })({ order })).toEqual({ status: 'ok' });
    expect(execute).toHaveBeenCalledWith({ id: order.order_id, user_id: 'alice', restaurant_id: 'r-1', item: 'pizza', quantity: 2 });
  });

  it('answers error with the provider’s reason when it refuses (a result for the Choice state, not an exception)', async () => {
    const result = await providerTaskHandler(obs, { execute: async () => ({ ok: false, reason: 'card declined' }) })({ order });
    expect(result).toEqual({ status: 'error', error_message: 'card declined' });
    expect(ProviderTaskResult.parse(result)).toEqual(result);
  });

  it('rejects input that breaks the workflow contract as InvalidTaskInput, without calling the provider', async () => {
    const execute = jest.fn();
    await expect(providerTaskHandler(obs, { execute })({ order: { ...order, order_id: undefined } })).rejects.toMatchObject({
      name: WORKFLOW_ERRORS.invalidTaskInput,
    });
    expect(execute).not.toHaveBeenCalled();
  });

  it('lets a provider’s own failure through, for the workflow’s Retry and Catch', async () => {
    const handler = providerTaskHandler(obs, { execute: async () => Promise.reject(new Error('provider timed out')) });
    await expect(handler({ order })).rejects.toThrow('provider timed out');
  });
});
