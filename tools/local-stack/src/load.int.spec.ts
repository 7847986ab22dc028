import { ExecutionWatcher, newUser, phaseReport, runLoad, type User } from '@serverless-orders/local-stack-testing';
import { startStack, type StartedStack } from '../test/local-stack.process';

// The stack under load, as a team leaves it running: 50 clients, each its own user, on the mixed
// workload (POST, list, get, PUT, DELETE), bounded to 20 s on 127.0.0.1. What it pins is how
// Lambda and its SQS poller share the work: each function runs at most its concurrency at once
// and refuses more (TooManyRequestsException, retried by the workflow's Retry); the poller takes
// orders from the queue only when the consumer has room, so an order's next step never waits
// behind every newer order's first one; and the front door holds orders while the workflow is
// full, so the backlog stays bounded. So: no error, no timeout, every order final within 10 s of
// the load's end, and exactly one execution per order (throttled steps are retried in place, a
// throttled batch goes back to the queue, neither starts a second workflow).
// The figures (orders/s at 1, 10, 50 clients, POST → final, CPU per order, RSS) are printed by
// the benchmark: `npx nx run benchmarks:local-stack-load`.

const CLIENTS = 50;
const SECONDS = 20;
/**
 * How long after the load the last order may end. The front door holds orders while the workflow
 * is full (order-admission.ts), so only a bounded backlog is ever left to drain.
 */
const DRAIN_MS = 10_000;

describe('the local stack under load', () => {
  let stack: StartedStack;
  let users: User[];

  beforeAll(async () => {
    stack = await startStack(['--quiet'], { timeoutMs: 120_000 });
    users = [];
    for (let i = 0; i < CLIENTS; i += 10) users.push(...(await Promise.all(Array.from({ length: 10 }, (_, k) => newUser(stack.outputs, `load-${i + k}`)))));
  }, 180_000);

  afterAll(() => stack?.dispose());

  it(`${CLIENTS} clients for ${SECONDS} s: no error, no timeout, every order final within 10 s of the end, one execution each`, async () => {
    const watcher = new ExecutionWatcher(stack.outputs);
    try {
      watcher.watch(2000);
      const run = await runLoad({ outputs: stack.outputs, users }, { clients: CLIENTS, seconds: SECONDS });
      await watcher.stop();
      const lastEndedAt = await watcher.waitUntilEnded(run.placed.keys(), 60_000);
      const report = phaseReport(run, { clients: CLIENTS, seconds: SECONDS }, watcher.seen, lastEndedAt);

      expect(run.errors.slice(0, 5)).toEqual([]);
      expect(run.timeouts).toBe(0);
      expect(report.placed).toBeGreaterThan(CLIENTS);
      // Each order's execution seen once, SUCCEEDED (it ends SUCCESS or FAILURE), never redriven.
      expect(report.notOnce).toEqual([]);
      expect(report.final).toBe(report.placed);
      expect(lastEndedAt).toBeDefined();
      expect(report.drainMs).toBeLessThanOrEqual(DRAIN_MS);
    } finally {
      await watcher.stop();
      watcher.close();
    }
  }, 240_000);
});
