import type { Container, Newable } from 'inversify';

type Step = { execute(order: Order): Promise<{ ok: boolean; reason?: string }> };
type Order = { id: string; user_id: string; restaurant_id: string; item: string; quantity: number };

/**
 * The checks every composition root of a simulated provider (process-payment, send-order)
 * must pass: the failure rate and seed come from <PREFIX>_FAILURE_RATE / _RANDOM_SEED, the
 * provider from <PREFIX>_PROVIDER, and a bad value fails at start naming the setting.
 */
export function describeSimulatedProviderRoot(options: {
  app: string;
  prefix: 'PAYMENT' | 'RESTAURANT';
  createContainer: (env: Record<string, string>) => Container;
  step: Newable<Step>;
  refusal: string;
}): void {
  const { app, prefix, createContainer, step, refusal } = options;
  const order: Order = { id: 'o-1', user_id: 'alice', restaurant_id: 'r-1', item: 'pizza', quantity: 2 };
  const useCase = (env: Record<string, string>): Step => createContainer(env).get<Step>(step);

  describe(`the ${app} composition root`, () => {
    it('reads the failure rate from the environment', async () => {
      expect(await useCase({ [`${prefix}_FAILURE_RATE`]: '1' }).execute(order)).toEqual({ ok: false, reason: refusal });
      expect(await useCase({ [`${prefix}_FAILURE_RATE`]: '0' }).execute(order)).toEqual({ ok: true });
    });

    it('is reproducible for a seed', async () => {
      const run = async () => {
        const provider = useCase({ [`${prefix}_FAILURE_RATE`]: '0.5', [`${prefix}_RANDOM_SEED`]: '99' });
        const outcomes = [];
        for (let i = 0; i < 20; i++) outcomes.push((await provider.execute(order)).ok);
        return outcomes;
      };
      const first = await run();
      expect(first).toContain(true);
      expect(first).toContain(false);
      expect(await run()).toEqual(first);
    });

    it.each([
      [`${prefix}_FAILURE_RATE`, '2'],
      [`${prefix}_FAILURE_RATE`, 'often'],
      [`${prefix}_RANDOM_SEED`, '-1'],
      [`${prefix}_PROVIDER`, 'acme'],
    ])('refuses %s=%s at start, naming the setting', (name, value) => {
      expect(() => createContainer({ [name]: value })).toThrow(name);
    });
  });
}
