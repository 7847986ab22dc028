import type { Clock } from './clock.port';
import type { FailOrder } from './order-pipeline.use-cases';
import type { OrderRepository } from './order-repository.port';
import type { OrderWorkflow } from './order-workflow.port';

export interface ReconcileSettings {
  /** An order not changed for this long, and not final, is looked at. */
  readonly settleAfterSeconds: number;
  /** How many times an ended run is resumed before the order is failed. */
  readonly maxResumes: number;
  /** Orders looked at per run, at most. */
  readonly batchSize: number;
}

/** What one run of the reconciler found and did: every count is an order. */
export interface ReconcileReport {
  readonly examined: number;
  /** Still running: left alone. */
  readonly running: number;
  /** Stored but never started (the start failed on the message's last delivery): started now. */
  readonly started: number;
  /** Their run ended without settling them (a transient error outlasted its retries, a timeout): resumed from the failed step. */
  readonly resumed: number;
  /** Resumed too often, or their run cannot be resumed: settled as FAILURE and notified. */
  readonly failed: number;
  /** Settled between the listing and the look (nothing to do). */
  readonly settled: number;
}

/**
 * Finishes or re-drives orders left non-final beyond the workflow's time bound. Run on a
 * schedule (EventBridge Scheduler in AWS, a timer in the local stack). Every action is safe to
 * repeat: a start is named after the order, a resumed run repeats idempotent steps.
 */
export class ReconcileOrders {
  constructor(
    private readonly orders: OrderRepository,
    private readonly workflow: OrderWorkflow,
    private readonly failOrder: Pick<FailOrder, 'execute'>,
    private readonly clock: Clock,
    private readonly settings: ReconcileSettings,
  ) {}

  async execute(): Promise<ReconcileReport> {
    const counts = { examined: 0, running: 0, started: 0, resumed: 0, failed: 0, settled: 0 };
    const before = new Date(this.clock.now().getTime() - this.settings.settleAfterSeconds * 1000);
    for (const listed of await this.orders.listUnsettled(before, this.settings.batchSize)) {
      counts.examined++;
      const run = await this.workflow.runOf(listed.id);
      // Read again after the look: the run may have settled it meanwhile.
      const order = await this.orders.get(listed.user_id, listed.id);
      if (!order || order.order_status === 'SUCCESS' || order.order_status === 'FAILURE') {
        counts.settled++;
      } else if (run.state === 'running') {
        counts.running++;
      } else if (run.state === 'none') {
        await this.workflow.start(order);
        counts.started++;
      } else if (run.resumable && run.resumed < this.settings.maxResumes) {
        await this.workflow.resume(order.id);
        counts.resumed++;
      } else {
        await this.failOrder.execute(order, `workflow ${run.outcome}${run.resumed ? ` after ${run.resumed} resumes` : ''}`);
        counts.failed++;
      }
    }
    return counts;
  }
}
