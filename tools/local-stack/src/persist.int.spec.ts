import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderBook, type SettleReport } from '../test/order-book';
import { startStack, type StartedStack } from '../test/local-stack.process';
import { call, newUser, type User } from '../test/users';

/*
 * A durable --persist: what the stack accepted survives a crash (kill -9) and a Ctrl-C with
 * orders in flight. The queue, its dead-letter queue, the tables, the identity pool, the
 * providers' ledgers and the journal of running executions are on disk; at the next start the
 * interrupted executions are started again under their names. Every accepted order then ends
 * final, exactly once: one row, one charge, one send, nothing dead-lettered, nothing stuck.
 *
 * AWS behaviour pinned: in AWS none of these stop when a client's process does; a message that
 * was being handled comes back after its visibility timeout; a Standard workflow step runs at
 * least once, so a step run again must not act twice.
 */

jest.setTimeout(240_000);

const ARGS = ['--persist', '--payment-failure-rate', '0', '--restaurant-failure-rate', '0', '--wait-seconds', '2', '--visibility-timeout', '15', '--quiet'];

async function placeOrders(stack: StartedStack, user: User, count: number): Promise<string[]> {
  const placed = await Promise.all(
    Array.from({ length: count }, (_, i) => call(stack.outputs, 'POST', '/orders', user.idToken, { restaurant_id: 'r-persist', item: `dish ${i}`, quantity: 1 })),
  );
  expect(placed.map((p) => p.status)).toEqual(Array(count).fill(202));
  return placed.map((p) => String(p.body.order_id));
}

/** The invariant after a restart: every order once in the table and the ledgers, final; no execution twice; nothing dead-lettered. */
function expectEachOnce(report: SettleReport, ids: string[]) {
  const once = new Map(ids.map((id) => [id, 1]));
  expect({ rows: report.rows, charges: report.charges, sends: report.sends, finalRows: report.finalRows, deadLetters: report.deadLetters }).toEqual({
    rows: once,
    charges: once,
    sends: once,
    finalRows: ids.length,
    deadLetters: 0,
  });
  expect([...report.executions.values()].filter((n) => n > 1)).toEqual([]);
}

describe('--persist', () => {
  let dir: string;
  let stack: StartedStack | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-stack-persist-'));
  });
  afterEach(async () => {
    await stack?.dispose();
    stack = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9 with orders in flight, then a restart: every accepted order ends SUCCESS, charged and sent once', async () => {
    const first = await startStack(ARGS, { dataDir: dir, timeoutMs: 90_000 });
    const user = await newUser(first.outputs, 'kim');
    const ids = await placeOrders(first, user, 40);
    await new Promise((r) => setTimeout(r, 1500)); // some stored and in their workflow, some still queued
    first.child.kill('SIGKILL');
    await first.stop();

    stack = await startStack(ARGS, { dataDir: dir, timeoutMs: 90_000 });
    expect(stack.log()).toMatch(/execution\(s\) interrupted last time started again/);
    const book = new OrderBook(stack.outputs, dir);
    try {
      const { report } = await book.settle(ids, [user.sub], 150_000);
      expectEachOnce(report, ids);
    } finally {
      book.close();
    }
  });

  it('Ctrl-C with orders in flight stops within 10 s, refuses new orders meanwhile (503), and the restart finishes every accepted one', async () => {
    const first = await startStack([...ARGS, '--drain-seconds', '3'], { dataDir: dir, timeoutMs: 90_000 });
    const user = await newUser(first.outputs, 'lou');
    const ids = await placeOrders(first, user, 40);
    await new Promise((r) => setTimeout(r, 500));
    const stopAt = Date.now();
    first.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    // An order sent while the stack stops is refused, never accepted and then lost.
    const late = await call(first.outputs, 'POST', '/orders', user.idToken, { restaurant_id: 'r-late', item: 'late', quantity: 1 }).catch((e: Error) => ({ status: 0, body: { error: e.message } }));
    expect([0, 503]).toContain(late.status);
    expect(await first.stop()).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(10_000);
    expect(first.log()).toMatch(/stopped/);

    stack = await startStack(ARGS, { dataDir: dir, timeoutMs: 90_000 });
    const book = new OrderBook(stack.outputs, dir);
    try {
      const { report } = await book.settle(ids, [user.sub], 150_000);
      expectEachOnce(report, ids);
      expect([...report.rows.keys()].sort()).toEqual([...ids].sort()); // the late order was never stored
    } finally {
      book.close();
    }
  });
});
