import { Metrics } from '@aws-lambda-powertools/metrics';
import type { ReconcileReport } from '@serverless-orders/orders-application';
import { createObservability } from '@serverless-orders/platform-lambda';
import { createReconcilerHandler, RECONCILER_METRICS } from './handler';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const report = (r: Partial<ReconcileReport>): ReconcileReport => ({ examined: 0, running: 0, started: 0, resumed: 0, failed: 0, settled: 0, ...r });

/** The EMF lines Powertools Metrics writes (what CloudWatch turns into metrics), parsed. */
function emitted(run: () => Promise<unknown>) {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  return run().finally(() => {
    spy.mockRestore();
    log.mockRestore();
  }).then(() => lines.filter((l) => l.includes('_aws')).map((l) => JSON.parse(l) as Record<string, unknown>));
}

describe('the reconciler', () => {
  it('publishes how many orders it had to act on, and how many it failed (the operations alarm watches them)', async () => {
    const metrics = new Metrics({ namespace: RECONCILER_METRICS.namespace, serviceName: 'reconcile-orders' });
    const handler = createReconcilerHandler(createObservability('reconcile-test'), metrics, {
      execute: async () => report({ examined: 5, running: 1, started: 1, resumed: 2, failed: 1 }),
    });
    const [emf] = await emitted(() => handler({}));
    expect(emf).toMatchObject({ [RECONCILER_METRICS.reconciled]: 4, [RECONCILER_METRICS.failed]: 1 });
    expect(JSON.stringify(emf._aws)).toContain(RECONCILER_METRICS.namespace);
  });

  it('publishes zero when every workflow finished by itself', async () => {
    const metrics = new Metrics({ namespace: RECONCILER_METRICS.namespace, serviceName: 'reconcile-orders' });
    const handler = createReconcilerHandler(createObservability('reconcile-test'), metrics, { execute: async () => report({ examined: 2, running: 2 }) });
    const [emf] = await emitted(() => handler({}));
    expect(emf).toMatchObject({ [RECONCILER_METRICS.reconciled]: 0, [RECONCILER_METRICS.failed]: 0 });
  });
});
