import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { InvokeResult } from '../lambda/invoke-result';

/**
 * A local Step Functions service: state machines from ASL documents, executed by
 * aws-local-stepfunctions, with each Task state's Lambda resource run by the local functions.
 * It answers the API operations the apps and the AWS CLI use (see sfnOperation).
 */

/** Runs a function by name (the last part of its Lambda ARN). */
export type FunctionInvoker = (functionName: string, input: unknown) => Promise<InvokeResult>;

export class SfnError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface Execution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
  status: Status;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  readonly history: Array<{ timestamp: Date; type: string; id: number; details: Record<string, unknown> }>;
  abort?: () => void;
  done: Promise<void>;
}

interface Machine {
  readonly arn: string;
  readonly name: string;
  readonly definition: Record<string, unknown>;
  readonly machine: StateMachine;
  readonly handlers: Record<string, (input: unknown) => Promise<unknown>>;
  readonly created: Date;
}

type JsonObject = Record<string, unknown>;

/** Every Task state of a definition (Parallel branches and Map iterators included), by name. */
export function taskStates(definition: JsonObject): Array<{ name: string; state: JsonObject }> {
  const found: Array<{ name: string; state: JsonObject }> = [];
  const walk = (states: unknown) => {
    for (const [name, state] of Object.entries((states ?? {}) as Record<string, JsonObject>)) {
      if (state.Type === 'Task') found.push({ name, state });
      for (const branch of (state.Branches as JsonObject[] | undefined) ?? []) walk(branch.States);
      const iterator = (state.ItemProcessor ?? state.Iterator) as JsonObject | undefined;
      if (iterator) walk(iterator.States);
    }
  };
  walk(definition.States);
  return found;
}

/** The function a Task resource runs: `arn:aws:lambda:…:function:NAME[:qualifier]`, or the lambda:invoke integration. */
export function lambdaFunctionOf(state: JsonObject): { name: string; integration: 'direct' | 'invoke' } | undefined {
  const resource = String(state.Resource ?? '');
  const direct = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(resource);
  if (direct) return { name: direct[1], integration: 'direct' };
  if (/^arn:aws[\w-]*:states:::lambda:invoke(\.waitForTaskToken)?$/.test(resource)) {
    const fn = (state.Parameters as JsonObject | undefined)?.FunctionName;
    const m = typeof fn === 'string' ? /(?:function:)?([^:]+)(?::[^:]+)?$/.exec(fn) : null;
    if (m) return { name: m[1], integration: 'invoke' };
  }
  return undefined;
}

const INVOKE_ERROR_STATUS: Record<string, number> = { ResourceNotFoundException: 404, TooManyRequestsException: 429, InvalidRequestContentException: 400 };

/**
 * A Lambda error as Step Functions sees it. The function's own error: Error = its errorType,
 * Cause = the JSON Lambda reports. An error of the Invoke call itself (the function did not
 * run): Error = `Lambda.<errorType>` (Lambda.ServiceException, Lambda.ResourceNotFoundException, …,
 * what the ASL's Retry and Catch match), Cause = the service's message.
 */
export function lambdaTaskError(result: Extract<InvokeResult, { ok: false }>): Error {
  if (result.invokeError) {
    const status = INVOKE_ERROR_STATUS[result.errorType] ?? 500;
    const error = new Error(`${result.errorMessage} (Service: Lambda, Status Code: ${status}, Error Code: ${result.errorType})`);
    error.name = `Lambda.${result.errorType}`;
    return error;
  }
  const error = new Error(JSON.stringify({ errorType: result.errorType, errorMessage: result.errorMessage, trace: result.trace ?? [] }));
  error.name = result.errorType;
  return error;
}

const EXECUTION_NAME = /^[a-zA-Z0-9_-]{1,80}$/;
const seconds = (d: Date | undefined) => (d ? d.getTime() / 1000 : undefined);

export class LocalStepFunctions {
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();

  constructor(
    private readonly options: { region: string; accountId: string; invoke: FunctionInvoker; log?: (line: string) => void },
  ) {}

  stateMachineArn(name: string): string {
    return `arn:aws:states:${this.options.region}:${this.options.accountId}:stateMachine:${name}`;
  }

  createStateMachine(name: string, definition: JsonObject): string {
    const arn = this.stateMachineArn(name);
    const handlers: Machine['handlers'] = {};
    for (const { name: stateName, state } of taskStates(definition)) {
      const fn = lambdaFunctionOf(state);
      if (!fn) throw new SfnError('InvalidDefinition', `Task state ${stateName} has a resource the local stack cannot run: ${String(state.Resource)}`);
      handlers[stateName] = async (input) => {
        const payload = fn.integration === 'invoke' ? (input as JsonObject).Payload : input;
        const result = await this.options.invoke(fn.name, payload);
        if (!result.ok) throw lambdaTaskError(result);
        return fn.integration === 'invoke' ? { ExecutedVersion: '$LATEST', Payload: result.payload, StatusCode: 200 } : result.payload;
      };
    }
    let machine: StateMachine;
    try {
      machine = new StateMachine(definition as unknown as ConstructorParameters<typeof StateMachine>[0]);
    } catch (error) {
      throw new SfnError('InvalidDefinition', (error as Error).message);
    }
    this.machines.set(arn, { arn, name, definition, machine, handlers, created: new Date() });
    return arn;
  }

