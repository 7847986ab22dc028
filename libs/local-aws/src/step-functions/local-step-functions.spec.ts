import { orderWorkflowDefinition, WORKFLOW_ERRORS } from '@serverless-orders/order-workflow';
import { functionInvoker, lambdaServiceError, type InvokeResult } from '../lambda-invoke';
import { lambdaFunctionOf, LocalStepFunctions, SfnError, taskStates } from './local-step-functions';

// Building a state machine validates the ASL document, which takes a moment.
jest.setTimeout(30_000);

const arnOf = (fn: string) => `arn:aws:lambda:us-east-1:000000000000:function:${fn}`;
const definition = (wait = 0) =>
  orderWorkflowDefinition({
    waitSeconds: wait,
    resources: { 'manage-order-state': arnOf('manage-order-state'), 'process-payment': arnOf('process-payment'), 'send-order': arnOf('send-order') },
  }) as unknown as Record<string, unknown>;

const order = { id: 'o1', user_id: 'u1', restaurant_id: 'r', item: 'pizza', quantity: 1, order_status: 'PENDING', created_at: 'x', updated_at: 'x', version: 1 };
const input = JSON.stringify({ order });
type Call = { fn: string; input: { step: string } & Record<string, unknown> };

function service(behaviour: (fn: string, input: Call['input']) => InvokeResult, options: { retryIntervalMs?: number; retainFinished?: number } = { retryIntervalMs: 0 }) {
  const calls: Call[] = [];
  const finished: string[] = [];
  const sfn = new LocalStepFunctions({
    region: 'us-east-1',
    accountId: '000000000000',
    invoke: async (fn, i) => {
      calls.push({ fn, input: i as Call['input'] });
      return behaviour(fn, i as Call['input']);
    },
    onFinished: (e) => finished.push(`${e.name}:${e.status}`),
    ...options,
  });
  const arn = sfn.createStateMachine('order-workflow', definition());
  return { sfn, arn, calls, finished };
}

const stored = (status: string) => ({ ok: true as const, payload: { ...order, order_status: status } });
const happy = (fn: string, i: Call['input']): InvokeResult => {
  if (fn !== 'manage-order-state') return { ok: true, payload: { status: 'ok' } };
  return stored(i.step === 'CompleteOrder' ? 'SUCCESS' : i.step === 'RecordPayment' ? 'PAID' : 'FAILURE');
};

