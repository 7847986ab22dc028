import { TakePayment } from '@serverless-orders/orders-application';
import { PAYMENT_ERROR_MESSAGE } from '@serverless-orders/adapters-simulated-providers';
import { createObservability } from '@serverless-orders/platform-lambda';
import { createContainer } from './container';

const obs = createObservability('process-payment-test');
const order = { id: 'o-1', user_id: 'alice', restaurant_id: 'r-1', item: 'pizza', quantity: 2 };

describe('the process-payment composition root', () => {
  it('reads the failure rate from the environment', async () => {
    const always = createContainer(obs, { PAYMENT_FAILURE_RATE: '1' }).get(TakePayment);
    expect(await always.execute(order)).toEqual({ ok: false, reason: PAYMENT_ERROR_MESSAGE });
    const never = createContainer(obs, { PAYMENT_FAILURE_RATE: '0' }).get(TakePayment);
    expect(await never.execute(order)).toEqual({ ok: true });
  });

  it('is reproducible for a seed', async () => {
    const run = async () => {
      const step = createContainer(obs, { PAYMENT_FAILURE_RATE: '0.5', PAYMENT_RANDOM_SEED: '99' }).get(TakePayment);
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
    [{ PAYMENT_FAILURE_RATE: '2' }, 'PAYMENT_FAILURE_RATE'],
    [{ PAYMENT_FAILURE_RATE: 'often' }, 'PAYMENT_FAILURE_RATE'],
    [{ PAYMENT_RANDOM_SEED: '-1' }, 'PAYMENT_RANDOM_SEED'],
    [{ PAYMENT_PROVIDER: 'acme' }, 'PAYMENT_PROVIDER'],
  ])('refuses %j at start, naming the setting', (env, name) => {
    expect(() => createContainer(obs, env)).toThrow(name);
  });
});
