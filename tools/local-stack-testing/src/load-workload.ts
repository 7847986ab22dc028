import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { call, type User } from './users';

/*
 * The mixed workload of the load test and of the load benchmark. Each client is one signed-in
 * user who, in a loop, as fast as the answers come:
 *
 *   POST   /orders          places an order                         → 202
 *   GET    /orders?limit=20  lists their orders                      → 200
 *   GET    /orders/{id}      reads one of the listed orders          → 200
 *   PUT    /orders/{id}      changes a listed PENDING order          → 200, or 409 once it moved on
 *   DELETE /orders/{id}      cancels a listed order already final    → 204 (when there is one)
 *
 * Any other answer is an error; no answer within the request timeout is a timeout. When each
 * order reached its final status is read from the Step Functions endpoint (the execution named
 * after the order, its stopDate), polled while the load runs, so that executions the service
 * forgets later (it keeps a bounded number) are still counted.
 */

export interface LoadTarget {
  readonly outputs: Record<string, string>;
  /** One user per client (client i is users[i]). */
  readonly users: readonly User[];
}

export interface LoadPhase {
  readonly clients: number;
  readonly seconds: number;
  /** A request without an answer after this long counts as a timeout (default 10 s). */
  readonly requestTimeoutMs?: number;
}

export interface RequestFailure {
  readonly operation: string;
  readonly status: number | 'timeout' | 'network';
  readonly body: string;
}

export interface LoadRun {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly requests: number;
  readonly byOperation: Readonly<Record<string, number>>;
  readonly errors: readonly RequestFailure[];
  readonly timeouts: number;
  /** Every order placed (202), with the time its POST was sent. */
  readonly placed: ReadonlyMap<string, number>;
  /** Orders this run deleted (each was final before). */
  readonly deleted: ReadonlySet<string>;
}

const FINAL = new Set(['SUCCESS', 'FAILURE']);

interface Answer {
  readonly status: number | 'timeout' | 'network';
  readonly body: unknown;
  readonly text: string;
}

