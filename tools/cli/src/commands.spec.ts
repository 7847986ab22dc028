import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from './args';
import { HttpError, run, type CommandDeps } from './commands';
import type { IdentityPort } from './identity';
import type { StackTarget } from './target';

const target: StackTarget = { kind: 'local', apiUrl: 'http://api/dev', region: 'us-east-1', userPoolId: 'p', userPoolClientId: 'c', userPoolClientSecret: 's' };
const jwt = (claims: Record<string, unknown>) => ['h', Buffer.from(JSON.stringify(claims)).toString('base64url'), 's'].join('.');
const future = Math.floor(Date.now() / 1000) + 3600;

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'orders-cli-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(responses: Array<{ status: number; body?: unknown }> = []) {
  const out: string[] = [];
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const identity: jest.Mocked<IdentityPort> = {
    signUp: jest.fn(async (_email: string, _password: string) => ({ confirmed: false })),
    confirm: jest.fn(async (_email: string, _code?: string) => undefined),
    login: jest.fn(async (_email: string, _password: string) => ({
      idToken: jwt({ sub: 'u1', 'cognito:username': 'u1', exp: future }),
      accessToken: 'a',
      refreshToken: 'r' as string | undefined,
    })),
    refresh: jest.fn(async (_username: string, _token: string) => ({ idToken: jwt({ sub: 'u1', exp: future }), accessToken: 'a2' })),
  };
  const fetch = jest.fn(async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    const next = responses.shift() ?? { status: 200, body: {} };
    return new Response(next.body === undefined ? null : JSON.stringify(next.body), { status: next.status });
  });
  const deps: CommandDeps = {
    target: () => target,
    identity: () => identity,
    fetch: fetch as unknown as typeof globalThis.fetch,
    sessionFile: join(dir, 'session.json'),
    out: (t) => out.push(t),
    note: () => undefined,
    sleep: async () => undefined,
  };
  return { deps, out, requests, identity };
}

const cmd = (line: string) => parseArgs(line.split(' '));

describe('orders commands', () => {
  it('signup, confirm and login go to the user pool; login keeps the tokens', async () => {
    const { deps, identity } = setup();
    await run(cmd('signup --email a@b.c --password passw0rd!'), deps);
    await run(cmd('confirm --email a@b.c --code 123456'), deps);
    await run(cmd('login --email a@b.c --password passw0rd!'), deps);
    expect(identity.signUp).toHaveBeenCalledWith('a@b.c', 'passw0rd!');
    expect(identity.confirm).toHaveBeenCalledWith('a@b.c', '123456');
    expect(identity.login).toHaveBeenCalledWith('a@b.c', 'passw0rd!');
  });

  it('token prints the ID token, signing in first when given the password', async () => {
    const { deps, out } = setup();
    await run(cmd('token --email a@b.c --password passw0rd!'), deps);
    await run(cmd('token'), deps);
    expect(out[0].split('.')).toHaveLength(3);
    expect(out[1]).toBe(out[0]);
  });

  it('refreshes an expired token with the refresh token', async () => {
    const { deps, identity } = setup();
    identity.login.mockResolvedValueOnce({ idToken: jwt({ sub: 'u1', 'cognito:username': 'u1', exp: 1 }), accessToken: 'a', refreshToken: 'r' });
    await run(cmd('login --email a@b.c --password p'), deps);
    await run(cmd('token'), deps);
    expect(identity.refresh).toHaveBeenCalledWith('u1', 'r');
  });

  it('create, list, get, update and delete call the API with the token', async () => {
    const { deps, requests, out } = setup([
      { status: 202, body: { order_id: 'o1' } },
      { status: 200, body: { items: [] } },
      { status: 200, body: { id: 'o1' } },
      { status: 200, body: { id: 'o1', quantity: 3 } },
      { status: 204 },
    ]);
    await run(cmd('token --email a@b.c --password p'), deps);
    await run(cmd('create --restaurant r1 --item pizza --quantity 2'), deps);
    await run(cmd('list --limit 5'), deps);
    await run(cmd('get o1'), deps);
    await run(cmd('update o1 --quantity 3'), deps);
    await run(cmd('delete o1'), deps);
    expect(requests.map((r) => `${r.init.method} ${r.url}`)).toEqual([
      'POST http://api/dev/orders',
      'GET http://api/dev/orders?limit=5',
      'GET http://api/dev/orders/o1',
      'PUT http://api/dev/orders/o1',
      'DELETE http://api/dev/orders/o1',
    ]);
    expect(JSON.parse(String(requests[0].init.body))).toEqual({ restaurant_id: 'r1', item: 'pizza', quantity: 2 });
    expect((requests[0].init.headers as Record<string, string>).Authorization).toBe(out[0]);
    expect(JSON.parse(out[1])).toEqual({ order_id: 'o1' });
  });

  it('create --wait polls until the order is final', async () => {
    const { deps, out } = setup([
      { status: 202, body: { order_id: 'o1' } },
      { status: 404, body: { message: 'not found' } },
      { status: 200, body: { id: 'o1', order_status: 'PENDING' } },
      { status: 200, body: { id: 'o1', order_status: 'SUCCESS' } },
    ]);
    await run(cmd('create --restaurant r --item i --quantity 1 --wait --token t'), deps);
    expect(JSON.parse(out[0])).toEqual({ id: 'o1', order_status: 'SUCCESS' });
  });

  it('an API error is an HttpError with the status and body', async () => {
    const { deps } = setup([{ status: 404, body: { message: 'Order not found' } }]);
    await expect(run(cmd('get o1 --token t'), deps)).rejects.toEqual(new HttpError(404, '{"message":"Order not found"}'));
  });

  it('explains what is missing', async () => {
    const { deps } = setup();
    await expect(run(cmd('list'), deps)).rejects.toThrow('not signed in');
    await expect(run(cmd('update o1 --token t'), deps)).rejects.toThrow('at least one of');
    await expect(run(cmd('get --token t'), deps)).rejects.toThrow('needs an order id');
    await expect(run(cmd('frobnicate'), deps)).rejects.toThrow('unknown command');
  });

  it('prints the usage without a command', async () => {
    const { deps, out } = setup();
    await run(parseArgs([]), deps);
    expect(out[0]).toContain('signup  --email');
  });
});
