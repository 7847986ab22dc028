import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { lambdaServiceError, type InvokeResult } from '@serverless-orders/local-aws';

/**
 * One function, run as Lambda runs it: its bundle loaded in its own execution environments
 * (worker threads, each with its own process.env), one invocation at a time per environment,
 * a new environment (a cold start) when all are busy for a moment (see takeEnvironment), a
 * timeout that kills the environment.
 *
 * Concurrency as Lambda counts it: at most `concurrency` invocations run at once (the function's
 * reserved concurrency). One more is refused at once, as the Invoke API refuses it: 429
 * TooManyRequestsException, "Rate Exceeded." (the caller retries as AWS callers do: Step
 * Functions by its Retry, the SQS event source mapping by backing off). API Gateway's calls wait
 * for a unit instead (invokeWaiting). A poller may hold a unit of concurrency ahead of an
 * invocation (`reserve`), so that it takes nothing from a queue that it could not hand to the
 * function at once.
 */
export interface FunctionConfig {
  readonly name: string;
  /** The bundle's absolute path (dist/apps/<app>/main.js); it exports `handler`. */
  readonly file: string;
  readonly handlerName?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly region: string;
  readonly accountId: string;
  /** Invocations at once, at most (default 10); one more is throttled (TooManyRequestsException). */
  readonly concurrency?: number;
  /**
   * Execution environments at once, at most (default: the concurrency). Below the concurrency,
   * invocations beyond it wait for an environment to finish (they count as running): the stack's
   * way to keep a small machine from running more threads than its cores can serve.
   */
  readonly maxEnvironments?: number;
  /**
   * Receives what the function writes to stdout and stderr, whole lines, a batch at a time, in the
   * order written (an invocation's lines before its result). Without it the output is discarded
   * inside the environment.
   */
  readonly output?: (lines: readonly string[]) => void;
  /** How long an invocation waits for a busy environment before a new one starts (default SCALE_OUT_AFTER_MS; 0: at once). */
  readonly scaleOutAfterMs?: number;
  /**
   * Whether a new environment may start now (default: always). While it says no, an invocation
   * goes on waiting for a busy environment, up to `scaleOutHoldMaxMs`; the stack says no while
   * the machine's cores are all in use (MachineLoad), where another environment runs nothing sooner.
   * Asked only with a scale-out delay: at `scaleOutAfterMs` 0 (Lambda's pace) a new one starts at once.
   */
  readonly mayScaleOut?: () => boolean;
  /** The longest an invocation waits for a busy environment while `mayScaleOut` says no (default SCALE_OUT_HOLD_MAX_MS). */
  readonly scaleOutHoldMaxMs?: number;
  /** A folder where V8 keeps the bundle's compiled code (node's compile cache), so later cold starts compile less. */
  readonly compileCacheDir?: string;
}

/** A unit of a function's concurrency, held ahead of one invocation. */
export interface ConcurrencySlot {
  /** Runs the invocation in the unit held; the unit is released when it ends. */
  invoke(event: unknown): Promise<InvokeResult>;
  /** Gives the unit back without invoking. */
  release(): void;
}

/** The Invoke API's answer to an invocation beyond the function's concurrency. */
export const THROTTLED = (): InvokeResult => lambdaServiceError('TooManyRequestsException', 'Rate Exceeded.');

export const DEFAULT_CONCURRENCY = 10;
/** How long an invocation waits for a busy environment to finish before a new one starts. */
export const SCALE_OUT_AFTER_MS = 100;
/** The longest an invocation waits for a busy environment while `mayScaleOut` says no; then one starts regardless. */
export const SCALE_OUT_HOLD_MAX_MS = 2000;
/**
 * The young generation of every environment, in MB (V8: two 2 MB semi-spaces and room for large
 * young objects). All of the stack's environments (~25 under load) are isolates of one process;
 * with V8's default each grows its young space to 32 MB and keeps it. A function's young objects
 * live for one invocation, so 2 MB semi-spaces cost no throughput (50 clients: same orders/s and
 * CPU per order) and the process grows far less. The stack's own isolate keeps V8's default: it
 * allocates much more per second, and small semi-spaces there promoted that garbage into its old
 * generation, which then grew by ~1 MiB/s under load.
 */
