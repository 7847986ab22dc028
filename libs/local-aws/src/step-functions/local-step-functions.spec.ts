import { orderWorkflowDefinition } from '@serverless-orders/order-workflow';
import { functionInvoker, lambdaServiceError, type InvokeResult } from '../lambda/invoke-result';
import { lambdaFunctionOf, LocalStepFunctions, SfnError, taskStates } from './step-functions';

// Building a state machine validates the ASL document, which takes a moment.
jest.setTimeout(30_000);

const arnOf = (fn: string) => `arn:aws:lambda:us-east-1:000000000000:function:${fn}`;
const definition = (wait = 0) =>
  orderWorkflowDefinition({
    waitSeconds: wait,
    resources: { 'manage-order-state': arnOf('manage-order-state'), 'process-payment': arnOf('process-payment'), 'send-order': arnOf('send-order') },
  }) as unknown as Record<string, unknown>;

const input = { order_id: 'o1', user_id: 'u1', restaurant_id: 'r', item: 'pizza', quantity: 1, placed_at: '2026-01-01T00:00:00.000Z' };

function service(behaviour: (fn: string, input: Record<string, unknown>) => InvokeResult) {
  const calls: Array<{ fn: string; input: Record<string, unknown> }> = [];
  const sfn = new LocalStepFunctions({
    region: 'us-east-1',
    accountId: '000000000000',
    invoke: async (fn, i) => {
      calls.push({ fn, input: i as Record<string, unknown> });
      return behaviour(fn, i as Record<string, unknown>);
    },
  });
  const arn = sfn.createStateMachine('order-workflow', definition());
  return { sfn, arn, calls };
}

const order = (status: string) => ({ ok: true as const, payload: { ...input, order_status: status } });

