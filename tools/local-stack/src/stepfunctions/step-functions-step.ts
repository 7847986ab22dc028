import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { close, functionInvoker, httpServer, lambdaServiceError, listen, LocalStepFunctions, LOOPBACK, sfnRequestHandler } from '@serverless-orders/local-aws';
import { ACCOUNT_ID, type Started } from '../started';
import { ExecutionJournal } from './execution-journal';
import { OrderLog } from './order-log';

// Step Functions' steps of the start-up: the service and its executions' journal (step 2), and
// with --persist, the executions an earlier run left unfinished (step 4b).

/** The end events of an execution: it no longer needs starting again. */
const EXECUTION_ENDS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

/**
 * Lambda's answer to an Invoke the caller's role may not make, as Step Functions reports it
 * (`Lambda.AWSLambdaException`, IAM's sentence and the Lambda service's details as its cause).
 */
function invokeDenied(message: string) {
  return lambdaServiceError('AWSLambdaException', `${message} (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException; Request ID: ${randomUUID()}; Proxy: null)`);
}

/** Step 2: Step Functions, its executions run by the local functions, invoked with the state machine's role. */
export async function startStepFunctions(s: Started): Promise<void> {
  const { options, env } = s;
  s.functions = new Map();
  s.invoke = functionInvoker(s.functions, options.region, ACCOUNT_ID);
  const invokeAsWorkflow = async (name: string, event: unknown) => {
    const arn = `arn:aws:lambda:${options.region}:${ACCOUNT_ID}:function:${name}`;
    const decision = await s.iam.authorize(s.roles.workflow, [{ action: 'lambda:InvokeFunction', resource: arn }]);
    return decision.allowed ? s.invoke(name, event) : invokeDenied(decision.message);
  };
  s.journal = journalOf(s);
  const orderLog = new OrderLog(options.verbose);
  s.sfn = new LocalStepFunctions({
    region: options.region,
    accountId: ACCOUNT_ID,
    invoke: invokeAsWorkflow,
    retainFinished: options.retainExecutions,
    retainFinishedMs: options.retainExecutionMinutes * 60_000,
    // Its own lines are about executions; the order's progress is printed from their events.
    log: options.verbose ? (l) => env.log(`[workflow] ${l}`) : undefined,
    onEvent: (execution, event) => {
      if (event.type === 'ExecutionStarted' || event.type === 'ExecutionRedriven') s.journal?.started(execution);
      else if (EXECUTION_ENDS.has(event.type) && !s.aborting) s.journal?.ended(execution.name);
      if (!options.quiet) for (const line of orderLog.lines(execution, event)) env.log(`[workflow] ${line}`);
    },
  });
  s.cleanups.push(() => s.sfn.stopAll());
  const server = httpServer(sfnRequestHandler(s.sfn, env.log, s.iam.intercept(['states'])), env.log);
  const port = await listen(server, options.ports.sfn, 'Step Functions', '--sfn-port');
  s.cleanups.push(() => close(server));
  s.sfnEndpoint = `http://${LOOPBACK}:${port}`;
}

/**
 * The journal of running executions, with --persist (in the data directory, beside the tables
 * and queues). Without it, there is nothing to carry over: a journal left by an earlier
 * persistent run is set aside, not replayed into a new system.
 */
function journalOf(s: Started): ExecutionJournal | undefined {
  const file = join(s.dataDir, 'step-functions', 'executions.jsonl');
  if (!s.options.persist) {
    rmSync(file, { force: true });
    return undefined;
  }
  return ExecutionJournal.open(file);
}

/**
 * Step 4b (with --persist): the executions a crash or an unfinished stop interrupted are started
 * again, under their own names, from their input: every step of the workflow is safe to run
 * again (idempotent providers, versioned writes), so an order picks up where it was.
 */
export function resumeInterrupted(s: Started): void {
  const interrupted = s.journal?.interrupted() ?? [];
  for (const entry of interrupted) {
    try {
      s.sfn.startExecution({ stateMachineArn: s.stateMachineArn, name: entry.name, input: entry.input });
    } catch (error) {
      s.env.log(`[workflow] order ${entry.name}: not started again (${(error as Error).message})`);
      s.journal?.ended(entry.name);
    }
  }
  if (interrupted.length > 0) s.env.log(`[workflow] ${interrupted.length} execution(s) interrupted last time started again`);
}
