import { StateMachine } from 'aws-local-stepfunctions';
import { orderWorkflowDefinition, TASK_RETRY, TASK_RETRY_HORIZON_SECONDS, WORKFLOW_WAIT_STATE, type AslState } from './order-workflow.asl';
import {
  LAMBDA_TRANSIENT_ERRORS,
  PERMANENT_WORKFLOW_ERRORS,
  WORKFLOW_ERRORS,
  WORKFLOW_STEPS,
  WORKFLOW_TASK_FUNCTIONS,
  WorkflowTaskError,
  type WorkflowOrder,
  type WorkflowStep,
} from './order-workflow.contract';

const resources = {
  'manage-order-state': 'arn:aws:lambda:us-east-1:123456789012:function:manage-order-state',
  'process-payment': 'arn:aws:lambda:us-east-1:123456789012:function:process-payment',
  'send-order': 'arn:aws:lambda:us-east-1:123456789012:function:send-order',
};

const order: WorkflowOrder = {
  id: '6f1c2a8e-0000-4000-8000-000000000001',
  user_id: 'alice',
  restaurant_id: 'r-1',
  item: 'pizza',
  quantity: 2,
  order_status: 'PENDING',
  created_at: '2026-01-01T12:00:00.000Z',
  updated_at: '2026-01-01T12:00:00.000Z',
  version: 1,
};

type Input = { step: WorkflowStep; order: WorkflowOrder; result?: unknown; error?: { Error: string } };
type Step = (input: Input) => unknown;

/**
 * Runs the document with aws-local-stepfunctions (the local stack's interpreter), every Task
 * state answered by `steps[step]`; retries wait 0 ms. Returns the steps in the order they ran.
 */
async function run(steps: Partial<Record<WorkflowStep, Step>>, waitSeconds = 0) {
  const definition = orderWorkflowDefinition({ waitSeconds, resources });
  const ran: string[] = [];
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    retryIntervalOverrides[name] = 0;
    handlers[name] = async (raw) => {
      const input = raw as Input;
      expect(input.step).toBe(name);
      ran.push(name);
      const handler = steps[input.step];
      if (!handler) throw new Error(`no handler for ${input.step}`);
      return handler(input);
    };
  }
  const machine = new StateMachine(definition as never);
  const execution = machine.run({ order } as never, { overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides } });
  try {
    return { output: (await execution.result) as Record<string, unknown>, ran };
  } catch (error) {
    const cause = (error as { cause?: Error }).cause;
    return { failed: cause?.name ?? (error as Error).name, ran };
  }
}

const ok = () => ({ status: 'ok' });
const now = (status: WorkflowOrder['order_status'], version: number) => (input: Input) => ({ ...input.order, order_status: status, version });
const happy: Partial<Record<WorkflowStep, Step>> = {
  ProcessPayment: ok,
  RecordPayment: now('PAID', 2),
  SendOrderToRestaurant: ok,
  CompleteOrder: now('SUCCESS', 3),
};
const fail = (name: string) => () => {
  throw new WorkflowTaskError(name as never, `${name} on purpose`);
};
const lambdaError = (name: string) => () => {
  throw Object.assign(new Error(name), { name });
};

describe('the order workflow document', () => {
  const definition = orderWorkflowDefinition({ waitSeconds: 30, resources });
  const tasks = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');

  it('is a valid ASL document (aws-local-stepfunctions validates paths, ARNs, fields and reachability)', () => {
    expect(() => new StateMachine(definition as never)).not.toThrow();
  });

  it('names each Task state after its step, sends that name in the input and runs it on the step’s function', () => {
    expect(tasks.map(([name]) => name).sort()).toEqual(Object.keys(WORKFLOW_STEPS).sort());
    for (const [name, state] of tasks) {
      expect(state['Resource']).toBe(resources[WORKFLOW_STEPS[name as WorkflowStep]]);
      expect(state['Parameters']).toMatchObject({ step: name, 'order.$': '$.order' });
    }
    expect([...WORKFLOW_TASK_FUNCTIONS].sort()).toEqual(Object.keys(resources).sort());
  });

  it('waits the configured seconds between payment and the rest, and bounds the execution', () => {
    expect(definition.States[WORKFLOW_WAIT_STATE]).toMatchObject({ Type: 'Wait', Seconds: 30 });
    expect((definition.States['ProcessPayment'] as AslState & { Next: string }).Next).toBe(WORKFLOW_WAIT_STATE);
    expect(definition.TimeoutSeconds).toBeGreaterThan(30 + TASK_RETRY_HORIZON_SECONDS);
    expect(() => orderWorkflowDefinition({ waitSeconds: -1, resources })).toThrow(/waitSeconds/);
    expect(() => orderWorkflowDefinition({ waitSeconds: 1, resources: { ...resources, 'send-order': '' } })).toThrow(/send-order/);
  });

  it('retries every transient error with exponential backoff and full jitter, covering more than 2 minutes of outage', () => {
    for (const [, state] of tasks) expect(state['Retry']).toBe(TASK_RETRY);
    const [retry] = TASK_RETRY;
    expect(retry.ErrorEquals).toEqual(expect.arrayContaining([WORKFLOW_ERRORS.transient, ...LAMBDA_TRANSIENT_ERRORS]));
    expect(retry).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL' });
    // Full jitter draws each wait from [0, cap]: half the horizon is what a run waits on average.
    expect(TASK_RETRY_HORIZON_SECONDS / 2).toBeGreaterThan(120);
  });

  it('catches only permanent errors into FailOrder; nothing catches States.ALL', () => {
    for (const [name, state] of tasks) {
      const catches = (state['Catch'] ?? []) as { ErrorEquals: string[]; Next: string }[];
      for (const c of catches) expect(c.ErrorEquals).not.toContain('States.ALL');
      if (name !== 'FailOrder') expect(catches).toContainEqual(expect.objectContaining({ ErrorEquals: [...PERMANENT_WORKFLOW_ERRORS], Next: 'FailOrder' }));
    }
  });
});