  startExecution(req: { stateMachineArn?: string; name?: string; input?: string }): { executionArn: string; startDate: Date } {
    const machine = this.machines.get(req.stateMachineArn ?? '');
    if (!machine) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${req.stateMachineArn}'`);
    const name = req.name ?? randomUUID();
    if (!EXECUTION_NAME.test(name)) throw new SfnError('InvalidName', `Invalid Name: '${name}'`);
    const input = req.input ?? '{}';
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new SfnError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not valid JSON');
    }
    const executionArn = `arn:aws:states:${this.options.region}:${this.options.accountId}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // As Step Functions (standard): the same name and input while running is the same execution.
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn, startDate: existing.startDate };
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const execution: Execution = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      input,
      startDate: new Date(),
      status: 'RUNNING',
      history: [],
      done: Promise.resolve(),
    };
    this.executions.set(executionArn, execution);
    const run = machine.machine.run(parsed as never, {
      overrides: { taskResourceLocalHandlers: machine.handlers as never },
      context: {
        Execution: { Id: executionArn, Name: name, RoleArn: `arn:aws:iam::${this.options.accountId}:role/local`, StartTime: execution.startDate.toISOString() },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
    });
    execution.abort = run.abort;
    void this.record(execution, run.eventLogs as AsyncIterable<Record<string, unknown>>);
    execution.done = run.result.then(
      (output) => this.finish(execution, 'SUCCEEDED', { output: JSON.stringify(output ?? null) }),
      (error: Error) => {
        const cause = (error as Error & { cause?: Error }).cause;
        if (error.name === 'ExecutionAbortedError') return this.finish(execution, 'ABORTED', {});
        if (error.name === 'ExecutionTimeoutError') return this.finish(execution, 'TIMED_OUT', { error: 'States.Timeout' });
        return this.finish(execution, 'FAILED', { error: cause?.name ?? error.name, cause: cause?.message ?? error.message });
      },
    );
    this.options.log?.(`execution ${name} started`);
    return { executionArn, startDate: execution.startDate };
  }

  private async record(execution: Execution, events: AsyncIterable<Record<string, unknown>>) {
    try {
      for await (const event of events) {
        const { type, timestamp, ...details } = event;
        execution.history.push({ id: execution.history.length + 1, type: String(type), timestamp: new Date(Number(timestamp)), details });
      }
    } catch {
      // the history is best-effort
    }
  }

  private finish(execution: Execution, status: Status, fields: Partial<Pick<Execution, 'output' | 'error' | 'cause'>>) {
    if (execution.status !== 'RUNNING') return;
    Object.assign(execution, fields, { status, stopDate: new Date() });
    this.options.log?.(`execution ${execution.name} ${status}${fields.error ? ` (${fields.error})` : ''}`);
  }

  describeExecution(arn: string) {
    const e = this.executions.get(arn);
    if (!e) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return {
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: seconds(e.startDate),
      stopDate: seconds(e.stopDate),
      input: e.input,
      inputDetails: { included: true },
      ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
      ...(e.error !== undefined ? { error: e.error } : {}),
      ...(e.cause !== undefined ? { cause: e.cause } : {}),
    };
  }

  /** Waits for every running execution (tests and a clean stop). */
  async settle(): Promise<void> {
    await Promise.all([...this.executions.values()].map((e) => e.done));
  }

  stopAll(): void {
    for (const e of this.executions.values()) if (e.status === 'RUNNING') e.abort?.();
  }

  /** One Step Functions API operation (AWS JSON 1.0), by its X-Amz-Target name. */
  async operation(name: string, req: JsonObject): Promise<unknown> {
    switch (name) {
      case 'StartExecution': {
        const started = this.startExecution(req as never);
        return { executionArn: started.executionArn, startDate: seconds(started.startDate) };
      }
      case 'DescribeExecution':
        return this.describeExecution(String(req.executionArn));
      case 'StopExecution': {
        const e = this.executions.get(String(req.executionArn));
        if (!e) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${req.executionArn}'`);
        e.abort?.();
        this.finish(e, 'ABORTED', { error: req.error as string | undefined, cause: req.cause as string | undefined });
        return { stopDate: seconds(e.stopDate) };
      }
      case 'ListExecutions': {
        const list = [...this.executions.values()]
          .filter((e) => e.stateMachineArn === req.stateMachineArn && (!req.statusFilter || e.status === req.statusFilter))
          .reverse()
          .slice(0, Number(req.maxResults ?? 100) || 100);
        return {
          executions: list.map((e) => ({
            executionArn: e.executionArn,
            stateMachineArn: e.stateMachineArn,
            name: e.name,
            status: e.status,
            startDate: seconds(e.startDate),
            stopDate: seconds(e.stopDate),
          })),
        };
      }
      case 'GetExecutionHistory': {
        const e = this.executions.get(String(req.executionArn));
        if (!e) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${req.executionArn}'`);
        const events = e.history.map((h) => ({ id: h.id, timestamp: seconds(h.timestamp), type: h.type, ...h.details }));
        return { events: req.reverseOrder ? events.reverse() : events };
      }
      case 'DescribeStateMachine': {
        const m = this.machines.get(String(req.stateMachineArn));
        if (!m) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${req.stateMachineArn}'`);
        return {
          stateMachineArn: m.arn,
          name: m.name,
          status: 'ACTIVE',
          definition: JSON.stringify(m.definition),
          roleArn: `arn:aws:iam::${this.options.accountId}:role/local`,
          type: 'STANDARD',
          creationDate: seconds(m.created),
        };
      }
      case 'ListStateMachines':
        return {
          stateMachines: [...this.machines.values()].map((m) => ({ stateMachineArn: m.arn, name: m.name, type: 'STANDARD', creationDate: seconds(m.created) })),
        };
      default:
        throw new SfnError('UnknownOperationException', `The local Step Functions does not answer ${name}`);
    }
  }
}