async function request(target: LoadTarget, user: User, method: string, path: string, timeoutMs: number, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  try {
    const answer = await call(target.outputs, method, path, user.idToken, body, headers, timeoutMs);
    return { status: answer.status, body: answer.body, text: answer.text };
  } catch (error) {
    const name = (error as Error).name;
    return { status: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network', body: undefined, text: (error as Error).message };
  }
}

interface ListedOrder {
  readonly id: string;
  readonly order_status: string;
}

/** Runs `phase.clients` clients for `phase.seconds`; resolves when every client's last request is answered. */
export async function runLoad(target: LoadTarget, phase: LoadPhase): Promise<LoadRun> {
  if (phase.clients > target.users.length) throw new Error(`${phase.clients} clients need as many users (${target.users.length} given)`);
  const timeoutMs = phase.requestTimeoutMs ?? 10_000;
  const startedAt = Date.now();
  const deadline = startedAt + phase.seconds * 1000;
  const placed = new Map<string, number>();
  const deleted = new Set<string>();
  const errors: RequestFailure[] = [];
  const byOperation: Record<string, number> = {};
  let requests = 0;
  let timeouts = 0;

  const step = async (user: User, operation: string, method: string, path: string, expected: readonly number[], body?: unknown, headers?: Record<string, string>) => {
    requests++;
    byOperation[operation] = (byOperation[operation] ?? 0) + 1;
    const answer = await request(target, user, method, path, timeoutMs, body, headers);
    if (answer.status === 'timeout') timeouts++;
    else if (!expected.includes(answer.status as number)) errors.push({ operation, status: answer.status, body: answer.text.slice(0, 300) });
    return answer;
  };

  const client = async (user: User, n: number) => {
    for (let cycle = 0; Date.now() < deadline; cycle++) {
      const sentAt = Date.now();
      const post = await step(user, 'POST /orders', 'POST', '/orders', [202], { restaurant_id: `r-${n % 7}`, item: `dish ${cycle}`, quantity: 1 + (cycle % 5) }, { 'Idempotency-Key': randomUUID() });
      const orderId = (post.body as { order_id?: string } | undefined)?.order_id;
      if (post.status === 202 && orderId) placed.set(orderId, sentAt);

      const list = await step(user, 'GET /orders', 'GET', '/orders?limit=20', [200]);
      const items = ((list.body as { items?: ListedOrder[] } | undefined)?.items ?? []).filter((o) => !deleted.has(o.id));
      if (items.length === 0) continue;
      await step(user, 'GET /orders/{id}', 'GET', `/orders/${items[0].id}`, [200]);
      const pending = items.find((o) => o.order_status === 'PENDING') ?? items[0];
      await step(user, 'PUT /orders/{id}', 'PUT', `/orders/${pending.id}`, [200, 409], { quantity: 1 + ((cycle + 1) % 5) });
      const final = items.find((o) => FINAL.has(o.order_status));
      if (final) {
        const gone = await step(user, 'DELETE /orders/{id}', 'DELETE', `/orders/${final.id}`, [204]);
        if (gone.status === 204) deleted.add(final.id);
      }
    }
  };

  await Promise.all(target.users.slice(0, phase.clients).map((user, n) => client(user, n)));
  return { startedAt, endedAt: Date.now(), requests, byOperation, errors, timeouts, placed, deleted };
}

export interface ExecutionSeen {
  readonly name: string;
  readonly status: string;
  readonly startDate: number;
  readonly stopDate?: number;
  readonly redriveCount: number;
  /** Executions of this name seen (distinct start dates): more than 1 is two executions of one order. */
  readonly copies: number;
}

/**
 * The workflow's executions, read from the Step Functions endpoint (ListExecutions, every page),
 * kept as they are seen: an execution the service forgets later stays here with what it last
 * showed. `poll()` reads once; `watch(ms)` reads every `ms` until `stop()`.
 */
export class ExecutionWatcher {
  private readonly sfn: SFNClient;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  readonly seen = new Map<string, ExecutionSeen>();
  private readonly starts = new Map<string, Set<number>>();

  constructor(private readonly outputs: Record<string, string>) {
    this.sfn = new SFNClient({ region: outputs.region, endpoint: outputs.stepFunctionsEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  }

  async poll(): Promise<void> {
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(new ListExecutionsCommand({ stateMachineArn: this.outputs.stateMachineArn, maxResults: 1000, nextToken }));
      for (const e of page.executions ?? []) {
        const name = e.name ?? '';
        const startDate = e.startDate?.getTime() ?? 0;
        const starts = this.starts.get(name) ?? new Set<number>();
        this.starts.set(name, starts.add(startDate));
        this.seen.set(name, { name, status: e.status ?? '', startDate, stopDate: e.stopDate?.getTime(), redriveCount: e.redriveCount ?? 0, copies: starts.size });
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }

  watch(everyMs: number): void {
    const tick = () => {
      this.polling = this.poll()
        .catch(() => undefined)
        .then(() => {
          if (this.timer) this.timer = setTimeout(tick, everyMs);
        });
    };
    this.timer = setTimeout(tick, everyMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  /** Polls until every order of `ids` has ended (or `timeoutMs` passed); resolves when the last one ended, or undefined. */
  async waitUntilEnded(ids: Iterable<string>, timeoutMs: number): Promise<number | undefined> {
    const wanted = [...ids];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.poll();
      const ended = wanted.map((id) => this.seen.get(id)).filter((e) => e && e.status !== 'RUNNING');
      if (ended.length === wanted.length) return Math.max(0, ...ended.map((e) => e?.stopDate ?? 0));
      if (Date.now() > deadline) return undefined;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  close(): void {
    this.sfn.destroy();
  }
}

export interface PhaseReport {
  readonly clients: number;
  readonly seconds: number;
  readonly requests: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly placed: number;
  /** Orders whose execution ended SUCCEEDED. */
  readonly final: number;
  /** Orders with no execution seen, or more than one, or one that did not succeed. */
  readonly notOnce: readonly string[];
  /** Orders final per second of load (those that ended before the load's end, over its length). */
  readonly finalPerSecond: number;
  /** From the load's end to the last order's final status (ms; negative: all ended during the load). */
  readonly drainMs?: number;
  readonly postToFinalMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The figures of one run, once its orders have ended (see ExecutionWatcher.waitUntilEnded). */
export function phaseReport(run: LoadRun, phase: LoadPhase, executions: ReadonlyMap<string, ExecutionSeen>, lastEndedAt: number | undefined): PhaseReport {
  const latencies: number[] = [];
  const notOnce: string[] = [];
  let final = 0;
  let finalDuringLoad = 0;
  for (const [id, sentAt] of run.placed) {
    const e = executions.get(id);
    if (!e || e.copies !== 1 || e.redriveCount !== 0 || e.status !== 'SUCCEEDED' || e.stopDate === undefined) {
      notOnce.push(id);
      continue;
    }
    final++;
    if (e.stopDate <= run.endedAt) finalDuringLoad++;
    latencies.push(e.stopDate - sentAt);
  }
  latencies.sort((a, b) => a - b);
  return {
    clients: phase.clients,
    seconds: phase.seconds,
    requests: run.requests,
    errors: run.errors.length,
    timeouts: run.timeouts,
    placed: run.placed.size,
    final,
    notOnce,
    finalPerSecond: finalDuringLoad / ((run.endedAt - run.startedAt) / 1000),
    drainMs: lastEndedAt === undefined ? undefined : lastEndedAt - run.endedAt,
    postToFinalMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN },
  };
}

/** CPU time (user + system, all threads) of a process so far, in ms, from /proc/<pid>/stat (Linux). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1000) / clockTicksPerSecond();
}

let ticksPerSecond: number | undefined;
/** The unit of /proc's CPU times (USER_HZ), as `getconf CLK_TCK` tells it. */
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** A field of /proc/<pid>/status (Linux), as a number. */
function statusField(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
}

/** Resident set size of a process, in MiB, from /proc/<pid>/status (Linux). */
export function processRssMiB(pid: number): number {
  return statusField(pid, 'VmRSS') / 1024;
}

/**
 * A process's threads, from /proc/<pid>/status (Linux). In the local stack's process each
 * function environment is a thread (a worker), beside a fixed set (node's main thread, libuv's
 * pool, V8's helpers), so a change in the count is an environment started or gone.
 */
export function processThreads(pid: number): number {
  return statusField(pid, 'Threads');
}
