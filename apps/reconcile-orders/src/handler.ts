import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { ReconcileOrders, ReconcileReport } from '@serverless-orders/orders-application';
import { instrumented, type Observability } from '@serverless-orders/platform-lambda';

/** The metrics the reconciler emits (CloudWatch embedded metric format); infra alarms on `OrdersReconciled`. */
export const RECONCILER_METRICS = {
  namespace: 'ServerlessOrders',
  /** Orders the reconciler had to start, resume or fail: each one is a workflow that did not finish by itself. */
  reconciled: 'OrdersReconciled',
  /** Of those, orders it had to settle as FAILURE. */
  failed: 'OrdersFailedByReconciler',
} as const;

/**
 * The scheduled reconciler (EventBridge Scheduler in AWS, a timer in the local stack): one
 * ReconcileOrders run per invocation, its findings logged and published as metrics.
 */
export function createReconcilerHandler(obs: Observability, metrics: Metrics, reconcile: Pick<ReconcileOrders, 'execute'>) {
  const { logger } = obs;
  return (_event: unknown, context?: Context): Promise<ReconcileReport> =>
    instrumented(obs, context, undefined, async () => {
      const report = await reconcile.execute();
      const acted = report.started + report.resumed + report.failed;
      metrics.addMetric(RECONCILER_METRICS.reconciled, MetricUnit.Count, acted);
      metrics.addMetric(RECONCILER_METRICS.failed, MetricUnit.Count, report.failed);
      metrics.publishStoredMetrics();
      if (acted > 0) logger.warn('orders reconciled: their workflow did not finish by itself', { ...report });
      else logger.info('nothing to reconcile', { ...report });
      return report;
    });
}