describe('LocalStepFunctions', () => {
  it('finds every Task state and the function behind it', () => {
    const tasks = taskStates(definition());
    expect(tasks.map((t) => t.name)).toContain('SaveOrder');
    expect(lambdaFunctionOf(tasks[0].state)).toEqual({ name: 'manage-order-state', integration: 'direct' });
    expect(lambdaFunctionOf({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: arnOf('x') } })).toEqual({
      name: 'x',
      integration: 'invoke',
    });
  });

  it('runs the order workflow to success through the local functions', async () => {
    const { sfn, arn, calls } = service((fn, i) => {
      if (fn === 'manage-order-state') return order(i.action === 'success' ? 'SUCCESS' : i.action === 'save' ? 'PENDING' : 'PAID');
      return { ok: true, payload: { status: 'ok' } };
    });
    const { executionArn } = await sfn.operation('StartExecution', { stateMachineArn: arn, name: 'o1', input: JSON.stringify(input) }).then((r) => r as { executionArn: string });
    expect(executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:order-workflow:o1');
    await sfn.settle();
    const described = (await sfn.operation('DescribeExecution', { executionArn })) as Record<string, unknown>;
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'o1' });
    expect(calls.map((c) => c.fn)).toEqual(['manage-order-state', 'process-payment', 'manage-order-state', 'send-order', 'manage-order-state']);
    const history = (await sfn.operation('GetExecutionHistory', { executionArn })) as { events: unknown[] };
    expect(history.events.length).toBeGreaterThan(5);
  });

  it('passes a Lambda error to Catch with its errorType as Error and the Lambda JSON as Cause', async () => {
    const { sfn, arn, calls } = service((fn, i) => {
      if (fn === 'process-payment') return { ok: false, errorType: 'Boom', errorMessage: 'kaput' };
      return order(i.action === 'failure' ? 'FAILURE' : 'PENDING');
    });
    await sfn.operation('StartExecution', { stateMachineArn: arn, name: 'o2', input: JSON.stringify(input) });
    await sfn.settle();
    const failure = calls.find((c) => c.input.action === 'failure');
    expect(failure?.input.error).toEqual({ Error: 'Boom', Cause: JSON.stringify({ errorType: 'Boom', errorMessage: 'kaput', trace: [] }) });
  });

  // AWS Step Functions names an error of the Invoke call itself (the function never ran)
  // Lambda.<ErrorCode>; the ASL retries Lambda.ServiceException and its kin with backoff.
  it('retries a task whose invocation fails at the Lambda level (Lambda.ServiceException), per the ASL\'s Retry', async () => {
    let refused = 0;
    const { sfn, arn, calls } = service((fn, i) => {
      if (fn === 'process-payment' && refused++ === 0) return lambdaServiceError('ServiceException', 'Lambda is having a moment');
      if (fn === 'manage-order-state') return order(i.action === 'success' ? 'SUCCESS' : i.action === 'save' ? 'PENDING' : 'PAID');
      return { ok: true, payload: { status: 'ok' } };
    });
    const { executionArn } = sfn.startExecution({ stateMachineArn: arn, name: 'o-retry', input: JSON.stringify(input) });
    await sfn.settle();
    expect(sfn.describeExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(calls.map((c) => c.fn)).toEqual(['manage-order-state', 'process-payment', 'process-payment', 'manage-order-state', 'send-order', 'manage-order-state']);
    expect(calls.some((c) => c.input.action === 'failure')).toBe(false);
  });

  it('reports a function that does not exist as Lambda.ResourceNotFoundException (not retried, caught)', async () => {
    const calls: Array<{ fn: string; input: Record<string, unknown> }> = [];
    const manage = {
      invoke: async (i: unknown): Promise<InvokeResult> => {
        const event = i as Record<string, unknown>;
        calls.push({ fn: 'manage-order-state', input: event });
        return order(event.action === 'failure' ? 'FAILURE' : 'PENDING');
      },
    };
    const sfn = new LocalStepFunctions({
      region: 'us-east-1',
      accountId: '000000000000',
      invoke: functionInvoker(new Map([['manage-order-state', manage]]), 'us-east-1', '000000000000'),
    });
    const arn = sfn.createStateMachine('order-workflow', definition());
    sfn.startExecution({ stateMachineArn: arn, name: 'o-missing', input: JSON.stringify(input) });
    await sfn.settle();
    const failure = calls.find((c) => c.input.action === 'failure');
    expect(failure?.input.error).toMatchObject({
      Error: 'Lambda.ResourceNotFoundException',
      Cause: expect.stringContaining('Function not found: arn:aws:lambda:us-east-1:000000000000:function:process-payment'),
    });
  });

  it('fails an execution whose last resort fails', async () => {
    const { sfn, arn } = service(() => ({ ok: false, errorType: 'Boom', errorMessage: 'kaput' }));
    const { executionArn } = sfn.startExecution({ stateMachineArn: arn, name: 'o3', input: JSON.stringify(input) });
    await sfn.settle();
    expect(sfn.describeExecution(executionArn)).toMatchObject({ status: 'FAILED', error: 'OrderProcessingFailed' });
  });

  it('refuses a second execution of the same name, unless it is the same running one', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const sfn = new LocalStepFunctions({
      region: 'us-east-1',
      accountId: '000000000000',
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

  it('names unknown machines, executions and bad input', async () => {
    const { sfn, arn } = service(() => order('PENDING'));
    await expect(sfn.operation('StartExecution', { stateMachineArn: 'nope' })).rejects.toMatchObject({ type: 'StateMachineDoesNotExist' });
    await expect(sfn.operation('StartExecution', { stateMachineArn: arn, input: '{' })).rejects.toMatchObject({ type: 'InvalidExecutionInput' });
    await expect(sfn.operation('DescribeExecution', { executionArn: 'nope' })).rejects.toMatchObject({ type: 'ExecutionDoesNotExist' });
    await expect(sfn.operation('Nope', {})).rejects.toMatchObject({ type: 'UnknownOperationException' });
    sfn.stopAll();
    await sfn.settle();
  });
});
