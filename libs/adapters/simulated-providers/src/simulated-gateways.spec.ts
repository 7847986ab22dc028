import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryLedger, InMemoryLedger } from './ledger';
import { seededRandom } from './random';
import { simulationFromConfig } from './simulation';
import { PAYMENT_ERROR_MESSAGE, RESTAURANT_ERROR_MESSAGE, SimulatedPaymentGateway, SimulatedRestaurantGateway } from './index';

const order = { id: 'o-1', user_id: 'alice', restaurant_id: 'r-1', item: 'pizza', quantity: 1, version: 1 };

async function outcomes(gateway: SimulatedPaymentGateway | SimulatedRestaurantGateway, n: number) {
  const results = [];
  for (let i = 0; i < n; i++) {
    const key = `o-${i}:v1`;
    results.push(await (gateway instanceof SimulatedPaymentGateway ? gateway.charge(order, key) : gateway.send(order, key)));
  }
  return results;
}

describe('seededRandom', () => {
  it('repeats its sequence for the same seed, and differs for another', () => {
    const seq = (r: () => number) => Array.from({ length: 5 }, r);
    const first = seq(seededRandom(42));
    expect(seq(seededRandom(42))).toEqual(first);
    expect(seq(seededRandom(43))).not.toEqual(first);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('the simulated providers', () => {
  it('never fail at rate 0 and always fail at rate 1, with the messages clients know', async () => {
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

  it('act once per idempotency key, as a real provider does: a repeated key answers the first outcome and charges nothing', async () => {
    const ledger = new InMemoryLedger();
    let draws = 0;
    const gateway = new SimulatedPaymentGateway({ failureRate: 0.5, random: () => (draws++ === 0 ? 0.9 : 0.1), ledger });
    expect(await gateway.charge(order, 'o-1:v1')).toEqual({ ok: true });
    expect(await gateway.charge(order, 'o-1:v1')).toEqual({ ok: true }); // the second draw would have refused
    expect(await gateway.charge({ ...order, version: 2 }, 'o-1:v2')).toEqual({ ok: false, reason: PAYMENT_ERROR_MESSAGE });
    expect(ledger.entries().map((e) => [e.key, e.outcome.ok])).toEqual([
      ['o-1:v1', true],
      ['o-1:v2', false],
    ]);
  });

  it('share one ledger between environments through a directory, the first writer of a key winning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    try {
      const a = new SimulatedPaymentGateway({ failureRate: 0, random: Math.random, ledger: new DirectoryLedger(dir) });
      const b = new SimulatedPaymentGateway({ failureRate: 1, random: Math.random, ledger: new DirectoryLedger(dir) });
      expect(await a.charge(order, 'o-1:v1')).toEqual({ ok: true });
      expect(await b.charge(order, 'o-1:v1')).toEqual({ ok: true });
      expect(new DirectoryLedger(dir).entries()).toEqual([expect.objectContaining({ key: 'o-1:v1', order_id: 'o-1', version: 1 })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuse a rate outside 0 to 1 at construction', () => {
    expect(() => new SimulatedPaymentGateway({ failureRate: 1.5, random: Math.random })).toThrow(RangeError);
    expect(() => new SimulatedRestaurantGateway({ failureRate: Number.NaN, random: Math.random })).toThrow(RangeError);
  });
});

describe('simulationFromConfig', () => {
  const config = (env: Record<string, string>) => ({
    number: (name: string, fallback: number) => (env[name] === undefined ? fallback : Number(env[name])),
    optional: (name: string) => env[name],
    oneOf: <T extends string>(name: string, choices: readonly T[], fallback?: T) => {
      const value = (env[name] ?? fallback) as T;
      if (!choices.includes(value)) throw new Error(`setting ${name} is "${value}"`);
      return value;
    },
  });

  it('reads rate, seed, ledger directory and the fault after acting, naming a bad setting', () => {
    const options = simulationFromConfig(config({ PAYMENT_FAILURE_RATE: '0', PAYMENT_RANDOM_SEED: '3', PAYMENT_FAULT_AFTER_ACTING: 'stall' }), 'PAYMENT');
    expect(options).toMatchObject({ failureRate: 0, faultAfterActing: 'stall' });
    expect(() => simulationFromConfig(config({ RESTAURANT_RANDOM_SEED: 'x' }), 'RESTAURANT')).toThrow('RESTAURANT_RANDOM_SEED');
    expect(() => simulationFromConfig(config({ PAYMENT_FAULT_AFTER_ACTING: 'explode' }), 'PAYMENT')).toThrow('PAYMENT_FAULT_AFTER_ACTING');
  });
});
