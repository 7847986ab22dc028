import { seededRandom } from './random';
import {
  PAYMENT_ERROR_MESSAGE,
  RESTAURANT_ERROR_MESSAGE,
  SimulatedPaymentGateway,
  SimulatedRestaurantGateway,
} from './index';

const order = { id: 'o-1', user_id: 'alice', restaurant_id: 'r-1', item: 'pizza', quantity: 1 };

async function outcomes(gateway: { charge?: unknown; send?: unknown }, n: number) {
  const call = 'charge' in gateway ? (gateway as SimulatedPaymentGateway).charge.bind(gateway) : (gateway as SimulatedRestaurantGateway).send.bind(gateway);
  const results = [];
  for (let i = 0; i < n; i++) results.push(await call(order));
  return results;
}

describe('seededRandom', () => {
  it('repeats its sequence for the same seed, and differs for another', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const seq = (r: () => number) => Array.from({ length: 5 }, r);
    const first = seq(a);
    expect(seq(b)).toEqual(first);
    expect(seq(c)).not.toEqual(first);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('the simulated providers', () => {
  it('never fail at rate 0 and always fail at rate 1, with the original’s messages', async () => {
    expect(await outcomes(new SimulatedPaymentGateway({ failureRate: 0, random: Math.random }), 20)).toEqual(Array(20).fill({ ok: true }));
    expect(await outcomes(new SimulatedPaymentGateway({ failureRate: 1, random: Math.random }), 3)).toEqual(
      Array(3).fill({ ok: false, reason: PAYMENT_ERROR_MESSAGE }),
    );
    expect(await outcomes(new SimulatedRestaurantGateway({ failureRate: 1, random: Math.random }), 3)).toEqual(
      Array(3).fill({ ok: false, reason: RESTAURANT_ERROR_MESSAGE }),
    );
  });

  it('fail about as often as the rate says, reproducibly for a seed', async () => {
    const run = async () => (await outcomes(new SimulatedRestaurantGateway({ failureRate: 0.3, random: seededRandom(7) }), 1000)).filter((o) => !o.ok).length;
    const failures = await run();
    expect(failures).toBeGreaterThan(250);
    expect(failures).toBeLessThan(350);
    expect(await run()).toBe(failures);
  });

  it('refuse a rate outside 0 to 1 at construction', () => {
    expect(() => new SimulatedPaymentGateway({ failureRate: 1.5, random: Math.random })).toThrow(RangeError);
    expect(() => new SimulatedRestaurantGateway({ failureRate: Number.NaN, random: Math.random })).toThrow(RangeError);
  });
});
