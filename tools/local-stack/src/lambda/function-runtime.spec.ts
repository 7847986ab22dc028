import { join } from 'node:path';
import { FunctionRuntime } from './function-runtime';

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
    ...overrides,
  });
  runtimes.push(runtime);
  return runtime;
};
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

  it('runs concurrent invocations in separate environments, up to the limit', async () => {
    const runtime = make({ maxConcurrency: 2 });
    const results = await Promise.all([1, 2, 3].map(() => runtime.invoke({ sleepMs: 100 })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(runtime.coldStarts).toBe(2);
  });

  it('reports an init failure on each invocation', async () => {
    const runtime = make({ file: fixture('broken-function.js') });
    expect(await runtime.invoke({})).toMatchObject({ ok: false, errorType: 'ConfigError', errorMessage: expect.stringContaining('ORDERS_TABLE_NAME') });
    expect(await runtime.invoke({})).toMatchObject({ ok: false, errorType: 'ConfigError' });
  });

  it('passes each line the function writes to the output', async () => {
    const lines: string[] = [];
    const runtime = make({ output: (l) => lines.push(l) });
    await runtime.invoke({ log: 'hello from inside' });
    await new Promise((r) => setTimeout(r, 50));
    expect(lines).toContain('hello from inside');
  });
});
