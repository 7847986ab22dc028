import { StateMachine } from 'aws-local-stepfunctions';
import { orderWorkflowDefinition, WORKFLOW_TASKS, WORKFLOW_WAIT_STATE, type AslState } from './order-workflow.asl';
import { LAMBDA_TRANSIENT_ERRORS, WORKFLOW_ERRORS } from './order-workflow.contract';

const resources = {
  'manage-order-state': 'arn:aws:lambda:us-east-1:123456789012:function:manage-order-state',
  'process-payment': 'arn:aws:lambda:us-east-1:123456789012:function:process-payment',
  'send-order': 'arn:aws:lambda:us-east-1:123456789012:function:send-order',
};

describe('the order workflow document', () => {
  const definition = orderWorkflowDefinition({ waitSeconds: 30, resources });
  const states = Object.entries(definition.States);
  const tasks = states.filter(([, s]) => s.Type === 'Task');

  it('is a valid ASL document (aws-local-stepfunctions validates paths, ARNs, fields and reachability)', () => {
    expect(() => new StateMachine(definition as never)).not.toThrow();
  });

  it('keeps the original states, in the original order', () => {
    const next = (name: string) => (definition.States[name] as AslState & { Next?: string }).Next;
    expect(definition.StartAt).toBe('SaveOrder');
    expect(next('SaveOrder')).toBe('ProcessPayment');
    expect(next('ProcessPayment')).toBe(WORKFLOW_WAIT_STATE);
    expect(next(WORKFLOW_WAIT_STATE)).toBe('PaymentChoice');
    expect(next('SendOrderToRestaurant')).toBe('SendToRestaurantChoice');
    for (const name of ['UpdateOrderStatus', 'PaymentFailure', 'SendToRestaurantFailure']) expect(definition.States[name]).toBeDefined();
  });

  it('waits the configured seconds', () => {
    expect(definition.States[WORKFLOW_WAIT_STATE]).toMatchObject({ Type: 'Wait', Seconds: 30 });
    expect(orderWorkflowDefinition({ waitSeconds: 0, resources }).States[WORKFLOW_WAIT_STATE]).toMatchObject({ Seconds: 0 });
    expect(() => orderWorkflowDefinition({ waitSeconds: -1, resources })).toThrow(/waitSeconds/);
  });

  it('runs each task on its function', () => {
    expect(tasks.map(([name]) => name).sort()).toEqual(Object.keys(WORKFLOW_TASKS).sort());
    for (const [name, state] of tasks) expect(state['Resource']).toBe(resources[WORKFLOW_TASKS[name as keyof typeof WORKFLOW_TASKS]]);
  });

  it('retries Lambda’s transient errors with backoff on every task', () => {
    for (const [, state] of tasks) {
      expect(state['Retry']).toEqual([
        expect.objectContaining({ ErrorEquals: [...LAMBDA_TRANSIENT_ERRORS], BackoffRate: 2, MaxAttempts: expect.any(Number) }),
        expect.objectContaining({ ErrorEquals: [WORKFLOW_ERRORS.transient], BackoffRate: 2, MaxAttempts: expect.any(Number) }),
      ]);
    }
  });

  it('catches every other error of every task, so no order stays PENDING', () => {
    for (const [name, state] of tasks) {
      const catches = state['Catch'] as { ErrorEquals: string[]; Next: string }[];
      expect(catches.at(-1)).toMatchObject({ ErrorEquals: ['States.ALL'] });
      expect(catches.at(-1)?.Next).toBe(name === 'OrderFailed' ? 'ProcessingFailed' : 'OrderFailed');
    }
    expect(definition.States['RecordPayment']['Catch']).toContainEqual(expect.objectContaining({ ErrorEquals: [WORKFLOW_ERRORS.orderGone] }));
  });

  it('refuses a missing resource', () => {
    expect(() => orderWorkflowDefinition({ waitSeconds: 1, resources: { ...resources, 'send-order': '' } })).toThrow(/send-order/);
  });
});