describe('the order workflow, run', () => {
  it('pays, records the payment, sends to the restaurant and completes', async () => {
    const { output, ran } = await run(happy);
    expect(ran).toEqual(['ProcessPayment', 'RecordPayment', 'SendOrderToRestaurant', 'CompleteOrder']);
    expect(output?.order).toMatchObject({ order_status: 'SUCCESS', version: 3 });
  });

  it('charges again an order its customer changed while it was paid for (PaidChoice)', async () => {
    let recorded = 0;
    const { ran } = await run({
      ...happy,
      RecordPayment: (input) => (++recorded === 1 ? { ...input.order, quantity: 3, version: 2 } : { ...input.order, order_status: 'PAID', version: 3 }),
    });
    expect(ran).toEqual(['ProcessPayment', 'RecordPayment', 'ProcessPayment', 'RecordPayment', 'SendOrderToRestaurant', 'CompleteOrder']);
  });

  it('records a provider’s refusal as the order’s outcome', async () => {
    const refused = () => ({ status: 'error', error_message: 'card declined' });
    expect((await run({ ...happy, ProcessPayment: refused, RecordPaymentRefusal: now('FAILURE', 2) })).ran).toEqual([
      'ProcessPayment',
      'RecordPaymentRefusal',
    ]);
    expect((await run({ ...happy, SendOrderToRestaurant: refused, RecordRestaurantRefusal: now('FAILURE', 3) })).ran.at(-1)).toBe('RecordRestaurantRefusal');
  });

  it.each([WORKFLOW_ERRORS.transient, ...LAMBDA_TRANSIENT_ERRORS])('retries %s and goes on when it passes', async (name) => {
    let calls = 0;
    const flaky = (input: Input) => (++calls <= 3 ? lambdaError(name)() : now('PAID', 2)(input));
    const { output, ran } = await run({ ...happy, RecordPayment: flaky });
    expect(calls).toBe(4);
    expect(ran.filter((s) => s === 'RecordPayment')).toHaveLength(4);
    expect(output?.order).toMatchObject({ order_status: 'SUCCESS' });
  });

  it('fails the execution, without marking the order, when a transient error outlasts the retries', async () => {
    const { failed, ran } = await run({ ...happy, CompleteOrder: fail(WORKFLOW_ERRORS.transient), FailOrder: now('FAILURE', 4) });
    expect(failed).toBe(WORKFLOW_ERRORS.transient);
    expect(ran.filter((s) => s === 'CompleteOrder')).toHaveLength(1 + TASK_RETRY[0].MaxAttempts);
    expect(ran).not.toContain('FailOrder');
  });

  it.each([...PERMANENT_WORKFLOW_ERRORS])('catches the permanent %s into FailOrder at once', async (name) => {
    let failOrderInput: Input | undefined;
    const { ran, output } = await run({
      ...happy,
      SendOrderToRestaurant: fail(name),
      FailOrder: (input) => {
        failOrderInput = input;
        return { ...input.order, order_status: 'FAILURE', version: 3 };
      },
    });
    expect(ran).toEqual(['ProcessPayment', 'RecordPayment', 'SendOrderToRestaurant', 'FailOrder']);
    expect(failOrderInput?.error).toMatchObject({ Error: name });
    expect(output?.order).toMatchObject({ order_status: 'FAILURE' });
  });

  it('ends quietly when the owner deleted the order meanwhile', async () => {
    const { output, ran } = await run({ ...happy, RecordPayment: fail(WORKFLOW_ERRORS.orderGone) });
    expect(ran).toEqual(['ProcessPayment', 'RecordPayment']);
    expect(output?.error).toMatchObject({ Error: WORKFLOW_ERRORS.orderGone });
  });

  it('fails the execution (for the reconciler) when even FailOrder fails for good', async () => {
    const { failed } = await run({ ...happy, ProcessPayment: fail(WORKFLOW_ERRORS.permanent), FailOrder: fail(WORKFLOW_ERRORS.permanent) });
    expect(failed).toBe(WORKFLOW_ERRORS.permanent);
  });
});
