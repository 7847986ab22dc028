import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { InvokeResult } from '../lambda-invoke';
import { ExecutionHistory, type AwsHistoryEvent, type TaskIntegration } from './history-events';

/**
 * A local Step Functions service: state machines from ASL documents, executed by
 * aws-local-stepfunctions, with each Task state's Lambda resource run by the local functions.
 * It answers the API operations the apps, the CLI and the AWS CLI use (see `operation`),
 * RedriveExecution included, and keeps memory bounded: finished executions beyond
 * `retainFinished` (or older than `retainFinishedMs`) are forgotten, oldest first.
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
  redriveCount: number;
  redriveDate?: Date;
  /** The state that failed and the input it had: where a redrive starts. */
  failedAt?: { state: string; input: unknown };
  /** Replaced when the execution is forgotten and started again under its name. */
  history: ExecutionHistory;
  abort?: () => void;
  done: Promise<void>;
  /** What the execution was last seen doing (a state name), for logs. */
  current?: string;
}

interface Machine {
  readonly arn: string;
  readonly name: string;
  readonly definition: Record<string, unknown>;
  readonly machine: StateMachine;
  readonly handlers: Record<string, (input: unknown) => Promise<unknown>>;
  /** The Lambda-backed Task states, for the history's Lambda events. */
  readonly tasks: ReadonlyMap<string, TaskIntegration>;
  readonly created: Date;
}

type JsonObject = Record<string, unknown>;

