import { SendOrderToRestaurant } from '@serverless-orders/orders-application';
import { RESTAURANT_ERROR_MESSAGE } from '@serverless-orders/adapters-simulated-providers';
import { createObservability } from '@serverless-orders/platform-lambda';
import { createContainer } from './container';

const obs = createObservability('send-order-test');
const order = { id: 'o-1', user_id: 'alice', restaurant_id: 'r-1', item: 'pizza', quantity: 2 };

describe('the send-order composition root', () => {
  it('reads the failure rate from the environment', async () => {
    const always = createContainer(obs, { RESTAURANT_FAILURE_RATE: '1' }).get(SendOrderToRestaurant);
    expect(await always.execute(order)).toEqual({ ok: false, reason: RESTAURANT_ERROR_MESSAGE });
    const never = createContainer(obs, { RESTAURANT_FAILURE_RATE: '0' }).get(SendOrderToRestaurant);
    expect(await never.execute(order)).toEqual({ ok: true });
  });

  it('is reproducible for a seed', async () => {
    const run = async () => {
      const step = createContainer(obs, { RESTAURANT_FAILURE_RATE: '0.5', RESTAURANT_RANDOM_SEED: '99' }).get(SendOrderToRestaurant);
      const outcomes = [];
      for (let i = 0; i < 20; i++) outcomes.push((await step.execute(order)).ok);
      return outcomes;
    };
    const first = await run();
    expect(first).toContain(true);
    expect(first).toContain(false);
    expect(await run()).toEqual(first);
  });

  it.each([
    [{ RESTAURANT_FAILURE_RATE: '2' }, 'RESTAURANT_FAILURE_RATE'],
    [{ RESTAURANT_FAILURE_RATE: 'often' }, 'RESTAURANT_FAILURE_RATE'],
    [{ RESTAURANT_RANDOM_SEED: '-1' }, 'RESTAURANT_RANDOM_SEED'],
    [{ RESTAURANT_PROVIDER: 'acme' }, 'RESTAURANT_PROVIDER'],
  ])('refuses %j at start, naming the setting', (env, name) => {
    expect(() => createContainer(obs, env)).toThrow(name);
  });
});
