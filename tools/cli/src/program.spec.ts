import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { EXIT } from './errors';
import type { IdentityPort } from './identity';
import { runCli, type CliDeps } from './program';

const jwt = (claims: Record<string, unknown>) => ['h', Buffer.from(JSON.stringify(claims)).toString('base64url'), 's'].join('.');
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const ID = '6f1c2a8e-0000-4000-8000-000000000001';
const order = (status: string, extra: Record<string, unknown> = {}) => ({
  id: ID,
  user_id: 'u1',
  restaurant_id: 'r-1',
  item: 'pizza',
  quantity: 2,
  order_status: status,
  created_at: '2026-01-01T12:00:00.000Z',
  updated_at: '2026-01-01T12:00:00.000Z',
  ...extra,
});

let dir: string;
let workspace: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'orders-cli-'));
  workspace = join(dir, 'serverless-orders');
  mkdirSync(join(workspace, '.local'), { recursive: true });
  mkdirSync(join(workspace, 'apps', 'get-orders', 'src'), { recursive: true });
  writeFileSync(join(workspace, 'nx.json'), '{}');
  writeFileSync(
    join(workspace, '.local', 'outputs.json'),
    JSON.stringify({
      apiUrl: 'http://127.0.0.1:3000/dev',
      region: 'us-east-1',
      userPoolId: 'us-east-1_p',
      userPoolClientId: 'c',
      userPoolClientSecret: 's',
      cognitoEndpoint: 'http://127.0.0.1:9229',
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:orders',
      stepFunctionsEndpoint: 'http://127.0.0.1:8083',
    }),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Answer = { status: number; body?: unknown };

/** A run of the CLI against fakes: the API answers in order, the pool signs in as u1. */
function cli(answers: Answer[] = [], options: { cwd?: string; history?: HistoryEvent[]; piped?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const requests: Array<{ method: string; url: string; headers: Record<string, string>; body?: unknown }> = [];
  let clock = NOW;
  const identity: jest.Mocked<IdentityPort> = {
    signUp: jest.fn(async (_email: string, _password: string) => ({ confirmed: false })),
    confirm: jest.fn(async (_email: string, _code?: string) => undefined),
    login: jest.fn(async (_email: string, _password: string) => ({
      idToken: jwt({ sub: 'u1', 'cognito:username': 'u1', exp: NOW / 1000 + 3600 }),
      accessToken: 'a',
      refreshToken: 'r' as string | undefined,
    })),
    refresh: jest.fn(async (_username: string, _token: string) => ({ idToken: jwt({ sub: 'u1', exp: NOW / 1000 + 7200 }), accessToken: 'a2' })),
    close: jest.fn(),
  };
  const historyArns: string[] = [];
  const deps: CliDeps = {
    cwd: options.cwd ?? join(workspace, 'apps', 'get-orders', 'src'),
    stdoutIsTerminal: options.piped !== true,
    version: '1.2.3',
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    fetch: (async (url: string, init: RequestInit) => {
      requests.push({ method: String(init.method), url, headers: init.headers as Record<string, string>, body: init.body ? JSON.parse(String(init.body)) : undefined });
      const next = answers.shift() ?? { status: 200, body: {} };
      return new Response(next.body === undefined ? null : JSON.stringify(next.body), { status: next.status });
    }) as typeof fetch,
    identity: () => identity,
    workflow: () => ({
      history: async (arn) => {
        historyArns.push(arn);
        return options.history ?? [];
      },
      close: () => undefined,
    }),
    now: () => clock,
    sleep: async (ms) => void (clock += ms),
    random: () => 0.5,
    uuid: () => 'generated-key',
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100, requestTimeoutMs: 1000 },
    pollMs: 500,
  };
  const run = (...argv: string[]) => runCli(argv, deps);
  return { run, out: () => out.join(''), err: () => err.join(''), requests, identity, historyArns };
}

describe('orders, the command line', () => {
  it('finds the workspace’s .local/outputs.json from a folder deep inside it, and keeps the session beside it', async () => {
    const { run, identity, requests } = cli([{ status: 200, body: { items: [] } }]);
    expect(await run('login', '--email', 'a@b.c', '--password', 'passw0rd!')).toBe(EXIT.ok);
    expect(identity.login).toHaveBeenCalledWith('a@b.c', 'passw0rd!');
    const sessions = JSON.parse(readFileSync(join(workspace, '.local', 'cli-session.json'), 'utf8'));
    expect(Object.keys(sessions)).toEqual(['http://127.0.0.1:3000/dev']);
    expect(await run('list')).toBe(EXIT.ok);
    expect(requests[0]).toMatchObject({ method: 'GET', url: 'http://127.0.0.1:3000/dev/orders' });
    expect(requests[0].headers.Authorization).toBe(sessions['http://127.0.0.1:3000/dev'].idToken);
  });

  it('lets --api-url and --outputs name another stack', async () => {
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ apiUrl: 'http://127.0.0.1:4000/dev' }));
    const { run, requests } = cli([{ status: 200, body: { items: [] } }, { status: 200, body: { items: [] } }], { cwd: dir });
    await run('list', '--outputs', 'other.json', '--token', 't');
    await run('list', '--api-url', 'http://127.0.0.1:5000/prod/', '--token', 't');
    expect(requests.map((r) => r.url)).toEqual(['http://127.0.0.1:4000/dev/orders', 'http://127.0.0.1:5000/prod/orders']);
  });

  it('outside any workspace, says how to name a stack', async () => {
    const { run, err } = cli([], { cwd: dir });
    expect(await run('list')).toBe(EXIT.error);
    expect(err()).toContain('not inside the Serverless Orders workspace');
    expect(err()).toContain('--outputs <file> or --api-url <url>');
  });

  describe('usage errors: exit 2, with the nearest command or option', () => {
    it.each([
      [['create', '--restaurant', 'r', '--item', 'i', '--quantity', '1', '--colour', 'red'], "unknown option '--colour'"],
      [['update', ID, '--quanity', '3'], "unknown option '--quanity'\n(Did you mean --quantity?)"],
      [['crate'], "unknown command 'crate'\n(Did you mean create?)"],
      [['get'], "missing required argument 'order-id'"],
      [['get', ID, 'extra'], 'too many arguments'],
      [['create', '--item', 'i', '--quantity', '1'], "required option '--restaurant <id>' not specified"],
      [['create', '--restaurant', 'r', '--item', 'i', '--quantity', 'two'], "argument 'two' is invalid. must be a whole number"],
      [['create', '--restaurant', 'r', '--item', 'i', '--quantity', '1', '--idempotency-key', 'no spaces'], "argument 'no spaces' is invalid"],
      [['list', '--stack', 'dev', '--outputs', 'x.json'], "option '--outputs <file>' cannot be used with option '--stack <name>'"],
      [['update', ID, '--token', 't'], 'needs at least one of --restaurant, --item, --quantity'],
      [['token', '--email', 'a@b.c'], 'both --email and --password, or neither'],
    ])('%j', async (argv, message) => {
      const { run, err, requests } = cli();
      expect(await run(...argv)).toBe(EXIT.usage);
      expect(err()).toContain(message);
      expect(err()).toMatch(/^orders: /);
      expect(requests).toHaveLength(0);
    });

    it('as JSON with --json', async () => {
      const { run, err } = cli();
      expect(await run('crate', '--json')).toBe(EXIT.usage);
      expect(JSON.parse(err())).toEqual({ error: { code: 'usage', message: "unknown command 'crate'\n(Did you mean create?)" } });
    });
  });

  describe('help and version', () => {
    it('prints a command’s own help for <command> --help and help <command>, exit 0', async () => {
      for (const argv of [['create', '--help'], ['help', 'create']]) {
        const { run, out } = cli();
        expect(await run(...argv)).toBe(EXIT.ok);
        expect(out()).toContain('Usage: orders create [options]');
        expect(out()).toContain('--idempotency-key <key>');
        expect(out()).toContain('Global Options:');
        expect(out()).not.toContain('signup');
      }
    });

    it('prints the overview with the exit codes for --help and help', async () => {
      const { run, out } = cli();
      expect(await run('help')).toBe(EXIT.ok);
      expect(out()).toMatch(/Account:[\s\S]*signup[\s\S]*Orders \(as the signed-in user\):[\s\S]*create[\s\S]*Workflow:[\s\S]*history/);
      expect(out()).toContain('3  with --wait: the order ended FAILURE');
    });

    it('prints the version for --version, also after a command', async () => {
      for (const argv of [['--version'], ['create', '--version']]) {
        const { run, out } = cli();
        expect(await run(...argv)).toBe(EXIT.ok);
        expect(out()).toBe('1.2.3\n');
      }
    });
  });

  describe('orders', () => {
    it('create sends a fresh Idempotency-Key and, on a terminal, prints the order id alone', async () => {
      const { run, out, requests } = cli([{ status: 202, body: { order_id: ID } }]);
      expect(await run('create', '--restaurant', 'r-1', '--item', 'pizza', '--quantity', '2', '--token', 't')).toBe(EXIT.ok);
      expect(out()).toBe(`${ID}\n`);
      expect(requests[0]).toMatchObject({ method: 'POST', body: { restaurant_id: 'r-1', item: 'pizza', quantity: 2 } });
      expect(requests[0].headers['Idempotency-Key']).toBe('generated-key');
    });

    it('create --idempotency-key sends the user’s key, and repeats it on a 503', async () => {
      const { run, out, requests } = cli([{ status: 503 }, { status: 202, body: { order_id: ID } }]);
      await run('create', '--restaurant', 'r', '--item', 'i', '--quantity', '1', '--idempotency-key', 'my-key_1', '--token', 't', '--json');
      expect(requests.map((r) => r.headers['Idempotency-Key'])).toEqual(['my-key_1', 'my-key_1']);
      expect(JSON.parse(out())).toEqual({ order_id: ID, idempotency_key: 'my-key_1' });
    });

    it('create --wait prints each status as it changes, then the order; SUCCESS exits 0', async () => {
      const { run, out, err } = cli([
        { status: 202, body: { order_id: ID } },
        { status: 404, body: { message: 'Order not found' } },
        { status: 200, body: order('PENDING') },
        { status: 200, body: order('PENDING') },
        { status: 200, body: order('PAID') },
        { status: 200, body: order('SUCCESS') },
      ]);
      expect(await run('create', '--restaurant', 'r-1', '--item', 'pizza', '--quantity', '2', '--wait', '--token', 't')).toBe(EXIT.ok);
      const progress = err().trim().split('\n').slice(1);
      expect(progress).toEqual([`12:00:00  ${ID}  QUEUED`, `12:00:00  ${ID}  PENDING`, `12:00:01  ${ID}  PAID`, `12:00:02  ${ID}  SUCCESS`]);
      expect(out()).toContain('status      SUCCESS');
    });

    it('an order that ends FAILURE exits 3, with the reason', async () => {
      const { run, out } = cli([{ status: 200, body: order('FAILURE', { error_message: 'Error processing payment' }) }]);
      expect(await run('get', ID, '--wait', '--token', 't')).toBe(EXIT.orderFailed);
      expect(out()).toContain('status      FAILURE (Error processing payment)');
    });

    it('--wait gives up after --timeout with exit 4, saying how to keep waiting', async () => {
      const { run, err } = cli(Array.from({ length: 10 }, () => ({ status: 200, body: order('PENDING') })));
      expect(await run('get', ID, '--wait', '--timeout', '2', '--token', 't')).toBe(EXIT.timeout);
      expect(err()).toContain(`order ${ID} is still PENDING after 2 s: orders get ${ID} --wait to keep waiting`);
    });

    it('list, get, update and delete call the API; --json prints what it answered', async () => {
      const { run, requests, out } = cli([
        { status: 200, body: { items: [order('SUCCESS')], next_token: 'abc' } },
        { status: 200, body: order('PENDING') },
        { status: 200, body: order('PENDING', { quantity: 3 }) },
        { status: 204 },
      ]);
      await run('list', '--limit', '5', '--next-token', 'xyz', '--token', 't', '--json');
      expect(JSON.parse(out())).toEqual({ items: [order('SUCCESS')], next_token: 'abc' });
      await run('get', ID, '--token', 't');
      await run('update', ID, '--quantity', '3', '--item', 'calzone', '--token', 't');
      await run('delete', ID, '--token', 't');
      expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        'GET http://127.0.0.1:3000/dev/orders?limit=5&next_token=xyz',
        `GET http://127.0.0.1:3000/dev/orders/${ID}`,
        `PUT http://127.0.0.1:3000/dev/orders/${ID}`,
        `DELETE http://127.0.0.1:3000/dev/orders/${ID}`,
      ]);
      expect(requests[2].body).toEqual({ item: 'calzone', quantity: 3 });
    });

    it('prints what the API stored with its control characters escaped, in text and in JSON', async () => {
      const evil = order('PENDING', { item: '\u001b[31mred\u001b]0;title\u0007', restaurant_id: 'r\u009b2J' });
      const { run, out } = cli([{ status: 200, body: { items: [evil] } }, { status: 200, body: evil }]);
      await run('list', '--token', 't');
      await run('get', ID, '--token', 't', '--json');
      // eslint-disable-next-line no-control-regex -- the point: no raw control character reaches the terminal
      expect(out()).not.toMatch(/[\u001b\u0007\u009b]/);
      expect(out()).toContain('\\x1b[31mred\\x1b]0;title\\x07');
      expect(out()).toContain('"restaurant_id": "r\\u009b2J"');
    });

    it('an API error says the status, the message and each field at fault, escaped; exit 1', async () => {
      const { run, err } = cli([{ status: 400, body: { message: 'Invalid request body', errors: [{ field: 'quantity', problem: 'must be a whole number from 1 to 100\u001b[2J' }] } }]);
      expect(await run('update', ID, '--quantity', '300', '--token', 't')).toBe(EXIT.error);
      expect(err()).toBe('orders: the API answered 400: Invalid request body\n  quantity: must be a whole number from 1 to 100\\x1b[2J\n');
    });

    it('without a session or --token, says how to sign in', async () => {
      const { run, err } = cli();
      expect(await run('list')).toBe(EXIT.error);
      expect(err()).toContain('not signed in to http://127.0.0.1:3000/dev: orders login --email <e> --password <p>');
    });

    it('token prints only the token on stdout, also when captured (TOKEN=$(orders token))', async () => {
      const { run, out } = cli([], { piped: true });
      await run('token', '--email', 'a@b.c', '--password', 'p');
      expect(out().trim().split('.')).toHaveLength(3);
      expect(out().split('\n')).toHaveLength(2);
    });

    it('prints JSON when stdout is not a terminal, as with --json; --no-json keeps text', async () => {
      const piped = cli([{ status: 200, body: order('SUCCESS') }, { status: 200, body: order('SUCCESS') }], { piped: true });
      await piped.run('get', ID, '--token', 't');
      expect(JSON.parse(piped.out())).toEqual(order('SUCCESS'));
      await piped.run('get', ID, '--token', 't', '--no-json');
      expect(piped.out()).toContain('status      SUCCESS');
      const terminal = cli([{ status: 202, body: { order_id: ID } }]);
      await terminal.run('create', '--restaurant', 'r', '--item', 'i', '--quantity', '1', '--token', 't', '--json');
      expect(JSON.parse(terminal.out())).toEqual({ order_id: ID, idempotency_key: 'generated-key' });
    });

    it('refreshes an expired session with the refresh token', async () => {
      const { run, identity } = cli([{ status: 200, body: { items: [] } }]);
      identity.login.mockResolvedValueOnce({ idToken: jwt({ sub: 'u1', 'cognito:username': 'u1', exp: NOW / 1000 - 10 }), accessToken: 'a', refreshToken: 'r' });
      await run('login', '--email', 'a@b.c', '--password', 'p');
      expect(await run('list')).toBe(EXIT.ok);
      expect(identity.refresh).toHaveBeenCalledWith('u1', 'r');
    });
  });

  describe('history', () => {
    it('reads the execution named after the order, at the stack’s Step Functions endpoint, and prints its steps', async () => {
      const t = (s: number) => new Date(NOW + s * 1000);
      const events = [
        { id: 1, type: 'ExecutionStarted', timestamp: t(0) },
        { id: 2, type: 'TaskStateEntered', timestamp: t(0), stateEnteredEventDetails: { name: 'SaveOrder' } },
        { id: 3, type: 'LambdaFunctionScheduled', timestamp: t(0) },
        { id: 4, type: 'LambdaFunctionSucceeded', timestamp: t(1) },
        { id: 5, type: 'TaskStateExited', timestamp: t(1), stateExitedEventDetails: { name: 'SaveOrder' } },
        { id: 6, type: 'ExecutionSucceeded', timestamp: t(1) },
      ] as HistoryEvent[];
      const { run, out, historyArns } = cli([], { history: events });
      expect(await run('history', ID)).toBe(EXIT.ok);
      expect(historyArns).toEqual([`arn:aws:states:us-east-1:000000000000:execution:orders:${ID}`]);
      expect(out()).toMatch(new RegExp(`^order ${ID}: workflow SUCCEEDED\n`));
      expect(out()).toMatch(/12:00:00\.000\s+SaveOrder\s+Task\s+1\.00 s\s+ok/);
      const json = cli([], { history: events });
      await json.run('history', ID, '--json');
      expect(JSON.parse(json.out())).toMatchObject({ order_id: ID, status: 'SUCCEEDED', steps: [{ name: 'SaveOrder', status: 'succeeded', attempts: 1 }] });
    });

    it('needs the stack’s state machine', async () => {
      writeFileSync(join(dir, 'api-only.json'), JSON.stringify({ apiUrl: 'http://x/dev' }));
      const { run, err } = cli([], { cwd: dir });
      expect(await run('history', ID, '--outputs', 'api-only.json')).toBe(EXIT.error);
      expect(err()).toContain('names no state machine (stateMachineArn)');
    });
  });
});
