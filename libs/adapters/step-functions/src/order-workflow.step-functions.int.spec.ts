import { SFNClient } from '@aws-sdk/client-sfn';
import { newOrder } from '@serverless-orders/orders-domain';
import { LOCAL_AWS, startFakeStepFunctionsEndpoint, type FakeStepFunctionsEndpoint } from '@serverless-orders/testing';
import { StepFunctionsOrderWorkflow, workflowInput } from './order-workflow.step-functions';

const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';
const order = (id: string, quantity = 1) =>
  newOrder(id, 'alice', { restaurant_id: 'r-1', item: 'pizza', quantity }, new Date('2026-01-01T12:00:00Z'));

describe('StepFunctionsOrderWorkflow, through the real SDK client over HTTP', () => {
  let sfn: FakeStepFunctionsEndpoint;
  let client: SFNClient;

  beforeAll(async () => {
    sfn = await startFakeStepFunctionsEndpoint();
    client = new SFNClient({ ...LOCAL_AWS, endpoint: sfn.endpoint, maxAttempts: 3 });
  });
  afterAll(async () => {
    client.destroy();
    await sfn.close();
  });

  it('starts an execution named after the order id, with the contract’s input', async () => {
    const o = order('6f1c2a8e-0000-4000-8000-00000000000a');
    expect(await new StepFunctionsOrderWorkflow(client, ARN).start(o)).toBe('started');
    expect(sfn.executions.get(o.id)).toMatchObject({ stateMachineArn: ARN, name: o.id, input: workflowInput(o) });
  });

  // AWS: StartExecution with a name already used (a closed execution, or other input) is ExecutionAlreadyExists.
  it('counts ExecutionAlreadyExists as already started, and starts nothing new', async () => {
    const workflow = new StepFunctionsOrderWorkflow(client, ARN);
    const o = order('6f1c2a8e-0000-4000-8000-00000000000b');
    await workflow.start(o);
    expect(await workflow.start(order(o.id, 5))).toBe('already-started');
    expect(sfn.executions.get(o.id)?.input).toEqual(workflowInput(o));
  });

  // AWS: for a running standard execution, the same name and input again is idempotent (200, same execution).
  it('a repeated start with the same input does not make a second execution', async () => {
    const workflow = new StepFunctionsOrderWorkflow(client, ARN);
    const o = order('6f1c2a8e-0000-4000-8000-00000000000c');
    const before = sfn.executions.size;
    await workflow.start(o);
    await workflow.start(o);
    expect(sfn.executions.size).toBe(before + 1);
  });

  it('lets the SDK retry throttling, and surfaces other errors', async () => {
    const workflow = new StepFunctionsOrderWorkflow(client, ARN);
    sfn.throttleNext(1);
    expect(await workflow.start(order('6f1c2a8e-0000-4000-8000-00000000000d'))).toBe('started');
    sfn.throttleNext(10);
    await expect(workflow.start(order('6f1c2a8e-0000-4000-8000-00000000000e'))).rejects.toMatchObject({ name: 'ThrottlingException' });
    sfn.throttleNext(0);
  });
});
