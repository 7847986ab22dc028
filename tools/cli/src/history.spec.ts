import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { executionArnOf, executionView, historyText } from './history';

// Histories as GetExecutionHistory returns them for a Task state whose Resource is a Lambda
// function ARN (the order workflow's): TaskStateEntered, LambdaFunctionScheduled,
// LambdaFunctionStarted, LambdaFunctionSucceeded or LambdaFunctionFailed (cause: the function's
// error as JSON), TaskStateExited; a Retry schedules the function again; a Catch exits the state
// after the failure; an uncaught failure ends the execution with ExecutionFailed.
const ARN = 'arn:aws:states:eu-west-1:123456789012:execution:orders-workflow:6f1c2a8e-0000-4000-8000-000000000001';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function history(...events: Array<[string, Record<string, unknown>?]>): HistoryEvent[] {
  return events.map(([type, details], i) => ({ id: i + 1, previousEventId: i, type, timestamp: new Date(T0 + i * 100), ...details }) as HistoryEvent);
}
const entered = (type: string, name: string): [string, Record<string, unknown>] => [`${type}StateEntered`, { stateEnteredEventDetails: { name, input: '{}' } }];
const exited = (type: string, name: string): [string, Record<string, unknown>] => [`${type}StateExited`, { stateExitedEventDetails: { name, output: '{}' } }];
const lambda = (): Array<[string, Record<string, unknown>?]> => [
  ['LambdaFunctionScheduled', { lambdaFunctionScheduledEventDetails: { resource: 'arn:aws:lambda:eu-west-1:123456789012:function:f' } }],
  ['LambdaFunctionStarted'],
  ['LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: '{}' } }],
];
const lambdaFailed = (errorType: string, errorMessage: string): Array<[string, Record<string, unknown>?]> => [
  ['LambdaFunctionScheduled', { lambdaFunctionScheduledEventDetails: { resource: 'arn:aws:lambda:eu-west-1:123456789012:function:f' } }],
  ['LambdaFunctionStarted'],
  ['LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { error: errorType, cause: JSON.stringify({ errorType, errorMessage, trace: [] }) } }],
];

describe('executionArnOf', () => {
  it('names the execution after the order, under the state machine', () => {
    expect(executionArnOf('arn:aws:states:eu-west-1:123456789012:stateMachine:orders-workflow', '6f1c2a8e-0000-4000-8000-000000000001')).toBe(ARN);
  });
});

describe('executionView', () => {
  it('turns a successful run into its steps, with a retried task counted', () => {
    const view = executionView(
      ARN,
      history(
        ['ExecutionStarted', { executionStartedEventDetails: { input: '{}' } }],
        entered('Task', 'SaveOrder'),
        ...lambdaFailed('Lambda.ServiceException', 'Rate exceeded'),
        ...lambda(),
        exited('Task', 'SaveOrder'),
        entered('Wait', 'WaitForPayment'),
        exited('Wait', 'WaitForPayment'),
        entered('Choice', 'PaymentChoice'),
        exited('Choice', 'PaymentChoice'),
        ['ExecutionSucceeded', { executionSucceededEventDetails: { output: '{}' } }],
      ),
    );
    expect(view.status).toBe('SUCCEEDED');
    expect(view.started_at).toBe(new Date(T0).toISOString());
    expect(view.steps.map((s) => [s.name, s.type, s.status, s.attempts])).toEqual([
      ['SaveOrder', 'Task', 'succeeded', 2],
      ['WaitForPayment', 'Wait', 'succeeded', 0],
      ['PaymentChoice', 'Choice', 'succeeded', 0],
    ]);
    expect(view.steps[0].error).toBeUndefined();
  });

  it('shows a caught failure with the function’s message, and the failure path that followed', () => {
    const view = executionView(
      ARN,
      history(
        ['ExecutionStarted'],
        entered('Task', 'SendOrderToRestaurant'),
        ...lambdaFailed('Error', 'restaurant unreachable'),
        exited('Task', 'SendOrderToRestaurant'),
        entered('Task', 'OrderFailed'),
        ...lambda(),
        exited('Task', 'OrderFailed'),
        ['ExecutionSucceeded'],
      ),
    );
    expect(view.steps.map((s) => [s.name, s.status])).toEqual([
      ['SendOrderToRestaurant', 'caught'],
      ['OrderFailed', 'succeeded'],
    ]);
    expect(view.steps[0]).toMatchObject({ error: 'Error', cause: 'restaurant unreachable' });
  });

  it('marks the step an uncaught failure ended the execution in, with the execution’s error and cause', () => {
    const view = executionView(
      ARN,
      history(
        ['ExecutionStarted'],
        entered('Task', 'OrderFailed'),
        ...lambdaFailed('OrderGone', 'gone'),
        ['ExecutionFailed', { executionFailedEventDetails: { error: 'OrderGone', cause: '{"errorType":"OrderGone","errorMessage":"gone"}' } }],
      ),
    );
    expect(view).toMatchObject({ status: 'FAILED', error: 'OrderGone', cause: 'gone' });
    expect(view.steps[0]).toMatchObject({ name: 'OrderFailed', status: 'failed', error: 'OrderGone' });
    expect(historyText('o1', view)).toContain('failed (OrderGone: gone)');
  });

  it('reads a Fail state as the end, and a task timeout as a failure', () => {
    const view = executionView(
      ARN,
      history(
        ['ExecutionStarted'],
        entered('Task', 'SaveOrder'),
        ['LambdaFunctionScheduled'],
        ['LambdaFunctionTimedOut', { lambdaFunctionTimedOutEventDetails: { error: 'States.Timeout' } }],
        exited('Task', 'SaveOrder'),
        ['FailStateEntered', { stateEnteredEventDetails: { name: 'ProcessingFailed' } }],
        ['ExecutionFailed', { executionFailedEventDetails: { error: 'OrderProcessingFailed', cause: 'The order could not be processed' } }],
      ),
    );
    expect(view.steps.map((s) => [s.name, s.status, s.error])).toEqual([
      ['SaveOrder', 'caught', 'States.Timeout'],
      ['ProcessingFailed', 'ended', undefined],
    ]);
  });

  it('is RUNNING with the open step while the execution has not ended', () => {
    const view = executionView(ARN, history(['ExecutionStarted'], entered('Wait', 'WaitForPayment')));
    expect(view.status).toBe('RUNNING');
    expect(view.steps[0].status).toBe('running');
  });
});

describe('historyText', () => {
  it('prints one line per step with its time, duration and outcome; stored text is escaped', () => {
    const view = executionView(
      ARN,
      history(['ExecutionStarted'], entered('Task', 'ProcessPayment'), ...lambdaFailed('Error', 'card \u001b[31mdeclined'), exited('Task', 'ProcessPayment'), ['ExecutionSucceeded']),
    );
    const lines = historyText('6f1c', view).split('\n');
    expect(lines[0]).toBe('order 6f1c: workflow SUCCEEDED');
    expect(lines[1]).toMatch(/^TIME \(UTC\)\s+STEP\s+TYPE\s+TOOK\s+OUTCOME$/);
    expect(lines[2]).toMatch(/^12:00:00\.100\s+ProcessPayment\s+Task\s+0\.40 s\s+caught \(Error: card \\x1b\[31mdeclined\)$/);
  });

  it('says so when no state was entered yet', () => {
    expect(historyText('o1', executionView(ARN, history(['ExecutionStarted'])))).toContain('no state entered yet');
  });

  it('says so, instead of showing no step, when an endpoint answers event types AWS does not define', () => {
    const view = executionView(ARN, history(['ExecutionStarted'], ['StateEntered'], ['StateExited'], ['ExecutionSucceeded']));
    expect(view.unknown_event_types).toEqual(['StateEntered', 'StateExited']);
    expect(historyText('o1', view)).toContain('event types AWS does not define: StateEntered, StateExited');
  });
});
