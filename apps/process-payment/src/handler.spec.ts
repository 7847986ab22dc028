import { TakePayment } from '@serverless-orders/orders-application';
import { PAYMENT_ERROR_MESSAGE, SimulatedPaymentGateway, seededRandom } from '@serverless-orders/adapters-simulated-providers';
import { createObservability } from '@serverless-orders/platform-lambda';
import { ProviderTaskResult, WORKFLOW_ERRORS } from '@serverless-orders/system';
import { createContainer } from './container';
import { createTakePaymentHandler } from './handler';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const order = {
  order_id: '6f1c2a8e-0000-4000-8000-000000000001',
  user_id: 'alice',
  restaurant_id: 'r-1',
  item: 'pizza',
  quantity: 2,
  order_status: 'PENDING',
};
const obs = createObservability('process-payment-test');
const handlerWith = (failureRate: number, seed = 1) =>
  createTakePaymentHandler(obs, new TakePayment(new SimulatedPaymentGateway({ failureRate, random: seededRandom(seed) })));

describe('the process-payment task', () => {
  it('answers ok when the provider accepts', async () => {
    expect(await handlerWith(0)({ order })).toEqual({ status: 'ok' });
  });

  it('answers error with the provider’s reason when it refuses (a result, not an exception)', async () => {
    const result = await handlerWith(1)({ order });
    expect(result).toEqual({ status: 'error', error_message: PAYMENT_ERROR_MESSAGE });
    expect(ProviderTaskResult.parse(result)).toEqual(result);
  });

  it('is reproducible for a seed', async () => {
    const run = async () => {
      const handler = handlerWith(0.5, 99);
      const results = [];
      for (let i = 0; i < 20; i++) results.push((await handler({ order })).status);
      return results;
    };
    const first = await run();
    expect(first).toContain('ok');
    expect(first).toContain('error');
    expect(await run()).toEqual(first);
  });

  it('rejects input that breaks the workflow contract as ', async () => {
    await expect(handlerWith(0)({ order: { ...order, order_id: undefined } })).rejects.toMatchObject({ name: WORKFLOW_ERRORS.invalidTaskInput });
  });
});

describe('the process-payment composition root', () => {
  it('reads the failure rate and seed from the environment', async () => {
    const env = { PAYMENT_FAILURE_RATE: '1', PAYMENT_RANDOM_SEED: '3' };
    const useCase = createContainer(obs, env).get(TakePayment);
    expect(await useCase.execute({ id: 'o', user_id: 'u', restaurant_id: 'r', item: 'i', quantity: 1 })).toEqual({ ok: false, reason: PAYMENT_ERROR_MESSAGE });
  });

  it.each([
    [{ PAYMENT_FAILURE_RATE: '2' }, 'PAYMENT_FAILURE_RATE'],
    [{ PAYMENT_FAILURE_RATE: 'often' }, 'PAYMENT_FAILURE_RATE'],
    [{ PAYMENT_RANDOM_SEED: '-1' }, 'PAYMENT_RANDOM_SEED'],
    [{ PAYMENT_PROVIDER: 'stripe' }, 'PAYMENT_PROVIDER'],
  ])('refuses %j at start, naming the setting', (env, name) => {
    expect(() => createContainer(obs, env)).toThrow(name);
  });
});
