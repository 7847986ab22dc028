import { HistoryEventType, paginateGetExecutionHistory, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { CliError } from './errors';
import { printable, table } from './render';
import type { WorkflowTarget } from './target';

/** What history needs from Step Functions: every event of one execution, oldest first. */
export interface WorkflowPort {
  history(executionArn: string): Promise<HistoryEvent[]>;
  close(): void;
}

/**
 * GetExecutionHistory through the SDK's paginator (pages of up to 1,000 events, following
 * nextToken). A deployed stack is read with the user's AWS credentials (the SDK's default chain:
 * environment, profile, SSO, …); the local stack's endpoint with any.
 */
export class StepFunctionsWorkflow implements WorkflowPort {
  private readonly client: SFNClient;

  constructor(target: WorkflowTarget) {
    this.client = new SFNClient({
      region: target.region,
      ...(target.endpoint ? { endpoint: target.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
  }

  async history(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    try {
      for await (const page of paginateGetExecutionHistory({ client: this.client, pageSize: 1000 }, { executionArn })) {
        events.push(...(page.events ?? []));
      }
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'ExecutionDoesNotExist') throw new CliError('no workflow execution for that order: it may still be in the queue, or belong to another stack', 1, 'not-found');
      if (name === 'CredentialsProviderError') {
        throw new CliError('history reads Step Functions with your AWS credentials, and none were found (AWS_PROFILE, AWS_ACCESS_KEY_ID, …)');
      }
      if (name === 'AccessDeniedException') throw new CliError(`your AWS credentials may not read this execution (states:GetExecutionHistory): ${(error as Error).message}`);
      throw error;
    }
    return events;
  }

  close(): void {
    this.client.destroy();
  }
}

/** The workflow execution of an order: the state machine's execution named after the order id. */
export function executionArnOf(stateMachineArn: string, orderId: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${orderId}`;
}

export type StepStatus = 'succeeded' | 'caught' | 'failed' | 'running' | 'ended';

/** One state the execution went through. */
export interface Step {
  readonly name: string;
  /** The state's type: Task, Choice, Wait, Pass, Succeed, Fail, … */
  readonly type: string;
  readonly entered_at: string;
  exited_at?: string;
  status: StepStatus;
  /** How many times a Task ran its function (more than 1: Retry). */
  attempts: number;
  error?: string;
  cause?: string;
}

export interface ExecutionView {
  readonly execution_arn: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  started_at?: string;
  stopped_at?: string;
  error?: string;
  cause?: string;
  readonly steps: Step[];
  /** Event types Step Functions does not define: an endpoint that does not speak AWS's history format. */
  unknown_event_types?: string[];
}

type Details = { name?: string; error?: string; cause?: string };
const ENDED: Record<string, ExecutionView['status']> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionTimedOut: 'TIMED_OUT',
  ExecutionAborted: 'ABORTED',
};
const EXECUTION_DETAILS = new Set(['executionFailedEventDetails', 'executionTimedOutEventDetails', 'executionAbortedEventDetails']);
const AWS_EVENT_TYPES = new Set<string>(Object.values(HistoryEventType));

/** A Lambda failure's cause is the function's error as JSON: keep what a person reads. */
function readableCause(cause: string | undefined): string | undefined {
  if (!cause) return cause;
  try {
    const parsed = JSON.parse(cause) as { errorType?: string; errorMessage?: string };
    if (parsed && typeof parsed === 'object' && typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: the cause as it is
  }
  return cause;
}

/**
 * The steps of an execution, from its history as Step Functions records it: each
 * `<Type>StateEntered` starts a step (stateEnteredEventDetails.name), `<Type>StateExited` ends
 * it; a task's `…Scheduled` events count its attempts, and a `…Failed`/`…TimedOut` event's
 * details (error, cause) say why an attempt failed. A step that exits after a failed attempt was
 * caught (the state's Catch chose the next state); one that never exits failed the execution.
 * The order workflow runs one state at a time, so events belong to the step last entered.
 */
export function executionView(executionArn: string, events: readonly HistoryEvent[]): ExecutionView {
  const view: ExecutionView = { execution_arn: executionArn, status: 'RUNNING', steps: [] };
  const open = () => view.steps.findLast((s) => s.status === 'running');
  const unknown = new Set<string>();
  for (const event of events) {
    const type = String(event.type ?? '');
    if (!AWS_EVENT_TYPES.has(type)) unknown.add(type);
    const at = event.timestamp instanceof Date ? event.timestamp.toISOString() : undefined;
    const entered = /^(\w+)StateEntered$/.exec(type);
    const exited = /^(\w+)StateExited$/.exec(type);
    if (type === 'ExecutionStarted') {
      view.started_at = at;
    } else if (entered) {
      const name = (event.stateEnteredEventDetails as Details | undefined)?.name ?? '?';
      const terminal = entered[1] === 'Fail' || entered[1] === 'Succeed';
      view.steps.push({ name, type: entered[1], entered_at: at ?? '', status: terminal ? 'ended' : 'running', attempts: 0 });
    } else if (exited) {
      const step = open();
      if (step) {
        step.exited_at = at;
        step.status = step.error ? 'caught' : 'succeeded';
      }
    } else if (/Scheduled$/.test(type)) {
      const step = open();
      if (step) {
        step.attempts++;
        delete step.error;
        delete step.cause;
      }
    } else if (type in ENDED) {
      view.status = ENDED[type];
      view.stopped_at = at;
      const details = Object.entries(event).find(([key]) => EXECUTION_DETAILS.has(key))?.[1] as Details | undefined;
      view.error = details?.error;
      view.cause = readableCause(details?.cause);
      const step = open();
      if (step && view.status !== 'SUCCEEDED') step.status = 'failed';
    } else {
      const failure = Object.entries(event).find(([key]) => /(Failed|TimedOut)EventDetails$/.test(key))?.[1] as Details | undefined;
      const step = open();
      if (failure && step) {
        step.error = failure.error ?? type;
        step.cause = readableCause(failure.cause);
      }
    }
  }
  if (unknown.size > 0) view.unknown_event_types = [...unknown];
  return view;
}

const time = (iso: string | undefined) => (iso ? iso.slice(11, 23) : '');
const seconds = (from: string, to: string | undefined) => (to ? `${((Date.parse(to) - Date.parse(from)) / 1000).toFixed(2)} s` : '');

function outcome(step: Step): string {
  const why = step.error ? `${step.error}${step.cause ? `: ${step.cause}` : ''}` : '';
  const tries = step.attempts > 1 ? ` after ${step.attempts} attempts` : '';
  switch (step.status) {
    case 'succeeded':
      return `ok${tries}`;
    case 'caught':
      return `caught${tries} (${why})`;
    case 'failed':
      return `failed${tries}${why ? ` (${why})` : ''}`;
    default:
      return step.status;
  }
}

export function historyText(orderId: string, view: ExecutionView): string {
  const head = `order ${printable(orderId)}: workflow ${view.status}${view.error ? ` (${printable(view.error)}${view.cause ? `: ${printable(view.cause)}` : ''})` : ''}`;
  if (view.steps.length === 0 && view.unknown_event_types) {
    return `${head}\n(the Step Functions endpoint answered event types AWS does not define: ${printable(view.unknown_event_types.join(', '))}; no step can be read from them)`;
  }
  if (view.steps.length === 0) return `${head}\n(no state entered yet)`;
  return `${head}\n${table(
    ['TIME (UTC)', 'STEP', 'TYPE', 'TOOK', 'OUTCOME'],
    view.steps.map((s) => [time(s.entered_at), s.name, s.type, seconds(s.entered_at, s.exited_at), outcome(s)]),
  )}`;
}
