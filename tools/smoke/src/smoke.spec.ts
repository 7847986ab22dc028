import { runSmoke, SmokeFailure, type CliResult, type SmokeDeps } from './smoke';

/**
 * The smoke test's own checks, against a stack faked at its edges (the CLI's JSON answers and
 * the API's HTTP answers): a stack that behaves passes every step; one that breaks a promise
 * fails at the step that checks it, saying what it saw.
 */

interface FakeStack {
  /** What the same Idempotency-Key gives the second time. */
  readonly sameKeySameOrder: boolean;
  readonly finalStatus: string;
}

function fake(stack: FakeStack) {
  const calls: string[][] = [];
  const orders = new Map<string, { id: string; order_status: string; quantity: number }>();
  let n = 0;
  const ok = (value: unknown, code = 0): CliResult => ({ code, stdout: JSON.stringify(value), stderr: '' });
  const cli = async (args: readonly string[]): Promise<CliResult> => {
    calls.push([...args]);
    switch (args[0]) {
      case 'signup':
      case 'confirm':
        return ok({ email: args[2], confirmed: true });
      case 'token':
        return ok({ id_token: 'a.b.c' });
      case 'create': {
        const key = args.indexOf('--idempotency-key') >= 0 ? args[args.indexOf('--idempotency-key') + 1] : undefined;
        const existing = key && stack.sameKeySameOrder ? [...orders.values()].find((o) => o.id === `order-${key}`) : undefined;
        if (existing) return ok({ order_id: existing.id });
        const id = key && !orders.has(`order-${key}`) ? `order-${key}` : `order-${++n}`;
        orders.set(id, { id, order_status: 'PENDING', quantity: Number(args[args.indexOf('--quantity') + 1]) });
        return ok({ order_id: id });
      }
      case 'get': {
        const order = orders.get(args[1]);
        if (order && args.includes('--wait')) order.order_status = stack.finalStatus;
        return order ? ok(order, order.order_status === 'FAILURE' ? 3 : 0) : { code: 1, stdout: '', stderr: 'not found' };
      }
      case 'list':
        return ok({ items: [...orders.values()] });
      case 'delete':
        orders.delete(args[1]);
        return ok({ order_id: args[1], deleted: true });
    }
    return { code: 2, stdout: '', stderr: `unknown ${args[0]}` };
  };
  const fetchFake = (async (url: string, init?: RequestInit) => {
    const path = url.replace('http://api', '');
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
    if (!init?.headers) return json(401, { message: 'Unauthorized' });
    if (init.method === 'POST') return json(400, { message: 'Invalid request body', errors: [{ field: 'body', problem: 'does not match' }] });
    const order = orders.get(decodeURIComponent(path.replace('/orders/', '')));
    if (!order) return json(404, { message: 'not found' });
    if (init.method === 'PUT') {
      order.quantity = JSON.parse(String(init.body)).quantity;
      return json(200, order);
    }
    return json(200, order);
  }) as typeof fetch;
  const lines: string[] = [];
  const deps: SmokeDeps = { orders: cli, apiUrl: 'http://api', fetch: fetchFake, uuid: () => 'u1', log: (l) => lines.push(l), now: () => 0 };
  return { deps, calls, lines };
}

describe('runSmoke', () => {
  it('passes every step against a stack that keeps its promises, FAILURE counting as a final status', async () => {
    const { deps, calls, lines } = fake({ sameKeySameOrder: true, finalStatus: 'FAILURE' });
    await expect(runSmoke(deps, { timeoutSeconds: 5 })).resolves.toBe(9);
    expect(lines[0]).toMatch(/^ok 1 - no token/);
    expect(calls.map((c) => c[0])).toEqual(['signup', 'confirm', 'token', 'create', 'create', 'get', 'list', 'create', 'delete', 'delete']);
    expect(calls[3]).toEqual(expect.arrayContaining(['--idempotency-key', 'smoke-u1']));
  });

  it('with a given user, signs nobody up', async () => {
    const { deps, calls } = fake({ sameKeySameOrder: true, finalStatus: 'SUCCESS' });
    await expect(runSmoke(deps, { email: 'ann@example.com', password: 'pw', timeoutSeconds: 5 })).resolves.toBe(8);
    expect(calls[0]).toEqual(['token', '--email', 'ann@example.com', '--password', 'pw']);
  });

  it('fails at the step that checks a broken promise: the same Idempotency-Key placing a second order', async () => {
    const { deps } = fake({ sameKeySameOrder: false, finalStatus: 'SUCCESS' });
    const failure = await runSmoke(deps, { timeoutSeconds: 5 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SmokeFailure);
    expect((failure as Error).message).toMatch(/^place again: the same key placed order-1, not order-smoke-u1/);
  });

  it('fails when an order never reaches a final status', async () => {
    const { deps } = fake({ sameKeySameOrder: true, finalStatus: 'PENDING' });
    await expect(runSmoke(deps, { timeoutSeconds: 5 })).rejects.toThrow('final status: ended PENDING');
  });
});