/** Every Task state of a definition, by name. (The order workflow uses Task, Wait, Choice and Succeed states only.) */
export function taskStates(definition: JsonObject): Array<{ name: string; state: JsonObject }> {
  return Object.entries((definition.States ?? {}) as Record<string, JsonObject>)
    .filter(([, state]) => state.Type === 'Task')
    .map(([name, state]) => ({ name, state }));
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
 * A Lambda error as Step Functions sees it. The function's own (handled) error: Error = its
 * errorType, Cause = the JSON Lambda reports. An invocation that died without an answer (a
 * timeout, a crash, out of memory: Lambda's Sandbox.Timedout and Runtime.* errors): Error =
 * `Lambda.Unknown`, as AWS documents it. An error of the Invoke call itself (the function did
 * not run): Error = `Lambda.<errorType>` (Lambda.ServiceException, Lambda.TooManyRequestsException, …).
 */
export function lambdaTaskError(result: Extract<InvokeResult, { ok: false }>): Error {
  if (result.invokeError) {
    const status = INVOKE_ERROR_STATUS[result.errorType] ?? 500;
    const error = new Error(`${result.errorMessage} (Service: Lambda, Status Code: ${status}, Error Code: ${result.errorType})`);
    error.name = `Lambda.${result.errorType}`;
    return error;
  }
  const unhandled = result.errorType === 'Sandbox.Timedout' || result.errorType.startsWith('Runtime.');
  const error = new Error(JSON.stringify({ errorType: result.errorType, errorMessage: result.errorMessage, trace: result.trace ?? [] }));
  error.name = unhandled ? 'Lambda.Unknown' : result.errorType;
  return error;
}

const EXECUTION_NAME = /^[a-zA-Z0-9_-]{1,80}$/;
const seconds = (d: Date | undefined) => (d ? d.getTime() / 1000 : undefined);

export interface LocalStepFunctionsOptions {
  readonly region: string;
  readonly accountId: string;
  readonly invoke: FunctionInvoker;
  readonly log?: (line: string) => void;
  /** Finished executions kept, at most (default 10,000). */
  readonly retainFinished?: number;
  /** Finished executions kept, at most this long (default: a day). */
  readonly retainFinishedMs?: number;
  /**
   * Every Retry waits this long instead of the ASL's backoff (tests of the emulator itself).
   * Unset, the document's IntervalSeconds, BackoffRate, MaxDelaySeconds and jitter apply, as in AWS.
   */
  readonly retryIntervalMs?: number;
  /** Told when an execution ends, with its status (to log the order's outcome). */
  readonly onFinished?: (execution: { name: string; status: Status; output?: string; error?: string; cause?: string }) => void;
  /** Told of every event of every execution's history, as GetExecutionHistory will answer it. */
  readonly onEvent?: (execution: { name: string; stateMachineArn: string; input: string }, event: AwsHistoryEvent) => void;
}

export class LocalStepFunctions {
  private readonly machines = new Map<string, Machine>();
  /** Every known execution, in start order (a Map keeps insertion order: eviction takes the oldest). */
  private readonly executions = new Map<string, Execution>();
  private finishedCount = 0;
  /** Aborted by stopAll: task invocations still waiting give up, so no execution outlives the service. */
  private readonly stopping = new AbortController();

  constructor(private readonly options: LocalStepFunctionsOptions) {}

  stateMachineArn(name: string): string {
    return `arn:aws:states:${this.options.region}:${this.options.accountId}:stateMachine:${name}`;
  }

  createStateMachine(name: string, definition: JsonObject): string {
    const arn = this.stateMachineArn(name);
    const handlers: Machine['handlers'] = {};
    const tasks = new Map<string, TaskIntegration>();
    for (const { name: stateName, state } of taskStates(definition)) {
      const fn = lambdaFunctionOf(state);
      if (!fn) throw new SfnError('InvalidDefinition', `Task state ${stateName} has a resource the local stack cannot run: ${String(state.Resource)}`);
      tasks.set(stateName, { resource: `arn:aws:lambda:${this.options.region}:${this.options.accountId}:function:${fn.name}`, integration: fn.integration });
      handlers[stateName] = async (input) => {
        const payload = fn.integration === 'invoke' ? (input as JsonObject).Payload : input;
        const result = await this.invokeUnlessStopping(fn.name, payload);
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
    this.machines.set(arn, { arn, name, definition, machine, handlers, tasks, created: new Date() });
    return arn;
  }

  private executionArnOf(machine: Machine, name: string): string {
    return `arn:aws:states:${this.options.region}:${this.options.accountId}:execution:${machine.name}:${name}`;
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
    const executionArn = this.executionArnOf(machine, name);
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
      redriveCount: 0,
      history: new ExecutionHistory(machine.tasks, this.roleArn),
      done: Promise.resolve(),
    };
    this.executions.set(executionArn, execution);
    this.run(execution, machine, machine.machine, parsed);
    this.options.log?.(`execution ${name} started`);
    return { executionArn, startDate: execution.startDate };
  }

  /**
   * RedriveExecution: an execution that FAILED, TIMED_OUT or was ABORTED runs again from the
   * state that failed, with that state's input, under the same name and ARN (AWS: redriveCount
   * goes up, the history goes on).
   */
  redriveExecution(executionArn: string): { redriveDate: Date } {
    const e = this.executions.get(executionArn);
    if (!e) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    const machine = this.machines.get(e.stateMachineArn);
    if (!machine || !this.redrivable(e)) {
      throw new SfnError('ExecutionNotRedrivable', `Execution is ${e.status}; only a FAILED, TIMED_OUT or ABORTED execution can be redriven`);
    }
    const from = e.failedAt ?? { state: String(machine.definition.StartAt), input: JSON.parse(e.input) };
    const resumed = new StateMachine({ ...machine.definition, StartAt: from.state } as unknown as ConstructorParameters<typeof StateMachine>[0]);
    Object.assign(e, { status: 'RUNNING', redriveCount: e.redriveCount + 1, redriveDate: new Date(), stopDate: undefined, output: undefined, error: undefined, cause: undefined, failedAt: undefined });
    this.finishedCount--;
    this.run(e, machine, resumed, from.input);
    this.options.log?.(`execution ${e.name} redriven from ${from.state}`);
    return { redriveDate: e.redriveDate as Date };
  }

  private redrivable(e: Execution): boolean {
    return e.status === 'FAILED' || e.status === 'TIMED_OUT' || e.status === 'ABORTED';
  }

  private run(execution: Execution, machine: Machine, stateMachine: StateMachine, input: unknown): void {
    const retryIntervalOverrides =
      this.options.retryIntervalMs === undefined
        ? undefined
        : Object.fromEntries(taskStates(machine.definition).map(({ name }) => [name, this.options.retryIntervalMs as number]));
    const run = stateMachine.run(input as never, {
      overrides: { taskResourceLocalHandlers: machine.handlers as never, ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}) },
      context: {
        Execution: {
          Id: execution.executionArn,
          Name: execution.name,
          RoleArn: this.roleArn,
          StartTime: execution.startDate.toISOString(),
        },
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
  }

  private async record(execution: Execution, events: AsyncIterable<Record<string, unknown>>) {
    try {
      for await (const event of events) {
        const state = event.state as { name?: string; input?: unknown } | undefined;
        if (event.type === 'StateEntered' && state?.name) {
          execution.current = state.name;
          execution.failedAt = { state: state.name, input: state.input };
        }
        const before = execution.history.events.length;
        execution.history.add(event as unknown as Parameters<ExecutionHistory['add']>[0]);
        for (const added of execution.history.events.slice(before)) this.options.onEvent?.(execution, added);
      }
    } catch (error) {
      this.options.log?.(`execution ${execution.name}: its history could not be recorded (${(error as Error).message})`);
    }
  }

  /** The role the state machines run under (the local stack has one state machine role). */
  private get roleArn(): string {
    return `arn:aws:iam::${this.options.accountId}:role/local`;
  }

  private finish(execution: Execution, status: Status, fields: Partial<Pick<Execution, 'output' | 'error' | 'cause'>>) {
    if (execution.status !== 'RUNNING') return;
    Object.assign(execution, fields, { status, stopDate: new Date() });
    if (status === 'SUCCEEDED') execution.failedAt = undefined;
    this.finishedCount++;
    this.options.log?.(`execution ${execution.name} ${status}${fields.error ? ` (${fields.error})` : ''}`);
    this.options.onFinished?.({ name: execution.name, status, ...fields });
    this.evict();
  }

  /** Forgets the oldest finished executions beyond the retention limits; running ones are never forgotten. */
  private evict(): void {
    const max = this.options.retainFinished ?? 10_000;
    const oldest = Date.now() - (this.options.retainFinishedMs ?? 24 * 3600_000);
    for (const [arn, e] of this.executions) {
      if (this.finishedCount <= max && (e.stopDate?.getTime() ?? Infinity) >= oldest) break;
      if (e.status === 'RUNNING') continue;
      this.executions.delete(arn);
      this.finishedCount--;
    }
  }

  /** Executions known now (running and retained finished ones). */
  get size(): number {
    return this.executions.size;
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
      redriveCount: e.redriveCount,
      ...(e.redriveDate ? { redriveDate: seconds(e.redriveDate) } : {}),
      redriveStatus: this.redrivable(e) ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
      ...(this.redrivable(e) ? {} : { redriveStatusReason: e.status === 'RUNNING' ? 'Execution is RUNNING and cannot be redriven' : 'Execution is SUCCEEDED and cannot be redriven' }),
    };
  }

  /** Waits for every running execution (tests and a clean stop). */
  async settle(): Promise<void> {
    for (;;) {
      const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING');
      if (running.length === 0) return;
      await Promise.all(running.map((e) => e.done));
    }
  }

  /**
   * Aborts every running execution, and the task invocations they wait on: aws-local-stepfunctions
   * clears an execution's and a task's timers only once the task's promise settles, so a task
   * left waiting would keep them (and the process) alive for up to the execution's TimeoutSeconds.
   */
  stopAll(): void {
    this.stopping.abort();
    for (const e of this.executions.values()) if (e.status === 'RUNNING') e.abort?.();
  }

  private async invokeUnlessStopping(name: string, payload: unknown): Promise<InvokeResult> {
    const { signal } = this.stopping;
    const stopped = () => new SfnError('States.Runtime', 'the Step Functions service is stopping');
    if (signal.aborted) throw stopped();
    let onAbort = () => undefined as void;
    const whenStopped = new Promise<never>((_resolve, reject) => {
      onAbort = () => reject(stopped());
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([this.options.invoke(name, payload), whenStopped]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** How many executions run now. */
  runningCount(): number {
    let n = 0;
    for (const e of this.executions.values()) if (e.status === 'RUNNING') n++;
    return n;
  }

  /** The executions running now: their names and input (to start them again after a crash). */
  running(): Array<{ stateMachineArn: string; name: string; input: string }> {
    return [...this.executions.values()].filter((e) => e.status === 'RUNNING').map(({ stateMachineArn, name, input }) => ({ stateMachineArn, name, input }));
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
      case 'RedriveExecution':
        return { redriveDate: seconds(this.redriveExecution(String(req.executionArn)).redriveDate) };
      case 'StopExecution': {
        const e = this.executions.get(String(req.executionArn));
        if (!e) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${req.executionArn}'`);
        e.abort?.();
        this.finish(e, 'ABORTED', { error: req.error as string | undefined, cause: req.cause as string | undefined });
        return { stopDate: seconds(e.stopDate) };
      }
      case 'ListExecutions': {
        // Newest first, a page at a time, as the AWS CLI pages through them (nextToken).
        const pageSize = Math.min(1000, Math.max(1, Number(req.maxResults ?? 100) || 100));
        const all = [...this.executions.values()]
          .filter((e) => e.stateMachineArn === req.stateMachineArn && (!req.statusFilter || e.status === req.statusFilter))
          .reverse();
        const start = req.nextToken ? Number(Buffer.from(String(req.nextToken), 'base64url').toString('utf8')) : 0;
        if (!Number.isInteger(start) || start < 0) throw new SfnError('InvalidToken', 'Invalid Token');
        const page = all.slice(start, start + pageSize);
        const next = start + pageSize < all.length ? Buffer.from(String(start + pageSize)).toString('base64url') : undefined;
        return {
          executions: page.map((e) => ({
            executionArn: e.executionArn,
            stateMachineArn: e.stateMachineArn,
            name: e.name,
            status: e.status,
            startDate: seconds(e.startDate),
            stopDate: seconds(e.stopDate),
            redriveCount: e.redriveCount,
          })),
          ...(next ? { nextToken: next } : {}),
        };
      }
      case 'GetExecutionHistory': {
        const e = this.executions.get(String(req.executionArn));
        if (!e) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${req.executionArn}'`);
        try {
          return e.history.page(req as { maxResults?: number; nextToken?: string; reverseOrder?: boolean });
        } catch (error) {
          throw new SfnError('InvalidToken', (error as Error).message);
        }
      }
      case 'DescribeStateMachine': {
        const m = this.machines.get(String(req.stateMachineArn));
        if (!m) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${req.stateMachineArn}'`);
        return {
          stateMachineArn: m.arn,
          name: m.name,
          status: 'ACTIVE',
          definition: JSON.stringify(m.definition),
          roleArn: this.roleArn,
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
