import { HistoryEventType } from '@aws-sdk/client-sfn';
import { ExecutionHistory, type TaskIntegration } from './history-events';

const role = 'arn:aws:iam::000000000000:role/workflow';
const charge = { resource: 'arn:aws:lambda:us-east-1:000000000000:function:process-payment', integration: 'direct' as const };
const send = { resource: 'arn:aws:lambda:us-east-1:000000000000:function:send-order', integration: 'invoke' as const };

/** The events aws-local-stepfunctions emits for: a task that fails once and is retried, a Choice, an invoke-integration task that is caught, Succeed. */
function run(history: ExecutionHistory) {
  const input = { order: { id: 'o-1' } };
  history.add({ type: 'ExecutionStarted', timestamp: 1000, input });
  history.add({ type: 'StateEntered', timestamp: 1001, state: { name: 'ProcessPayment', type: 'Task', input } });
  history.add({ type: 'StateFailed', timestamp: 1002, state: { name: 'ProcessPayment', type: 'Task', input }, Error: 'Lambda.Unknown', Cause: 'crashed' });
  history.add({ type: 'StateRetried', timestamp: 1003, state: { name: 'ProcessPayment', type: 'Task', input } });
  history.add({ type: 'StateExited', timestamp: 1004, state: { name: 'ProcessPayment', type: 'Task', input, output: { status: 'ok' } } });
  history.add({ type: 'StateEntered', timestamp: 1005, state: { name: 'PaidChoice', type: 'Choice', input } });
  history.add({ type: 'StateExited', timestamp: 1005, state: { name: 'PaidChoice', type: 'Choice', input, output: input } });
  history.add({ type: 'StateEntered', timestamp: 1006, state: { name: 'SendOrder', type: 'Task', input } });
  history.add({ type: 'StateFailed', timestamp: 1007, state: { name: 'SendOrder', type: 'Task', input }, Error: 'OrderDeleted', Cause: 'gone' });
  history.add({ type: 'StateCaught', timestamp: 1007, state: { name: 'SendOrder', type: 'Task', input } });
  history.add({ type: 'StateEntered', timestamp: 1008, state: { name: 'Done', type: 'Succeed', input } });
  history.add({ type: 'StateExited', timestamp: 1008, state: { name: 'Done', type: 'Succeed', input, output: input } });
  history.add({ type: 'ExecutionSucceeded', timestamp: 1009, output: input });
}

describe('ExecutionHistory (GetExecutionHistory in AWS shapes)', () => {
  const history = new ExecutionHistory(
    new Map<string, TaskIntegration>([
      ['ProcessPayment', charge],
      ['SendOrder', send],
    ]),
    role,
  );
  run(history);

  it('records the events AWS records, in its order: a Retry is another Scheduled/Started inside the same state', () => {
    expect(history.events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('uses only event types Step Functions defines, numbered from 1, each naming the one before', () => {
    const defined = new Set<string>(Object.values(HistoryEventType));
    expect(history.events.filter((e) => !defined.has(e.type))).toEqual([]);
    history.events.forEach((e, i) => expect([e.id, e.previousEventId]).toEqual([i + 1, i]));
  });

  it('carries the details AWS carries: input and role, state names, errors and causes, outputs', () => {
    const [started, entered] = history.events;
    expect(started).toMatchObject({ executionStartedEventDetails: { input: '{"order":{"id":"o-1"}}', roleArn: role } });
    expect(entered).toMatchObject({ stateEnteredEventDetails: { name: 'ProcessPayment' } });
    expect(history.events.find((e) => e.type === 'LambdaFunctionFailed')).toMatchObject({ lambdaFunctionFailedEventDetails: { error: 'Lambda.Unknown', cause: 'crashed' } });
    expect(history.events.find((e) => e.type === 'TaskFailed')).toMatchObject({ taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'OrderDeleted' } });
    expect(history.events.at(-1)).toMatchObject({ executionSucceededEventDetails: { output: '{"order":{"id":"o-1"}}' } });
  });

  it('pages as GetExecutionHistory does: maxResults per page, nextToken to go on, reverseOrder', () => {
    const first = history.page({ maxResults: 7 });
    expect(first.events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const second = history.page({ maxResults: 7, nextToken: first.nextToken });
    const third = history.page({ maxResults: 7, nextToken: second.nextToken });
    expect([...second.events, ...third.events].map((e) => e.id)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(third.nextToken).toBeUndefined();
    expect(history.page({ reverseOrder: true, maxResults: 1 }).events[0]).toMatchObject({ id: 19, type: 'ExecutionSucceeded', timestamp: 1.009 });
    expect(() => history.page({ nextToken: 'bm9wZQ' })).toThrow(/Invalid Token/);
  });
});
