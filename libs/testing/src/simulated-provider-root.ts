import type { Container, Newable } from 'inversify';
import type { WorkflowOrder } from '@serverless-orders/order-workflow';
import { coldStart, loadBundle } from './lambda-bundle';

/** An order as the workflow hands it to a provider task (ProcessPayment, SendOrderToRestaurant). */
export const sampleWorkflowOrder: WorkflowOrder = {
  order_id: '6f1c2a8e-0000-4000-8000-000000000001',
  user_id: 'alice',
  restaurant_id: 'r-1',
  item: 'pizza',
  quantity: 2,
  order_status: 'PENDING',
};

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

/**
 * The checks every simulated provider's built bundle must pass, invoked as Step Functions
 * invokes a task: it runs (every @inject resolves without decorator metadata), answers the
 * task input with a ProviderTaskResult carrying the provider's refusal, and a setting that
 * is not a rate fails the cold start naming it.
 */
export function describeProviderTaskBundle(options: { app: string; prefix: 'PAYMENT' | 'RESTAURANT'; refusal: string }): void {
  const { app, prefix, refusal } = options;
  type Handler = (event: unknown) => Promise<unknown>;

  describe(`${app}, the bundle`, () => {
    it('runs and answers per the workflow contract', async () => {
      const handler = loadBundle<Handler>(app, { [`${prefix}_FAILURE_RATE`]: '1', [`${prefix}_RANDOM_SEED`]: '7', POWERTOOLS_LOG_LEVEL: 'SILENT' });
      expect(await handler({ order: sampleWorkflowOrder })).toEqual({ status: 'error', error_message: refusal });
    });

    it('fails at start, naming the setting, when the failure rate is not a rate', () => {
      const { status, stderr } = coldStart(app, { [`${prefix}_FAILURE_RATE`]: '150%' });
      expect(status).not.toBe(0);
      expect(stderr).toContain(`${prefix}_FAILURE_RATE`);
    });
  });
}
