import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENVIRONMENT_YOUNG_GENERATION_MB, FunctionRuntime } from './function-runtime';

const fixture = (name: string) => join(__dirname, '../../test/fixtures', name);
const runtimes: FunctionRuntime[] = [];
const make = (overrides: Partial<ConstructorParameters<typeof FunctionRuntime>[0]> = {}) => {
  const runtime = new FunctionRuntime({
    name: 'echo',
    file: fixture('echo-function.js'),
    env: { GREETING: 'hello' },
    timeoutSeconds: 2,
    memoryMb: 128,
    region: 'us-east-1',
    accountId: '000000000000',
    // Lambda's own pace: a new environment at once when all are busy (the delay is tested alone).
    scaleOutAfterMs: 0,
    ...overrides,
  });
  runtimes.push(runtime);
  return runtime;
};
const THROTTLED = { ok: false, errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.', invokeError: true };

// Worker threads start in well under a second, but a loaded machine deserves slack.
jest.setTimeout(20_000);
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
});

describe('FunctionRuntime', () => {
  it('runs the handler with its own environment and a Lambda context, warm after the first call', async () => {
    const a = make({ env: { GREETING: 'a' } });
    const b = make({ name: 'other', env: { GREETING: 'b' } });
    const first = await a.invoke({});
    const second = await a.invoke({});
    expect(first).toMatchObject({ ok: true, payload: { greeting: 'a', invocations: 1, name: 'echo' } });
    expect(second).toMatchObject({ ok: true, payload: { invocations: 2 } });
    expect(await b.invoke({})).toMatchObject({ ok: true, payload: { greeting: 'b' } });
    expect(process.env.GREETING).toBeUndefined();
    expect(a.coldStarts).toBe(1);
    expect(a.arn).toBe('arn:aws:lambda:us-east-1:000000000000:function:echo');
  });

  it('hands the event and the result over as JSON, as Lambda does (dates become strings, undefined fields go)', async () => {
    const when = new Date('2026-01-02T03:04:05.000Z');
    const result = await make().invoke({ echo: { when, gone: undefined, n: 1 } });
    expect(result).toMatchObject({ ok: true, payload: { echo: { when: '2026-01-02T03:04:05.000Z', n: 1 } } });
    expect((result as { payload: { echo: object } }).payload.echo).not.toHaveProperty('gone');
  });

  it('a stopped function refuses invocations as the Lambda service does (ServiceException, an invoke-level error)', async () => {
    const runtime = make();
    await runtime.close();
    expect(await runtime.invoke({})).toEqual({ ok: false, errorType: 'ServiceException', errorMessage: 'echo is stopped', invokeError: true });
  });

  it('reports a thrown error with its type and message', async () => {
    expect(await make().invoke({ fail: 'Unauthorized' })).toMatchObject({ ok: false, errorType: 'Error', errorMessage: 'Unauthorized' });
    expect(await make().invoke({ fail: 'x', errorName: 'PaymentError' })).toMatchObject({ ok: false, errorType: 'PaymentError' });
  });

  it('times out, kills the environment and starts a new one', async () => {
    const runtime = make({ timeoutSeconds: 2 });
    expect(await runtime.invoke({ sleepMs: 6000 })).toMatchObject({ ok: false, errorType: 'Sandbox.Timedout' });
    expect(await runtime.invoke({})).toMatchObject({ ok: true, payload: { invocations: 1 } });
    expect(runtime.coldStarts).toBe(2);
  }, 20_000);

  it('keeps each environment’s young generation within ENVIRONMENT_YOUNG_GENERATION_MB under churn (V8’s default grows it to 32 MB)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'young-'));
    try {
      const file = join(dir, 'churn.js');
      writeFileSync(
        file,
        "const v8 = require('node:v8'); exports.handler = async () => { let keep = []; for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 50000) keep = []; } return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size; };",
      );
      const newSpace = await make({ file, timeoutSeconds: 20 }).invoke({});
      expect(newSpace).toMatchObject({ ok: true });
      const bytes = (newSpace as { payload: number }).payload;
      expect(bytes).toBeGreaterThan(0);
      expect(bytes).toBeLessThanOrEqual(ENVIRONMENT_YOUNG_GENERATION_MB * 1024 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports an init failure on each invocation', async () => {
    const runtime = make({ file: fixture('broken-function.js') });
    expect(await runtime.invoke({})).toMatchObject({ ok: false, errorType: 'ConfigError', errorMessage: expect.stringContaining('ORDERS_TABLE_NAME') });
    expect(await runtime.invoke({})).toMatchObject({ ok: false, errorType: 'ConfigError' });
  });
});

describe('FunctionRuntime concurrency (Lambda: reserved concurrency, throttling)', () => {
  it('runs concurrent invocations in separate environments; one beyond the limit is refused at once with TooManyRequestsException (429)', async () => {
    const runtime = make({ concurrency: 2 });
    const running = [runtime.invoke({ sleepMs: 500 }), runtime.invoke({ sleepMs: 500 })];
    const refusedAt = Date.now();
    // Refused at once: it does not wait for a running invocation to end.
    expect(await runtime.invoke({})).toEqual(THROTTLED);
    expect(Date.now() - refusedAt).toBeLessThan(200);
    expect((await Promise.all(running)).every((r) => r.ok)).toBe(true);
    expect(runtime.coldStarts).toBe(2);
    expect(runtime.throttles).toBe(1);
    // Once one ends, the unit is free again, and a warm environment serves it.
    expect(await runtime.invoke({})).toMatchObject({ ok: true });
    expect(runtime.coldStarts).toBe(2);
  });

  it('takes the warmest idle environment first, so that few environments serve a light load', async () => {
    const runtime = make({ concurrency: 5 });
    await Promise.all([1, 2, 3].map(() => runtime.invoke({ sleepMs: 100 })));
    for (let i = 0; i < 5; i++) await runtime.invoke({});
    expect(runtime.coldStarts).toBe(3);
    expect(runtime.size).toBe(3);
  });

  it('API Gateway’s calls wait for a unit instead (invokeWaiting), first come first served; a direct Invoke is still refused', async () => {
    const runtime = make({ concurrency: 1 });
    const first = runtime.invoke({ sleepMs: 200 });
    const ended: string[] = [];
    const waiting = ['b', 'c'].map((echo) => runtime.invokeWaiting({ echo }).then((r) => (ended.push(echo), r)));
    expect(await runtime.invoke({})).toEqual(THROTTLED);
    const results = await Promise.all([first, ...waiting]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(ended).toEqual(['b', 'c']);
    expect(runtime.throttles).toBe(1);
    expect(runtime.coldStarts).toBe(1);
  });

  it('with a scale-out delay, an invocation that finds every environment busy takes the first to finish within it, else starts one', async () => {
    const runtime = make({ concurrency: 3, scaleOutAfterMs: 400 });
    await runtime.invoke({});
    expect(runtime.coldStarts).toBe(1);
    // The busy environment is free after 100 ms: the second invocation waits for it.
    const [a, b] = await Promise.all([runtime.invoke({ sleepMs: 100 }), runtime.invoke({ echo: 'b' })]);
    expect(a.ok && b.ok).toBe(true);
    expect(runtime.coldStarts).toBe(1);
    // Busy for 2 s: after 400 ms the waiting invocation starts a new environment, and ends first.
    const order: string[] = [];
    await Promise.all([
      runtime.invoke({ sleepMs: 2000 }).then(() => order.push('long')),
      runtime.invoke({ echo: 'short' }).then(() => order.push('short')),
    ]);
    expect(order).toEqual(['short', 'long']);
    expect(runtime.coldStarts).toBe(2);
  });

  it('never more environments than maxEnvironments: invocations beyond them wait for one (and count against the concurrency meanwhile)', async () => {
    const runtime = make({ concurrency: 3, maxEnvironments: 1 });
    expect(runtime.maxEnvironments).toBe(1);
    const order: string[] = [];
    const results = await Promise.all([
      runtime.invoke({ sleepMs: 300 }).then((r) => (order.push('first'), r)),
      runtime.invoke({ echo: 'second' }).then((r) => (order.push('second'), r)),
      runtime.invoke({ echo: 'third' }).then((r) => (order.push('third'), r)),
      // The fourth is beyond the concurrency of 3, two of them waiting: throttled, as on Lambda.
      Promise.resolve().then(() => runtime.invoke({})),
    ]);
    expect(results.slice(0, 3).every((r) => r.ok)).toBe(true);
    expect(results[3]).toEqual(THROTTLED);
    expect(order).toEqual(['first', 'second', 'third']);
    expect(runtime.coldStarts).toBe(1);
    expect(make({ concurrency: 2, maxEnvironments: 5 }).maxEnvironments).toBe(2);
  });

  it('at maxEnvironments, an environment that goes (here: Lambda’s timeout) is replaced for the invocation waiting for one', async () => {
    const runtime = make({ concurrency: 3, maxEnvironments: 1, timeoutSeconds: 1 });
    const started = Date.now();
    const [timedOut, waited] = await Promise.all([runtime.invoke({ sleepMs: 5000 }), runtime.invoke({ echo: 'waited' }).then((r) => ({ r, ms: Date.now() - started }))]);
    expect(timedOut).toMatchObject({ ok: false, errorType: 'Sandbox.Timedout' });
    expect(waited.r).toMatchObject({ ok: true, payload: { echo: 'waited' } });
    expect(waited.ms).toBeLessThan(4000);
    expect(runtime.coldStarts).toBe(2);
    expect(runtime.size).toBe(1);
  });

  it('while the machine is saturated (mayScaleOut says no) an invocation waits for a busy environment, up to scaleOutHoldMaxMs, then starts one', async () => {
    let saturated = true;
    const HOLD = 1500;
    const runtime = make({ concurrency: 3, scaleOutAfterMs: 100, mayScaleOut: () => !saturated, scaleOutHoldMaxMs: HOLD, timeoutSeconds: 10 });
    await runtime.invoke({});
    // Busy for 1 s, the machine saturated: the second invocation waits it out on the one environment.
    const order: string[] = [];
    await Promise.all([
      runtime.invoke({ sleepMs: 1000 }).then(() => order.push('long')),
      runtime.invoke({ echo: 'waited' }).then(() => order.push('waited')),
    ]);
    expect(order).toEqual(['long', 'waited']);
    expect(runtime.coldStarts).toBe(1);
    // Busy for longer than the hold: the waiting invocation starts an environment once the hold is over.
    const started = Date.now();
    const held = await Promise.all([
      runtime.invoke({ sleepMs: HOLD + 2500 }),
      runtime.invoke({ echo: 'held' }).then((result) => ({ result, ms: Date.now() - started })),
    ]);
    expect([held[0].ok, held[1].result.ok]).toEqual([true, true]);
    expect(held[1].ms).toBeGreaterThanOrEqual(HOLD);
    expect(held[1].ms).toBeLessThan(HOLD + 2500);
    expect(runtime.coldStarts).toBe(2);
    // Room on the machine again: both environments busy, a third starts after the usual 100 ms.
    saturated = false;
    expect(runtime.size).toBe(2);
    const third = await Promise.all([runtime.invoke({ sleepMs: 1500 }), runtime.invoke({ sleepMs: 1500 }), runtime.invoke({ echo: 'third' })]);
    expect(third.every((r) => r.ok)).toBe(true);
    expect(runtime.coldStarts).toBe(3);
  });

  it('a reserved unit counts against the limit until used or released; available() says when one frees', async () => {
    const runtime = make({ concurrency: 1 });
    const slot = runtime.reserve();
    expect(slot).toBeDefined();
    expect(runtime.reserve()).toBeUndefined();
    expect(await runtime.invoke({})).toEqual(THROTTLED);
    let freed = false;
    const available = runtime.available().then(() => (freed = true));
    const result = slot?.invoke({ sleepMs: 100 });
    await new Promise((r) => setTimeout(r, 20));
    expect(freed).toBe(false);
    expect(await result).toMatchObject({ ok: true });
    await available;
    expect(freed).toBe(true);
    const again = runtime.reserve();
    again?.release();
    again?.release();
    expect(runtime.inUse).toBe(0);
    await expect(Promise.resolve().then(() => again?.invoke({}))).rejects.toThrow('already used or released');
    expect(await runtime.invoke({})).toMatchObject({ ok: true });
  });
});

describe('FunctionRuntime output', () => {
  it('hands on every line the function writes, in order, before the invocation’s result, in a few batches', async () => {
    const batches: string[][] = [];
    const runtime = make({ output: (lines) => batches.push([...lines]) });
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i}`);
    await runtime.invoke({ log: lines });
    expect(batches.flat()).toEqual(lines);
    expect(batches.length).toBeLessThanOrEqual(2);
  });

  it('keeps what a function wrote before it crashed, then says how the runtime exited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runtime-crash-'));
    try {
      writeFileSync(
        join(dir, 'crash.js'),
        "exports.handler = async () => { console.log('before the crash'); setTimeout(() => { console.log('last words'); throw new Error('boom'); }, 10); await new Promise(() => {}); };",
      );
      const lines: string[] = [];
      const runtime = make({ file: join(dir, 'crash.js'), output: (batch) => lines.push(...batch) });
      expect(await runtime.invoke({})).toMatchObject({ ok: false, errorType: 'Runtime.ExitError' });
      await new Promise((r) => setTimeout(r, 50));
      expect(lines.slice(0, 2)).toEqual(['before the crash', 'last words']);
      expect(lines).toContain('Runtime.ExitError');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without an output, what the function writes is dropped inside its environment', async () => {
    expect(await make().invoke({ log: ['nobody reads this'] })).toMatchObject({ ok: true });
  });
});

describe('FunctionRuntime reload (a new bundle, as a deployment of $LATEST)', () => {
  it('new invocations run the new code; one in flight finishes on the old; reload resolves when the old environments are gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runtime-reload-'));
    const version = (v: string) => {
      const file = join(dir, `${v}.js`);
      writeFileSync(file, `exports.handler = async (e) => { if (e.sleepMs) await new Promise((r) => setTimeout(r, e.sleepMs)); return { version: '${v}' }; };`);
      return file;
    };
    try {
      const runtime = make({ file: version('v1'), concurrency: 3 });
      await runtime.invoke({});
      const inFlight = runtime.invoke({ sleepMs: 400 });
      await new Promise((r) => setTimeout(r, 50));
      let drained = false;
      const reloaded = runtime.reload(version('v2')).then(() => (drained = true));
      expect(await runtime.invoke({})).toEqual({ ok: true, payload: { version: 'v2' } });
      expect(drained).toBe(false);
      expect(await inFlight).toEqual({ ok: true, payload: { version: 'v1' } });
      await reloaded;
      expect(runtime.size).toBe(1);
      expect(await runtime.invoke({})).toEqual({ ok: true, payload: { version: 'v2' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
