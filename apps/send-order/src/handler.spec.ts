import { SendOrderToRestaurant } from '@serverless-orders/orders-application';
import { RESTAURANT_ERROR_MESSAGE, SimulatedRestaurantGateway, seededRandom } from '@serverless-orders/adapters-simulated-providers';
import { createObservability } from '@serverless-orders/platform-lambda';
import { ProviderTaskResult, WORKFLOW_ERRORS } from '@serverless-orders/system';
import { createContainer } from './container';
import { createSendOrderToRestaurantHandler } from './handler';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const order = {
  order_id: '6f1c2a8e-0000-4000-8000-000000000001',
  user_id: 'alice',
  restaurant_id: 'r-1',
  item: 'pizza',
  quantity: 2,
  order_status: 'PENDING',
};
const obs = createObservability('send-order-test');
const handlerWith = (failureRate: number, seed = 1) =>
  createSendOrderToRestaurantHandler(obs, new SendOrderToRestaurant(new SimulatedRestaurantGateway({ failureRate, random: seededRandom(seed) })));

describe('the send-order task', () => {
  it('answers ok when the provider accepts', async () => {
    expect(await handlerWith(0)({ order })).toEqual({ status: 'ok' });
  });

  it('answers error with the provider’s reason when it refuses (a result, not an exception)', async () => {
    const result = await handlerWith(1)({ order });
    expect(result).toEqual({ status: 'error', error_message: RESTAURANT_ERROR_MESSAGE });
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

describe('the send-order composition root', () => {
  it('reads the failure rate and seed from the environment', async () => {
    const env = { RESTAURANT_FAILURE_RATE: '1', RESTAURANT_RANDOM_SEED: '3' };
    const useCase = createContainer(obs, env).get(SendOrderToRestaurant);
    expect(await useCase.execute({ id: 'o', user_id: 'u', restaurant_id: 'r', item: 'i', quantity: 1 })).toEqual({ ok: false, reason: RESTAURANT_ERROR_MESSAGE });
  });

  it.each([
    [{ RESTAURANT_FAILURE_RATE: '2' }, 'RESTAURANT_FAILURE_RATE'],
    [{ RESTAURANT_FAILURE_RATE: 'often' }, 'RESTAURANT_FAILURE_RATE'],
    [{ RESTAURANT_RANDOM_SEED: '-1' }, 'RESTAURANT_RANDOM_SEED'],
    [{ RESTAURANT_PROVIDER: 'stripe' }, 'RESTAURANT_PROVIDER'],
  ])('refuses %j at start, naming the setting', (env, name) => {
    expect(() => createContainer(obs, env)).toThrow(name);
  });
});