describe('LocalStepFunctions', () => {
  it('finds every Task state and the function behind it', () => {
    const tasks = taskStates(definition());
    expect(tasks.map((t) => t.name)).toContain('RecordPayment');
    expect(lambdaFunctionOf(tasks[0].state)).toEqual({ name: 'process-payment', integration: 'direct' });
    expect(lambdaFunctionOf({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: arnOf('x') } })).toEqual({
      name: 'x',
      integration: 'invoke',
    });
  });

  it('runs the order workflow to success through the local functions', async () => {
    const { sfn, arn, calls, finished } = service(happy);
    const { executionArn } = (await sfn.operation('StartExecution', { stateMachineArn: arn, name: 'o1', input })) as { executionArn: string };
    expect(executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:order-workflow:o1');
    await sfn.settle();
    expect(await sfn.operation('DescribeExecution', { executionArn })).toMatchObject({ status: 'SUCCEEDED', name: 'o1', redriveStatus: 'NOT_REDRIVABLE' });
    expect(calls.map((c) => c.input.step)).toEqual(['ProcessPayment', 'RecordPayment', 'SendOrderToRestaurant', 'CompleteOrder']);
    expect(finished).toEqual(['o1:SUCCEEDED']);
    const history = (await sfn.operation('GetExecutionHistory', { executionArn })) as { events: unknown[] };
    expect(history.events.length).toBeGreaterThan(5);
  });

  it('passes a function’s own permanent error to Catch with its errorType as Error and the Lambda JSON as Cause', async () => {
    const { sfn, arn, calls } = service((fn, i) =>
      fn === 'process-payment' ? { ok: false, errorType: WORKFLOW_ERRORS.permanent, errorMessage: 'kaput' } : happy(fn, i),
    );
    await sfn.operation('StartExecution', { stateMachineArn: arn, name: 'o2', input });
    await sfn.settle();
    expect(calls.find((c) => c.input.step === 'FailOrder')?.input.error).toEqual({
      Error: WORKFLOW_ERRORS.permanent,
      Cause: JSON.stringify({ errorType: WORKFLOW_ERRORS.permanent, errorMessage: 'kaput', trace: [] }),
    });
  });

  // AWS: an error of the Invoke call itself is Lambda.<ErrorCode>; an invocation that died
  // without an answer (timeout, crash) is Lambda.Unknown. The ASL retries both.
  it.each([
    ['Lambda.ServiceException', lambdaServiceError('ServiceException', 'Lambda is having a moment')],
    ['Lambda.Unknown (a timed-out function)', { ok: false as const, errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 10.00 seconds' }],
    ['Lambda.Unknown (a crashed function)', { ok: false as const, errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited' }],
  ])('retries a task whose invocation failed with %s, per the ASL’s Retry', async (_name, failure) => {
    let refused = 0;
    const { sfn, arn, calls } = service((fn, i) => (fn === 'process-payment' && refused++ === 0 ? failure : happy(fn, i)));
    const { executionArn } = sfn.startExecution({ stateMachineArn: arn, name: 'o-retry', input });
    await sfn.settle();
    expect(sfn.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(calls.map((c) => c.input.step)).toEqual(['ProcessPayment', 'ProcessPayment', 'RecordPayment', 'SendOrderToRestaurant', 'CompleteOrder']);
  });

  it('fails the execution (not the order) when a function does not exist: Lambda.ResourceNotFoundException is neither retried nor caught', async () => {
    const sfn = new LocalStepFunctions({
      region: 'us-east-1',
      accountId: '000000000000',
      invoke: functionInvoker(new Map(), 'us-east-1', '000000000000'),
    });
    const arn = sfn.createStateMachine('order-workflow', definition());
    const { executionArn } = sfn.startExecution({ stateMachineArn: arn, name: 'o-missing', input });
    await sfn.settle();
    expect(sfn.describeExecution(executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'Lambda.ResourceNotFoundException',
      cause: expect.stringContaining('Function not found: arn:aws:lambda:us-east-1:000000000000:function:process-payment'),
      redriveStatus: 'REDRIVABLE',
    });
  });

  it('redrives a failed execution from the state that failed, with its input, under the same name (RedriveExecution)', async () => {
    let down = true;
    const { sfn, arn, calls } = service((fn, i) =>
      fn === 'send-order' && down ? { ok: false, errorType: WORKFLOW_ERRORS.transient, errorMessage: 'restaurant API down' } : happy(fn, i),
    );
    const { executionArn } = sfn.startExecution({ stateMachineArn: arn, name: 'o-redrive', input });
    await sfn.settle();
    expect(sfn.describeExecution(executionArn)).toMatchObject({ status: 'FAILED', error: WORKFLOW_ERRORS.transient, redriveCount: 0, redriveStatus: 'REDRIVABLE' });
    const before = calls.length;
    down = false;
    await sfn.operation('RedriveExecution', { executionArn });
    await sfn.settle();
    expect(sfn.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(calls.slice(before).map((c) => c.input.step)).toEqual(['SendOrderToRestaurant', 'CompleteOrder']);
    expect(calls.at(-2)?.input.order).toMatchObject({ order_status: 'PAID' });
    await expect(sfn.operation('RedriveExecution', { executionArn })).rejects.toMatchObject({ type: 'ExecutionNotRedrivable' });
  });

  it('refuses a second execution of the same name, unless it is the same running one', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const sfn = new LocalStepFunctions({
      region: 'us-east-1',
      accountId: '000000000000',
      retryIntervalMs: 0,
      invoke: async () => {
        await gate;
        return { ok: false, errorType: 'Boom', errorMessage: 'x' };
      },
    });
    const arn = sfn.createStateMachine('m', definition());
    const first = sfn.startExecution({ stateMachineArn: arn, name: 'same', input: '{"a":1}' });
    expect(sfn.startExecution({ stateMachineArn: arn, name: 'same', input: '{"a":1}' })).toEqual(first);
    expect(() => sfn.startExecution({ stateMachineArn: arn, name: 'same', input: '{"a":2}' })).toThrow(SfnError);
    release();
    await sfn.settle();
    expect(() => sfn.startExecution({ stateMachineArn: arn, name: 'same', input: '{"a":1}' })).toThrow('Execution Already Exists');
  });

  it('pages ListExecutions newest first, as the AWS CLI pages through them', async () => {
    const { sfn, arn } = service(happy);
    for (let i = 0; i < 7; i++) sfn.startExecution({ stateMachineArn: arn, name: `o-${i}`, input });
    await sfn.settle();
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = (await sfn.operation('ListExecutions', { stateMachineArn: arn, maxResults: 3, ...(nextToken ? { nextToken } : {}) })) as {
        executions: { name: string }[];
        nextToken?: string;
      };
      names.push(...page.executions.map((e) => e.name));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual(['o-6', 'o-5', 'o-4', 'o-3', 'o-2', 'o-1', 'o-0']);
    await expect(sfn.operation('ListExecutions', { stateMachineArn: arn, nextToken: 'bm9wZQ' })).rejects.toMatchObject({ type: 'InvalidToken' });
  });

  it('keeps memory bounded: the oldest finished executions are forgotten beyond the limit, never a running one', async () => {
    const { sfn, arn } = service(happy, { retryIntervalMs: 0, retainFinished: 3 });
    for (let i = 0; i < 6; i++) {
      sfn.startExecution({ stateMachineArn: arn, name: `o-${i}`, input });
      await sfn.settle();
    }
    expect(sfn.size).toBe(3);
    expect(() => sfn.describeExecution(`${arn.replace(':stateMachine:', ':execution:')}:o-0`)).toThrow(SfnError);
    expect(sfn.describeExecution(`${arn.replace(':stateMachine:', ':execution:')}:o-5`)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('names unknown machines, executions and bad input', async () => {
    const { sfn, arn } = service(happy);
    await expect(sfn.operation('StartExecution', { stateMachineArn: 'nope' })).rejects.toMatchObject({ type: 'StateMachineDoesNotExist' });
    await expect(sfn.operation('StartExecution', { stateMachineArn: arn, input: '{' })).rejects.toMatchObject({ type: 'InvalidExecutionInput' });
    await expect(sfn.operation('DescribeExecution', { executionArn: 'nope' })).rejects.toMatchObject({ type: 'ExecutionDoesNotExist' });
    await expect(sfn.operation('Nope', {})).rejects.toMatchObject({ type: 'UnknownOperationException' });
    sfn.stopAll();
    await sfn.settle();
  });
});
