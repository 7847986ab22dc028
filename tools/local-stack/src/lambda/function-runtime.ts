import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { lambdaServiceError, type InvokeResult } from '@serverless-orders/local-aws';

/**
 * One function, run as Lambda runs it: its bundle loaded in its own execution environments
 * (worker threads, each with its own process.env), one invocation at a time per environment,
 * a new environment (a cold start) when all are busy, a timeout that kills the environment.
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
  /** Environments kept at most; further invocations wait. */
  readonly maxConcurrency?: number;
  /** Receives each line the function writes. */
  readonly output?: (line: string) => void;
}

// The bootstrap every environment runs: load the bundle once (init), then serve invocations.
const BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
let handler; let initError;
try {
  const mod = require(workerData.file);
  handler = mod[workerData.handlerName];
  if (typeof handler !== 'function') throw Object.assign(new Error(workerData.file + ' does not export ' + workerData.handlerName), { name: 'Runtime.HandlerNotFound' });
} catch (e) { initError = e; }
const toError = (e) => ({ errorType: (e && e.name) || 'Error', errorMessage: (e && e.message) || String(e), trace: e && e.stack ? String(e.stack).split('\\n') : [] });
parentPort.on('message', async ({ id, event, context }) => {
  if (initError) { parentPort.postMessage({ id, ok: false, init: true, ...toError(initError) }); return; }
  const ctx = { ...context, callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => Math.max(0, context.deadline - Date.now()),
    done() {}, fail() {}, succeed() {} };
  try {
    const payload = await handler(event, ctx);
    parentPort.postMessage({ id, ok: true, payload: payload === undefined ? null : JSON.parse(JSON.stringify(payload)) });
  } catch (e) { parentPort.postMessage({ id, ok: false, ...toError(e) }); }
});
`;

interface Environment {
  readonly worker: Worker;
  busy: boolean;
  pending?: { id: string; resolve: (r: InvokeResult) => void; timer: NodeJS.Timeout };
}

export class FunctionRuntime {
  private readonly environments: Environment[] = [];
  private readonly waiting: Array<() => void> = [];
  private closed = false;
  /** Cold starts so far (environments created). */
  coldStarts = 0;

  constructor(private readonly config: FunctionConfig) {}

  get arn(): string {
    return `arn:aws:lambda:${this.config.region}:${this.config.accountId}:function:${this.config.name}`;
  }

  /** Starts one environment ahead of the first invocation (its init runs now), as provisioned concurrency would. */
  prewarm(): void {
    if (!this.closed && this.environments.length === 0) this.spawn();
  }

  async invoke(event: unknown): Promise<InvokeResult> {
    if (this.closed) return lambdaServiceError('ServiceException', `${this.config.name} is stopped`);
    const environment = await this.acquire();
    try {
      return await this.run(environment, event);
    } finally {
      environment.busy = false;
      this.waiting.shift()?.();
    }
  }

  private async acquire(): Promise<Environment> {
    for (;;) {
      const idle = this.environments.find((e) => !e.busy);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (this.environments.length < (this.config.maxConcurrency ?? 4)) {
        const created = this.spawn();
        created.busy = true;
        return created;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private spawn(): Environment {
    const c = this.config;
    this.coldStarts++;
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { file: c.file, handlerName: c.handlerName ?? 'handler' },
      env: { ...c.env },
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, c.memoryMb) },
    });
    const environment: Environment = { worker, busy: false };
    for (const stream of [worker.stdout, worker.stderr]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) c.output?.(line);
      });
    }
    worker.on('message', (msg: { id: string; ok: boolean; init?: boolean } & Record<string, unknown>) => {
      const pending = environment.pending;
      if (!pending || pending.id !== msg.id) return;
      clearTimeout(pending.timer);
      environment.pending = undefined;
      const { id: _id, init, ...result } = msg;
      // An environment whose init failed is discarded, so the next invocation initialises again.
      if (init) this.discard(environment);
      pending.resolve(result as unknown as InvokeResult);
    });
    const died = (how: string) => {
      this.discard(environment);
      const pending = environment.pending;
      if (pending) {
        clearTimeout(pending.timer);
        environment.pending = undefined;
        // What Lambda writes to the function's log when the runtime dies mid-invocation.
        const errorMessage = `RequestId: ${pending.id} Error: Runtime exited ${how}`;
        c.output?.(errorMessage);
        c.output?.('Runtime.ExitError');
        pending.resolve({ ok: false, errorType: 'Runtime.ExitError', errorMessage });
      }
    };
    worker.on('error', (error) => died(`with error: ${error.message}`));
    worker.on('exit', (code) => died(`with error: exit status ${code}`));
    this.environments.push(environment);
    return environment;
  }

  private discard(environment: Environment): void {
    const i = this.environments.indexOf(environment);
    if (i >= 0) this.environments.splice(i, 1);
    void environment.worker.terminate();
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
        c.output?.(`${new Date().toISOString()} ${id} ${errorMessage}`);
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
      environment.worker.postMessage({ id, event: JSON.parse(JSON.stringify(event ?? null)), context });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = this.environments.splice(0);
    await Promise.all(all.map((e) => e.worker.terminate()));
  }
}
