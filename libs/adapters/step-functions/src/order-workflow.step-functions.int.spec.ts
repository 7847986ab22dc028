import { SFNClient } from '@aws-sdk/client-sfn';
import { newOrder } from '@serverless-orders/orders-domain';
import { OrderWorkflowInput, WORKFLOW_ERRORS } from '@serverless-orders/order-workflow';
import { LOCAL_AWS, startFaultProxy, startLocalWorkflow, type FaultProxy, type LocalWorkflow } from '@serverless-orders/testing';
import { StepFunctionsOrderWorkflow } from './order-workflow.step-functions';

// The adapter through the real SDK client, over HTTP, against the local stack's Step Functions
// (the order workflow's ASL run by aws-local-stepfunctions), with a fault proxy in between.
//
// AWS behaviour pinned: StartExecution with a name already used (a closed execution, or other
// input) is ExecutionAlreadyExists, with the same input while running it is the same execution;
// DescribeExecution of an unknown execution is ExecutionDoesNotExist; a FAILED execution is
// REDRIVABLE and RedriveExecution resumes it under the same name (redriveCount goes up).
let local: LocalWorkflow;
let proxy: FaultProxy;
let client: SFNClient;
let failSendOrder = false;

beforeAll(async () => {
  local = await startLocalWorkflow(async (fn, input) => {
    const { step, order } = input as { step: string; order: Record<string, unknown> };
    if (fn === 'send-order' && failSendOrder) return { ok: false, errorType: WORKFLOW_ERRORS.transient, errorMessage: 'restaurant API down' };
    if (fn !== 'manage-order-state') return { ok: true, payload: { status: 'ok' } };
    return { ok: true, payload: { ...order, order_status: step === 'RecordPayment' ? 'PAID' : 'SUCCESS' } };
  });
  proxy = await startFaultProxy({ target: local.endpoint, throttlingError: 'ThrottlingException' });
  client = new SFNClient({ ...LOCAL_AWS, endpoint: proxy.endpoint, maxAttempts: 3 });
});
afterAll(async () => {
  client.destroy();
  await proxy.close();
  await local.close();
});

const order = (id: string, quantity = 1) => newOrder(id, 'alice', { restaurant_id: 'r-1', item: 'pizza', quantity }, new Date('2026-01-01T12:00:00Z'));
const workflow = () => new StepFunctionsOrderWorkflow(client, local.stateMachineArn);

describe('StepFunctionsOrderWorkflow', () => {
  it('starts an execution named after the order id, with the stored order as its input', async () => {
    const o = order('6f1c2a8e-0000-4000-8000-00000000000a');
    expect(await workflow().start(o)).toBe('started');
    const described = local.sfn.describeExecution(workflow().executionArn(o.id));
    expect(OrderWorkflowInput.parse(JSON.parse(described.input))).toEqual({ order: o });
    await local.sfn.settle();
    expect(await workflow().runOf(o.id)).toEqual({ state: 'ended', outcome: 'succeeded', resumable: false, resumed: 0 });
  });

  it('counts ExecutionAlreadyExists as already started, and starts nothing new', async () => {
    const o = order('6f1c2a8e-0000-4000-8000-00000000000b');
    await workflow().start(o);
    await local.sfn.settle();
    expect(await workflow().start(order(o.id, 5))).toBe('already-started');
    expect(await workflow().start(o)).toBe('already-started');
  });

  it('tells a missing run, and resumes an ended one from the step that failed', async () => {
    const o = order('6f1c2a8e-0000-4000-8000-00000000000c');
    expect(await workflow().runOf(o.id)).toEqual({ state: 'none' });
    failSendOrder = true;
    await workflow().start(o);
    await local.sfn.settle();
    expect(await workflow().runOf(o.id)).toEqual({ state: 'ended', outcome: 'failed', resumable: true, resumed: 0 });
    failSendOrder = false;
    await workflow().resume(o.id);
    await local.sfn.settle();
    expect(await workflow().runOf(o.id)).toEqual({ state: 'ended', outcome: 'succeeded', resumable: false, resumed: 1 });
  });

  it('lets the SDK retry a short throttling, and surfaces a longer one as a transient error', async () => {
    // Throttled until the first answer has gone back: the SDK's retry (its delay is jittered,
    // from near 0 ms) then meets the healed service. A throttle timed in ms could outlast every
    // retry when the jitter draws short delays.
    const before = proxy.faulted;
    proxy.inject('throttle');
    const started = workflow().start(order('6f1c2a8e-0000-4000-8000-00000000000d'));
    while (proxy.faulted === before) await new Promise((resolve) => setTimeout(resolve, 1));
    proxy.heal();
    expect(await started).toBe('started');
    proxy.inject('throttle');
    await expect(workflow().start(order('6f1c2a8e-0000-4000-8000-00000000000e'))).rejects.toMatchObject({ name: 'ThrottlingException' });
    proxy.heal();
    await local.sfn.settle();
  });
});
