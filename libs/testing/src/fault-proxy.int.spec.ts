import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

// A plain HTTP service behind the proxy; the client is Node's fetch, as an SDK's HTTP handler would be.
let service: ReturnType<typeof createServer>;
let proxy: FaultProxy;

beforeAll(async () => {
  service = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{"ok":true}'));
  });
  await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
  proxy = await startFaultProxy({ target: `http://127.0.0.1:${(service.address() as AddressInfo).port}`, throttlingError: 'ProvisionedThroughputExceededException' });
});
afterAll(async () => {
  await proxy.close();
  await new Promise<void>((r) => service.close(() => r()));
});

const call = async (timeoutMs = 2000) => {
  try {
    const res = await fetch(proxy.endpoint, { method: 'POST', body: '{"x":1}', signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: await res.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? (error as Error).name };
  }
};

describe('the fault proxy', () => {
  it('passes requests through without a fault', async () => {
    expect(await call()).toEqual({ status: 200, type: null, body: '{"ok":true}' });
  });

  it('refuses connections (ECONNREFUSED) while refusing, and takes them again after', async () => {
    proxy.inject('refuse');
    expect(await call()).toEqual({ error: 'ECONNREFUSED' });
    proxy.heal();
    await new Promise((r) => setTimeout(r, 50));
    expect(await call()).toMatchObject({ status: 200 });
  });

  it('resets connections', async () => {
    proxy.inject('reset');
    expect(await call()).toMatchObject({ error: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/) });
    proxy.heal();
  });

  it('answers 500 and throttling as the service’s JSON protocol does', async () => {
    proxy.inject('5xx');
    expect(await call()).toMatchObject({ status: 500, type: 'InternalServerError' });
    proxy.inject('throttle');
    expect(await call()).toMatchObject({ status: 400, type: 'ProvisionedThroughputExceededException' });
    proxy.heal();
  });

  it('hangs requests until the client gives up, and heals by itself after the given time', async () => {
    proxy.inject('hang', 400);
    expect(await call(200)).toEqual({ error: 'TimeoutError' });
    await new Promise((r) => setTimeout(r, 300));
    expect(proxy.fault).toBeUndefined();
    expect(await call()).toMatchObject({ status: 200 });
    expect(proxy.faulted).toBeGreaterThanOrEqual(4);
  });
});
