import { execFileSync } from 'node:child_process';
import { run as runProgram, type RunResult } from '@serverless-orders/local-stack-testing';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

// The built CLI (dist/tools/cli/main.js) run through its bin, as a user runs it, against loopback
// servers that answer as the stack's API and Step Functions do. No AWS, no internet.
const ROOT = resolve(__dirname, '../../..');
const BIN = join(ROOT, 'tools/cli/bin/orders.js');
const ORDER_ID = '6f1c2a8e-0000-4000-8000-000000000001';

/** The CLI through its bin on `node`, in `cwd`, bounded. */
const run = (node: string, args: string[], cwd: string, timeoutMs = 30_000): Promise<RunResult> => runProgram(node, [BIN, ...args], { cwd, timeoutMs });

/** A loopback server; `handle` answers each request (its body read). */
async function serve(handle: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const close = (server: Server) => new Promise<void>((r) => server.close(() => r()));
const json = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
};

/** A Node 20 on the PATH besides the workspace's Node 22 (CI's setup-node and the Debian image have one), if any. */
function otherNode(): { path: string; major: number } | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'node');
    if (!dir || dir.includes('node_modules') || !existsSync(candidate)) continue;
    try {
      const major = Number(execFileSync(candidate, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim());
      if (major !== Number(process.versions.node.split('.')[0])) return { path: candidate, major };
    } catch {
      // not runnable: keep looking
    }
  }
  return undefined;
}

let dir: string;
let workspace: string;
let nested: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'orders-cli-int-'));
  // A workspace of its own (nx.json marks the root), so the test reads no developer's .local/.
  workspace = join(dir, 'workspace');
  nested = join(workspace, 'apps', 'get-orders', 'src');
  mkdirSync(nested, { recursive: true });
  mkdirSync(join(workspace, '.local'));
  writeFileSync(join(workspace, 'nx.json'), '{}');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function outputs(values: Record<string, string>) {
  writeFileSync(join(workspace, '.local', 'outputs.json'), JSON.stringify({ region: 'us-east-1', ...values }));
}

