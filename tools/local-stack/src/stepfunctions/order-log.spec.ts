import { ExecutionHistory, type TaskIntegration } from '@serverless-orders/local-aws';
import { OrderLog } from './order-log';

const task: TaskIntegration = { resource: 'arn:aws:lambda:us-east-1:000000000000:function:manage-order-state', integration: 'direct' };

/** Feeds aws-local-stepfunctions-style events through the AWS history, then the log: what a person sees. */
function printed(verbose: boolean, events: Array<Record<string, unknown>>): string[] {
  const history = new ExecutionHistory(new Map([['RecordPayment', task], ['CompleteOrder', task], ['RecordPaymentRefusal', task]]), 'role');
  const log = new OrderLog(verbose);
  const lines: string[] = [];
  for (const event of events) {
    const before = history.events.length;
    history.add(event as never);
    for (const added of history.events.slice(before)) lines.push(...log.lines({ name: 'o-1' }, added));
  }
  return lines;
}

const order = (order_status: string, extra: Record<string, string> = {}) => ({ order: { id: 'o-1', order_status, ...extra } });
const exited = (name: string, output: unknown, at: number) => ({ type: 'StateExited', timestamp: at, state: { name, type: 'Task', input: {}, output } });

describe('OrderLog', () => {
  it('prints one line per status change, the final one with the time since the start', () => {
    expect(
      printed(false, [
        { type: 'ExecutionStarted', timestamp: 1_000, input: order('PENDING') },
        { type: 'StateEntered', timestamp: 1_100, state: { name: 'RecordPayment', type: 'Task', input: {} } },
        exited('RecordPayment', order('PAID'), 1_200),
        { type: 'StateEntered', timestamp: 1_300, state: { name: 'CompleteOrder', type: 'Task', input: {} } },
        exited('CompleteOrder', order('SUCCESS'), 2_300),
        { type: 'ExecutionSucceeded', timestamp: 2_300, output: order('SUCCESS') },
      ]),
    ).toEqual(['order o-1: PENDING → PAID', 'order o-1: PAID → SUCCESS in 1.3 s']);
  });

  it('names the reason of a FAILURE', () => {
    expect(
      printed(false, [
        { type: 'ExecutionStarted', timestamp: 0, input: order('PENDING') },
        exited('RecordPaymentRefusal', order('FAILURE', { error_message: 'Error processing payment' }), 500),
        { type: 'ExecutionSucceeded', timestamp: 500 },
      ]),
    ).toEqual(['order o-1: PENDING → FAILURE in 0.5 s (Error processing payment)']);
  });

  it('says when a run ends without settling its order, and when it is resumed; verbose adds each failed attempt', () => {
    const events = [
      { type: 'ExecutionStarted', timestamp: 0, input: order('PENDING') },
      { type: 'StateEntered', timestamp: 1, state: { name: 'RecordPayment', type: 'Task', input: {} } },
      { type: 'StateFailed', timestamp: 2, state: { name: 'RecordPayment', type: 'Task', input: {} }, Error: 'Lambda.Unknown' },
      { type: 'ExecutionFailed', timestamp: 3, Error: 'Lambda.Unknown' },
      { type: 'ExecutionStarted', timestamp: 4, input: {} },
    ];
    expect(printed(false, events)).toEqual([
      'order o-1: workflow FAILED (Lambda.Unknown) with the order PENDING; the reconciler resumes it',
      'order o-1: workflow resumed (redrive 1)',
    ]);
    expect(printed(true, events)[0]).toBe('order o-1: a task attempt failed (Lambda.Unknown); its Retry decides what comes next');
  });
});
