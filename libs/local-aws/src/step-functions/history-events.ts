/**
 * An execution's history as Step Functions records it (GetExecutionHistory), built from the
 * events aws-local-stepfunctions emits. AWS's shapes, so that the AWS CLI, the SDK and
 * `orders history` read a local execution as they read a deployed one:
 *
 * - ExecutionStarted / ExecutionSucceeded / ExecutionFailed / ExecutionAborted / ExecutionTimedOut,
 *   with their `execution…EventDetails`;
 * - `<Type>StateEntered` / `<Type>StateExited` (TaskStateEntered, ChoiceStateExited, …) with the
 *   state's name, input and output;
 * - per attempt of a Lambda task: LambdaFunctionScheduled, LambdaFunctionStarted, then
 *   LambdaFunctionSucceeded or LambdaFunctionFailed (a function named directly by its ARN), or
 *   TaskScheduled, TaskStarted, TaskSucceeded or TaskFailed with resourceType `lambda` (the
 *   `arn:aws:states:::lambda:invoke` integration). A Retry shows as another Scheduled/Started
 *   pair inside the same state, as in AWS.
 *
 * Every event has an id (from 1) and the id of the event before it.
 */

export interface AwsHistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: Date;
  readonly type: string;
  readonly [details: string]: unknown;
}

/** How a Task state runs its Lambda function: by ARN (direct) or through the lambda:invoke integration. */
export type TaskIntegration = { readonly resource: string; readonly integration: 'direct' | 'invoke' };

interface LibraryEvent {
  readonly type: string;
  readonly timestamp?: number;
  readonly input?: unknown;
  readonly output?: unknown;
  readonly Error?: string;
  readonly Cause?: string;
  readonly state?: { readonly name: string; readonly type: string; readonly input?: unknown; readonly output?: unknown };
}

const json = (value: unknown) => JSON.stringify(value ?? null);
const notTruncated = { truncated: false };

export class ExecutionHistory {
  readonly events: AwsHistoryEvent[] = [];

  constructor(
    /** The Lambda-backed Task states, by state name. */
    private readonly tasks: ReadonlyMap<string, TaskIntegration>,
    private readonly roleArn: string,
  ) {}

  private push(type: string, at: number | undefined, details: Record<string, unknown> = {}): void {
    const id = this.events.length + 1;
    this.events.push({ id, previousEventId: id - 1, timestamp: new Date(at ?? Date.now()), type, ...details });
  }

  /** One task attempt begins: Scheduled, then Started. */
  private attempt(task: TaskIntegration, at: number | undefined, input: unknown): void {
    if (task.integration === 'direct') {
      this.push('LambdaFunctionScheduled', at, { lambdaFunctionScheduledEventDetails: { resource: task.resource, input: json(input), inputDetails: notTruncated } });
      this.push('LambdaFunctionStarted', at);
    } else {
      this.push('TaskScheduled', at, {
        taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke', region: task.resource.split(':')[3] ?? '', parameters: json(input) },
      });
      this.push('TaskStarted', at, { taskStartedEventDetails: { resourceType: 'lambda', resource: 'invoke' } });
    }
  }

  /** Adds what one event of aws-local-stepfunctions means in AWS's history. */
  add(event: LibraryEvent): void {
    const at = event.timestamp;
    const state = event.state;
    const task = state ? this.tasks.get(state.name) : undefined;
    switch (event.type) {
      case 'ExecutionStarted':
        this.push('ExecutionStarted', at, { executionStartedEventDetails: { input: json(event.input), inputDetails: notTruncated, roleArn: this.roleArn } });
        return;
      case 'ExecutionSucceeded':
        this.push('ExecutionSucceeded', at, { executionSucceededEventDetails: { output: json(event.output), outputDetails: notTruncated } });
        return;
      case 'ExecutionFailed':
        this.push('ExecutionFailed', at, { executionFailedEventDetails: { error: event.Error, cause: event.Cause } });
        return;
      case 'ExecutionAborted':
        this.push('ExecutionAborted', at, { executionAbortedEventDetails: {} });
        return;
      case 'ExecutionTimeout':
        this.push('ExecutionTimedOut', at, { executionTimedOutEventDetails: { error: 'States.Timeout' } });
        return;
      case 'StateEntered':
        if (!state) return;
        this.push(`${state.type}StateEntered`, at, { stateEnteredEventDetails: { name: state.name, input: json(state.input), inputDetails: notTruncated } });
        if (task) this.attempt(task, at, state.input);
        return;
      case 'StateRetried':
        if (state && task) this.attempt(task, at, state.input);
        return;
      case 'StateFailed':
        if (!state || !task) return;
        if (task.integration === 'direct') this.push('LambdaFunctionFailed', at, { lambdaFunctionFailedEventDetails: { error: event.Error, cause: event.Cause } });
        else this.push('TaskFailed', at, { taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: event.Error, cause: event.Cause } });
        return;
      case 'StateCaught':
        // The Catch chose the next state: the failed state exits with its error output.
        if (state) this.push(`${state.type}StateExited`, at, { stateExitedEventDetails: { name: state.name, output: json(state.input), outputDetails: notTruncated } });
        return;
      case 'StateExited':
        if (!state) return;
        if (task?.integration === 'direct') this.push('LambdaFunctionSucceeded', at, { lambdaFunctionSucceededEventDetails: { output: json(state.output), outputDetails: notTruncated } });
        else if (task) this.push('TaskSucceeded', at, { taskSucceededEventDetails: { resourceType: 'lambda', resource: 'invoke', output: json(state.output), outputDetails: notTruncated } });
        this.push(`${state.type}StateExited`, at, { stateExitedEventDetails: { name: state.name, output: json(state.output), outputDetails: notTruncated } });
        return;
      default:
        // Map and Parallel events: the order workflow has no such states.
        return;
    }
  }

  /**
   * One page of GetExecutionHistory: at most `maxResults` events (default and most: 1,000),
   * oldest first unless `reverseOrder`; `nextToken` continues where the last page stopped.
   */
  page(req: { maxResults?: number; nextToken?: string; reverseOrder?: boolean }): { events: Array<Record<string, unknown>>; nextToken?: string } {
    const size = Math.min(Math.max(1, Math.trunc(Number(req.maxResults ?? 1000)) || 1000), 1000);
    const from = req.nextToken ? Number(Buffer.from(req.nextToken, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(from) || from < 0 || from > this.events.length) throw Object.assign(new Error('Invalid Token: the nextToken was not issued for this history'), { name: 'InvalidToken' });
    const ordered = req.reverseOrder ? [...this.events].reverse() : this.events;
    const slice = ordered.slice(from, from + size).map((e) => ({ ...e, timestamp: e.timestamp.getTime() / 1000 }));
    const next = from + size;
    return next < ordered.length ? { events: slice, nextToken: Buffer.from(String(next)).toString('base64url') } : { events: slice };
  }
}