export const ENVIRONMENT_YOUNG_GENERATION_MB = 6;

/*
 * The bootstrap every environment runs: load the bundle once (init), then serve invocations.
 * Events arrive and results leave as JSON text: what Lambda carries is JSON, and a string crosses
 * threads for the price of a copy, where an object is cloned field by field on both sides.
 * What the function writes is gathered in the environment and leaves with the invocation's
 * result (or, between invocations, at the next turn of its event loop): one message per
 * invocation, not one per line, and never after the result it belongs with.
 */
const BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
let pending = '';
let scheduled = false;
const flush = () => { scheduled = false; if (pending) { const log = pending; pending = ''; parentPort.postMessage({ log }); } };
const take = () => { const log = pending; pending = ''; return log; };
for (const stream of [process.stdout, process.stderr]) {
  stream.write = (chunk, encoding, callback) => {
    if (typeof encoding === 'function') callback = encoding;
    if (workerData.keepOutput) {
      pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (!scheduled) { scheduled = true; setImmediate(flush); }
    }
    if (typeof callback === 'function') process.nextTick(callback);
    return true;
  };
}
// A crash ends the environment: what it wrote before still reaches the log.
process.on('uncaughtExceptionMonitor', flush);
process.on('exit', flush);
let handler; let initError;
// Node 22's compile cache: the bundle's code compiled once, kept on disk, for every later environment.
if (workerData.compileCacheDir) require('node:module').enableCompileCache?.(workerData.compileCacheDir);
try {
  const mod = require(workerData.file);
  handler = mod[workerData.handlerName];
  if (typeof handler !== 'function') throw Object.assign(new Error(workerData.file + ' does not export ' + workerData.handlerName), { name: 'Runtime.HandlerNotFound' });
} catch (e) { initError = e; }
const toError = (e) => ({ errorType: (e && e.name) || 'Error', errorMessage: (e && e.message) || String(e), trace: e && e.stack ? String(e.stack).split('\\n') : [] });
parentPort.on('message', async ({ id, event, context }) => {
  if (initError) { parentPort.postMessage({ id, ok: false, init: true, ...toError(initError), log: take() }); return; }
  const ctx = { ...context, callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => Math.max(0, context.deadline - Date.now()),
    done() {}, fail() {}, succeed() {} };
  try {
    const result = await handler(JSON.parse(event), ctx);
    const payload = result === undefined ? 'null' : JSON.stringify(result);
    parentPort.postMessage({ id, ok: true, payload: payload === undefined ? 'null' : payload, log: take() });
  } catch (e) { parentPort.postMessage({ id, ok: false, ...toError(e), log: take() }); }
});
`;

interface Environment {
  readonly worker: Worker;
  /** The bundle it loaded: after a reload, environments of the old one finish what they run and go. */
  readonly file: string;
  busy: boolean;
  pending?: { id: string; resolve: (r: InvokeResult) => void; timer: NodeJS.Timeout };
}

/** An invocation waiting for an environment; `timer` runs while it may yet start one itself. */
interface Waiter {
  readonly resolve: (e: Environment | undefined) => void;
  timer: NodeJS.Timeout | undefined;
}

interface WorkerMessage {
  readonly id?: string;
  readonly ok?: boolean;
  readonly init?: boolean;
  readonly payload?: string;
  readonly errorType?: string;
  readonly errorMessage?: string;
  readonly trace?: string[];
  readonly log?: string;
}

export class FunctionRuntime {
  private readonly environments: Environment[] = [];
  /** Idle environments, the most recently used last: it is taken first, as its code is the warmest. */
  private readonly idle: Environment[] = [];
  private running = 0;
  private reserved = 0;
  private waiters: Array<() => void> = [];
  /** Invocations admitted that wait for an environment to finish its invocation (see takeEnvironment). */
  private waitingForEnvironment: Waiter[] = [];
  /** Invocations waiting for a unit of concurrency (invokeWaiting), first come first served. */
  private queued: Array<() => void> = [];
  private file: string;
  private drained: Array<{ file: string; resolve: () => void }> = [];
  private closed = false;
  /** Cold starts so far (environments created). */
  coldStarts = 0;
  /** Invocations run so far. */
  invocations = 0;
  /** Invocations refused for the concurrency limit so far. */
  throttles = 0;
  /** Lines the runtime itself writes to the function's log (a timeout, a crash). */
  private readonly runtimeLog: (text: string) => void;

  constructor(private readonly config: FunctionConfig) {
    this.file = config.file;
    this.runtimeLog = this.lines();
  }

  get arn(): string {
    return `arn:aws:lambda:${this.config.region}:${this.config.accountId}:function:${this.config.name}`;
  }

  get name(): string {
    return this.config.name;
  }

  /** The concurrency limit. */
  get concurrency(): number {
    return Math.max(1, this.config.concurrency ?? DEFAULT_CONCURRENCY);
  }

  /** Environments at once, at most. */
  get maxEnvironments(): number {
    return Math.max(1, Math.min(this.concurrency, this.config.maxEnvironments ?? this.concurrency));
  }

  /** Units of concurrency in use: invocations running and units reserved for one. */
  get inUse(): number {
    return this.running + this.reserved;
  }

  /** Environments alive now (busy or idle). */
  get size(): number {
    return this.environments.length;
  }

  /** Starts one environment ahead of the first invocation (its init runs now), as provisioned concurrency would. */
  prewarm(): void {
    if (!this.closed && this.environments.length === 0) this.idle.push(this.spawn());
  }

  /** Invokes the function, or refuses at once (TooManyRequestsException) when `concurrency` invocations already run. */
  invoke(event: unknown): Promise<InvokeResult> {
    if (this.closed) return Promise.resolve(this.stopped());
    if (this.inUse >= this.concurrency) {
      this.throttles++;
      return Promise.resolve(THROTTLED());
    }
    return this.runHeld(event);
  }

  /**
   * Invokes the function as soon as a unit of concurrency is free, first come first served: for
   * API Gateway's synchronous calls. On AWS a function without reserved concurrency scales out
   * to serve them (up to the account's 1,000); the stack keeps at most `concurrency`
   * environments to spare the machine, so here the excess costs a wait, not an error that AWS
   * would not give. The callers that AWS would throttle at a function's limit (Step Functions'
   * tasks, the SQS poller) use invoke() and reserve().
   */
  invokeWaiting(event: unknown): Promise<InvokeResult> {
    if (this.closed) return Promise.resolve(this.stopped());
    if (this.queued.length === 0 && this.inUse < this.concurrency) return this.runHeld(event);
    return new Promise((resolve) => this.queued.push(() => resolve(this.closed ? this.stopped() : this.runHeld(event))));
  }

  /** Holds one unit of concurrency for an invocation to come; undefined when none is free (it would be throttled). */
  reserve(): ConcurrencySlot | undefined {
    if (this.closed || this.inUse >= this.concurrency) return undefined;
    this.reserved++;
    let held = true;
    const giveBack = () => {
      if (!held) return false;
      held = false;
      this.reserved--;
      return true;
    };
    return {
      invoke: (event) => {
        if (!giveBack()) return Promise.reject(new Error('this unit of concurrency was already used or released'));
        return this.closed ? Promise.resolve(this.stopped()) : this.runHeld(event);
      },
      release: () => {
        if (giveBack()) this.wake();
      },
    };
  }

  /** Resolves when a unit of concurrency is given back (it may be taken again before the caller gets to it). */
  available(): Promise<void> {
    if (this.closed || this.inUse < this.concurrency) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Runs a new bundle from now on: new invocations start environments that load `file`; idle
   * environments of the old bundle stop now, busy ones when their invocation ends (it finishes on
   * the old code). Resolves when no environment of an older bundle is left.
   */
  reload(file: string): Promise<void> {
    this.file = file;
    for (const environment of this.idle.splice(0)) this.discard(environment);
    return new Promise((resolve) => {
      this.drained.push({ file, resolve });
      this.checkDrained();
    });
  }

  private stopped(): InvokeResult {
    return lambdaServiceError('ServiceException', `${this.config.name} is stopped`);
  }

  private async runHeld(event: unknown): Promise<InvokeResult> {
    this.running++;
    this.invocations++;
    const environment = await this.takeEnvironment();
    if (!environment) {
      this.running--;
      return this.stopped();
    }
    try {
      return await this.run(environment, event);
    } finally {
      this.running--;
      environment.busy = false;
      if (this.environments.includes(environment)) {
        if (environment.file === this.file && !this.closed) this.handOn(environment);
        else this.discard(environment);
      }
      this.wake();
    }
  }

  /**
   * An environment for an invocation: an idle one (the most recently used); else, while one
   * that is busy may finish first, the first that does within `scaleOutAfterMs`; else a new one.
   * Lambda starts a new environment at once; here one costs a worker thread, whose start takes
   * more CPU than most invocations, so the stack scales out for demand that lasts, not for
   * every burst, never beyond `maxEnvironments`, and not while `mayScaleOut` says the machine
   * could run nothing sooner (up to `scaleOutHoldMaxMs`). Undefined once the runtime is closed.
   */
  private takeEnvironment(): Environment | undefined | Promise<Environment | undefined> {
    if (this.closed) return undefined;
    const idle = this.idle.pop();
    if (idle) {
      idle.busy = true;
      return idle;
    }
    const after = this.config.scaleOutAfterMs ?? SCALE_OUT_AFTER_MS;
    if (this.environments.length === 0 || (after <= 0 && !this.full)) return this.spawnBusy();
    const holdUntil = Date.now() + (this.config.scaleOutHoldMaxMs ?? SCALE_OUT_HOLD_MAX_MS);
    return new Promise((resolve) => {
      // At most maxEnvironments: a full function's waiter is served by handOn (an environment
      // ends its invocation) or makeRoom (one goes), with no timer of its own.
      const scaleOut = () => {
        waiter.timer = undefined;
        if (this.full) return;
        if (this.config.mayScaleOut?.() === false && Date.now() < holdUntil) {
          waiter.timer = setTimeout(scaleOut, after);
          return;
        }
        this.waitingForEnvironment.splice(this.waitingForEnvironment.indexOf(waiter), 1);
        resolve(this.closed ? undefined : this.spawnBusy());
      };
      const waiter: Waiter = { resolve, timer: setTimeout(scaleOut, after) };
      this.waitingForEnvironment.push(waiter);
    });
  }

  private get full(): boolean {
    return this.environments.length >= this.maxEnvironments;
  }

  /** An environment went (a crash, a timeout, a reload): the first invocation waiting for one starts a new one in its place. */
  private makeRoom(): void {
    if (this.closed || this.full) return;
    const waiter = this.waitingForEnvironment.shift();
    if (!waiter) return;
    clearTimeout(waiter.timer);
    waiter.resolve(this.spawnBusy());
  }

  /** An environment whose invocation ended goes to the first invocation waiting for one, or idles. */
  private handOn(environment: Environment): void {
    const waiter = this.waitingForEnvironment.shift();
    if (!waiter) return void this.idle.push(environment);
    clearTimeout(waiter.timer);
    environment.busy = true;
    waiter.resolve(environment);
  }

  private spawnBusy(): Environment {
    const environment = this.spawn();
    environment.busy = true;
    return environment;
  }

  private wake(): void {
    // Waiting invocations first: each takes a unit as soon as one is free.
    while (this.queued.length && (this.closed || this.inUse < this.concurrency)) this.queued.shift()?.();
    if (this.inUse >= this.concurrency && !this.closed) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private checkDrained(): void {
    if (this.drained.length === 0) return;
    const current = this.environments.every((e) => e.file === this.file);
    if (!current) return;
    for (const { resolve } of this.drained.splice(0)) resolve();
  }

  private spawn(): Environment {
    const c = this.config;
    this.coldStarts++;
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { file: this.file, handlerName: c.handlerName ?? 'handler', keepOutput: c.output !== undefined, compileCacheDir: c.compileCacheDir },
      env: { ...c.env },
      // Whatever reaches the streams without the bootstrap's write (native code) still arrives.
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, c.memoryMb), maxYoungGenerationSizeMb: ENVIRONMENT_YOUNG_GENERATION_MB },
    });
    const environment: Environment = { worker, file: this.file, busy: false };
    for (const stream of [worker.stdout, worker.stderr]) {
      const write = this.lines();
      stream.setEncoding('utf8');
      stream.on('data', write);
    }
    const write = this.lines();
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.log) write(msg.log);
      if (msg.id === undefined) return;
      const pending = environment.pending;
      if (!pending || pending.id !== msg.id) return;
      clearTimeout(pending.timer);
      environment.pending = undefined;
      // An environment whose init failed is discarded, so the next invocation initialises again.
      if (msg.init) this.discard(environment);
      pending.resolve(this.resultOf(msg));
    });
    const died = (how: string) => {
      this.discard(environment);
      const pending = environment.pending;
      if (pending) {
        clearTimeout(pending.timer);
        environment.pending = undefined;
        // What Lambda writes to the function's log when the runtime dies mid-invocation.
        const errorMessage = `RequestId: ${pending.id} Error: Runtime exited ${how}`;
        this.runtimeLog(`${errorMessage}\nRuntime.ExitError\n`);
        pending.resolve({ ok: false, errorType: 'Runtime.ExitError', errorMessage });
      }
    };
    // Reported at 'exit', which comes after every message the environment posted (its last
    // lines among them); 'error' only says why it is going.
    let crash: Error | undefined;
    worker.on('error', (error) => (crash = error));
    worker.on('exit', (code) => died(crash ? `with error: ${crash.message}` : `with error: exit status ${code}`));
    this.environments.push(environment);
    return environment;
  }

  private resultOf(msg: WorkerMessage): InvokeResult {
    if (msg.ok) return { ok: true, payload: JSON.parse(msg.payload ?? 'null') };
    return { ok: false, errorType: msg.errorType ?? 'Error', errorMessage: msg.errorMessage ?? '', ...(msg.trace ? { trace: msg.trace } : {}) };
  }

  /**
   * A writer of one source of output (an environment's messages, one of its streams): it hands
   * whole lines on (a line cut between two writes waits for its end), a batch per call.
   */
  private lines(): (text: string) => void {
    const output = this.config.output;
    if (!output) return () => undefined;
    let partial = '';
    return (text) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      const nonEmpty = lines.filter((line) => line.trim() !== '');
      if (nonEmpty.length) output(nonEmpty);
    };
  }

  private discard(environment: Environment): void {
    const i = this.environments.indexOf(environment);
    if (i >= 0) this.environments.splice(i, 1);
    const j = this.idle.indexOf(environment);
    if (j >= 0) this.idle.splice(j, 1);
    void environment.worker.terminate();
    this.checkDrained();
    this.makeRoom();
  }

  private run(environment: Environment, event: unknown): Promise<InvokeResult> {
    const c = this.config;
    const id = randomUUID();
    const deadline = Date.now() + c.timeoutSeconds * 1000;
    return new Promise<InvokeResult>((resolve) => {
      const timer = setTimeout(() => {
        environment.pending = undefined;
        this.discard(environment);
        const errorMessage = `Task timed out after ${c.timeoutSeconds.toFixed(2)} seconds`;
        this.runtimeLog(`${new Date().toISOString()} ${id} ${errorMessage}\n`);
        resolve({ ok: false, errorType: 'Sandbox.Timedout', errorMessage });
      }, c.timeoutSeconds * 1000);
      environment.pending = { id, resolve, timer };
      const context = {
        awsRequestId: id,
        functionName: c.name,
        functionVersion: '$LATEST',
        invokedFunctionArn: this.arn,
        memoryLimitInMB: String(c.memoryMb),
        logGroupName: `/aws/lambda/${c.name}`,
        logStreamName: `local/[$LATEST]${id.replace(/-/g, '')}`,
        deadline,
      };
      environment.worker.postMessage({ id, event: JSON.stringify(event ?? null), context });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waitingForEnvironment.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.resolve(undefined);
    }
    this.idle.splice(0);
    const all = this.environments.splice(0);
    this.wake();
    await Promise.all(all.map((e) => e.worker.terminate()));
    this.checkDrained();
  }
}
