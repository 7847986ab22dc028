import type { AwsHistoryEvent } from '@serverless-orders/local-aws';

interface Progress {
  status: string;
  readonly since: number;
}

const ENDS: Record<string, string> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionTimedOut: 'TIMED_OUT',
  ExecutionAborted: 'ABORTED',
};

/** The order a workflow state's input or output carries (`$.order`), if any. */
function orderOf(json: unknown): { id?: string; order_status?: string; error_message?: string } | undefined {
  if (typeof json !== 'string') return undefined;
  try {
    const value = JSON.parse(json) as { order?: { id?: string; order_status?: string; error_message?: string } } | null;
    return value?.order;
  } catch {
    return undefined;
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * What the local stack prints about each order's workflow: one line per status change
 * (`order <id>: PENDING → PAID`, `PAID → SUCCESS in 1.3 s`, `PENDING → FAILURE (<reason>)`), and
 * a line when a run ends without settling its order (a transient error outlasted its retries:
 * the reconciler resumes it) or is resumed. With `verbose`, every failed attempt of a task too.
 * Read from the execution's history events, as a person would read them in the console.
 */
export class OrderLog {
  private readonly orders = new Map<string, Progress>();

  constructor(private readonly verbose = false) {}

  /** The lines one history event adds (none for most). */
  lines(execution: { name: string }, event: AwsHistoryEvent): string[] {
    const id = execution.name;
    const type = event.type;
    if (type === 'ExecutionStarted') {
      const order = orderOf((event.executionStartedEventDetails as { input?: string } | undefined)?.input);
      this.orders.set(id, { status: order?.order_status ?? 'PENDING', since: event.timestamp.getTime() });
      return [];
    }
    const progress = this.orders.get(id);
    if (type === 'ExecutionRedriven') {
      const count = (event.executionRedrivenEventDetails as { redriveCount?: number } | undefined)?.redriveCount;
      if (!progress) this.orders.set(id, { status: '?', since: event.timestamp.getTime() });
      return [`order ${id}: workflow resumed (redrive ${count ?? '?'})`];
    }
    if (type.endsWith('StateExited') && progress) {
      const order = orderOf((event.stateExitedEventDetails as { output?: string } | undefined)?.output);
      if (!order?.order_status || order.order_status === progress.status) return [];
      const from = progress.status;
      progress.status = order.order_status;
      const final = order.order_status === 'SUCCESS' || order.order_status === 'FAILURE';
      const took = final ? ` in ${seconds(event.timestamp.getTime() - progress.since)}` : '';
      const reason = order.order_status === 'FAILURE' && order.error_message ? ` (${order.error_message})` : '';
      return [`order ${id}: ${from} → ${order.order_status}${took}${reason}`];
    }
    if (this.verbose && (type === 'LambdaFunctionFailed' || type === 'TaskFailed')) {
      const details = (event.lambdaFunctionFailedEventDetails ?? event.taskFailedEventDetails) as { error?: string } | undefined;
      return [`order ${id}: a task attempt failed (${details?.error ?? 'error'}); its Retry decides what comes next`];
    }
    if (type in ENDS) {
      this.orders.delete(id);
      const settled = progress && (progress.status === 'SUCCESS' || progress.status === 'FAILURE');
      if (settled || type === 'ExecutionSucceeded') return [];
      const status = progress?.status ?? 'unsettled';
      if (type === 'ExecutionAborted') return [`order ${id}: workflow stopped with the order ${status}`];
      const error = (event.executionFailedEventDetails as { error?: string } | undefined)?.error;
      return [`order ${id}: workflow ${ENDS[type]}${error ? ` (${error})` : ''} with the order ${status}; the reconciler resumes it`];
    }
    return [];
  }
}