describe('the orders bin', () => {
  it('finds the outputs of the workspace around the current folder, and prints what the API stored escaped', async () => {
    const stored = { id: ORDER_ID, restaurant_id: 'r-1', item: '\u001b[2J\u001b[31mred\u009b0m', quantity: 1, order_status: 'SUCCESS' };
    const api = await serve((_req, _body, res) => json(res, 200, { items: [stored] }));
    try {
      outputs({ apiUrl: `${api.url}/dev` });
      const list = await run(process.execPath, ['list', '--token', 't', '--no-json'], nested);
      expect(list).toMatchObject({ code: 0, stderr: '' });
      expect(list.stdout).toContain('\\x1b[2J\\x1b[31mred\\x9b0m');
      // eslint-disable-next-line no-control-regex -- the point: no raw control character reaches the terminal
      expect(list.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    } finally {
      await close(api.server);
    }
  });

  it('retries POST /orders after a dropped connection and a 503 with the same Idempotency-Key, and places one order', async () => {
    const keys: string[] = [];
    const api = await serve((req, _body, res) => {
      keys.push(String(req.headers['idempotency-key']));
      if (keys.length === 1) return req.socket.destroy(); // a network error: the connection drops before an answer
      if (keys.length === 2) return json(res, 503, { message: 'Service Unavailable' });
      return json(res, 202, { order_id: ORDER_ID });
    });
    try {
      outputs({ apiUrl: `${api.url}/dev` });
      const placed = await run(process.execPath, ['create', '--restaurant', 'r-1', '--item', 'pizza', '--quantity', '2', '--token', 't'], nested);
      expect(placed.code).toBe(0);
      // Captured, not a terminal: JSON, with the key that made it safe to repeat.
      expect(JSON.parse(placed.stdout)).toEqual({ order_id: ORDER_ID, idempotency_key: keys[0] });
      expect(keys).toHaveLength(3);
      expect(new Set(keys).size).toBe(1);
      expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(placed.stderr).toMatch(/trying again in .* with the same Idempotency-Key \(2 of 4\)/);
    } finally {
      await close(api.server);
    }
  });

  it('exits 3 when the order ends FAILURE, 1 on an API error, 2 on a wrong command line', async () => {
    const api = await serve((req, _body, res) =>
      req.url?.endsWith(ORDER_ID)
        ? json(res, 200, { id: ORDER_ID, order_status: 'FAILURE', error_message: 'Error processing payment' })
        : json(res, 404, { message: 'Order not found' }),
    );
    try {
      outputs({ apiUrl: `${api.url}/dev` });
      const failed = await run(process.execPath, ['get', ORDER_ID, '--wait', '--token', 't'], nested);
      expect(failed.code).toBe(3);
      expect(JSON.parse(failed.stdout)).toMatchObject({ order_status: 'FAILURE', error_message: 'Error processing payment' });
      const missing = await run(process.execPath, ['get', 'nope', '--token', 't'], nested);
      expect(missing).toMatchObject({ code: 1, stderr: 'orders: the API answered 404: Order not found\n' });
      const typo = await run(process.execPath, ['get', ORDER_ID, '--wiat'], nested);
      expect(typo.code).toBe(2);
      expect(typo.stderr).toContain("unknown option '--wiat'\n(Did you mean --wait?)");
    } finally {
      await close(api.server);
    }
  });

  it('reads history through the Step Functions API (GetExecutionHistory, every page) at the outputs’ endpoint', async () => {
    const requests: Array<{ target: string; body: Record<string, unknown> }> = [];
    const t0 = Date.UTC(2026, 0, 1, 12) / 1000;
    // Pages as Step Functions sends them (AWS JSON 1.0, timestamps in epoch seconds), linked by nextToken.
    const pages: Record<string, unknown> = {
      first: {
        events: [
          { id: 1, timestamp: t0, type: 'ExecutionStarted', executionStartedEventDetails: { input: '{}' } },
          { id: 2, previousEventId: 1, timestamp: t0, type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'SaveOrder', input: '{}' } },
        ],
        nextToken: 'page-2',
      },
      'page-2': {
        events: [
          { id: 3, previousEventId: 2, timestamp: t0 + 0.5, type: 'LambdaFunctionScheduled', lambdaFunctionScheduledEventDetails: { resource: 'arn:aws:lambda:us-east-1:000000000000:function:f' } },
          { id: 4, previousEventId: 3, timestamp: t0 + 0.6, type: 'LambdaFunctionSucceeded', lambdaFunctionSucceededEventDetails: { output: '{}' } },
          { id: 5, previousEventId: 4, timestamp: t0 + 0.7, type: 'TaskStateExited', stateExitedEventDetails: { name: 'SaveOrder', output: '{}' } },
          { id: 6, previousEventId: 5, timestamp: t0 + 0.7, type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: '{}' } },
        ],
      },
    };
    const sfn = await serve((req, body, res) => {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      requests.push({ target: String(req.headers['x-amz-target']), body: parsed });
      json(res, 200, pages[String(parsed.nextToken ?? 'first')], 'application/x-amz-json-1.0');
    });
    try {
      outputs({ apiUrl: 'http://127.0.0.1:1/dev', stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:orders', stepFunctionsEndpoint: sfn.url });
      const history = await run(process.execPath, ['history', ORDER_ID, '--no-json'], nested);
      expect(history.stderr).toBe('');
      expect(history.code).toBe(0);
      expect(requests.map((r) => r.target)).toEqual(['AWSStepFunctions.GetExecutionHistory', 'AWSStepFunctions.GetExecutionHistory']);
      expect(requests[0].body).toMatchObject({ executionArn: `arn:aws:states:us-east-1:000000000000:execution:orders:${ORDER_ID}` });
      expect(requests[1].body).toMatchObject({ nextToken: 'page-2' });
      expect(history.stdout).toMatch(/^order 6f1c2a8e-0000-4000-8000-000000000001: workflow SUCCEEDED\n/);
      expect(history.stdout).toMatch(/12:00:00\.000\s+SaveOrder\s+Task\s+0\.70 s\s+ok\n$/);
    } finally {
      await close(sfn.server);
    }
  });

  it('tells a folder outside any workspace how to name a stack', async () => {
    const outside = join(dir, 'elsewhere');
    mkdirSync(outside);
    const result = await run(process.execPath, ['list', '--outputs', 'missing.json'], outside);
    expect(result).toMatchObject({ code: 1, stderr: `orders: ${join(outside, 'missing.json')} not found: start the local stack (npm start) in the workspace, or name a stack with --outputs <file>, --api-url <url> or --stack <pulumi stack>\n` });
  });

  it('runs on the machine’s other Node major too (the bundle targets node20)', async () => {
    const other = otherNode();
    if (!other) {
      console.warn('no Node besides the workspace’s on the PATH: the bin ran on Node 22 only');
      return;
    }
    const api = await serve((_req, _body, res) => json(res, 200, { items: [] }));
    try {
      outputs({ apiUrl: `${api.url}/dev` });
      const result = await run(other.path, ['list', '--token', 't', '--json'], nested);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(result.stdout)).toEqual({ items: [] });
    } finally {
      await close(api.server);
    }
  });
});
