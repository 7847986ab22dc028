import { connect } from 'node:net';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { eventually, startStack, type StartedStack } from './local-stack.process';
import { call, newUser, type User } from './users';
import { listeningSockets } from '../src/apigateway/loopback-only';

/**
 * What an attacker's suite tries against the API, through the local gateway, in one authorizer
 * mode; each case names the AWS behaviour it pins. Every answer is also recorded and printed
 * at the end (`[security:<mode>] <case> → <answer>`), so a run shows what each case got.
 */

/** API Gateway's payload limit for REST APIs: 10 MB, not configurable. */
const TEN_MB = 10 * 1024 * 1024;
/** The stage's throttling in this suite: low, so that a burst of 30 requests meets it. */
const THROTTLE = { rate: 5, burst: 10 };
const UNKNOWN_ORDER = '6f1c1c1e-1b1a-4c4c-9d9d-0a0a0a0a0a0a';
const BAD_BODY = { message: 'Invalid request body', errors: [{ field: 'body', problem: "does not match the operation's request schema" }] };

interface RawAnswer {
  readonly status: number | 'no answer' | 'connection reset';
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** How many body bytes the client had sent when the answer (or the error) came. */
  readonly sent: number;
}

/**
 * A request whose body the client sends slowly: `first` bytes, then (with `keepSending`) more
 * chunks of 256 KiB, every 5 ms, up to `max` bytes, until an answer comes. With a declared
 * `contentLength` the client promises that many bytes; without, the body is chunked. The answer
 * arriving while the client has sent a fraction of the body proves the gateway answered before
 * reading it all. Bounded: no answer in `timeoutMs` is reported as such.
 */
function slowUpload(
  url: string,
  options: { headers: Record<string, string>; contentLength?: number; first: number; keepSending?: boolean; max?: number; timeoutMs?: number },
): Promise<RawAnswer> {
  const target = new URL(url);
  return new Promise((resolve) => {
    let sent = 0;
    let done = false;
    const finish = (answer: Omit<RawAnswer, 'sent'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(pump);
      req.destroy();
      resolve({ ...answer, sent });
    };
    const req = request({
      host: target.hostname,
      port: target.port,
      method: 'POST',
      path: target.pathname,
      headers: { ...options.headers, ...(options.contentLength !== undefined ? { 'Content-Length': String(options.contentLength) } : {}) },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => finish({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', () => finish({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', () => finish({ status: 'connection reset', headers: {}, body: '' }));
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const write = (bytes: number) => {
      if (done || bytes <= 0) return;
      req.write(chunk.subarray(0, bytes));
      sent += bytes;
    };
    req.flushHeaders();
    write(options.first);
    const max = options.max ?? options.contentLength ?? options.first;
    const pump = setInterval(() => {
      if (options.keepSending && sent < max) write(Math.min(chunk.length, max - sent));
    }, 5);
    const timer = setTimeout(() => finish({ status: 'no answer', headers: {}, body: '' }), options.timeoutMs ?? 10_000);
  });
}

/** Whether a TCP connection to host:port is accepted (false: refused, unreachable or timed out after 2 s). */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const jsonOf = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export function securitySuite(mode: 'cognito' | 'lambda') {
  let stack: StartedStack;
  let outputs: Record<string, string>;
  let alice: User;
  const answers: string[] = [];
  const record = (name: string, status: unknown, body: unknown, extra = '') =>
    answers.push(`[security:${mode}] ${name} → ${String(status)} ${typeof body === 'string' ? body : JSON.stringify(body)}${extra}`);

  beforeAll(async () => {
    stack = await startStack([
      '--authorizer', mode,
      '--payment-failure-rate', '0', '--restaurant-failure-rate', '0',
      '--throttle-rate', String(THROTTLE.rate), '--throttle-burst', String(THROTTLE.burst),
    ]);
    outputs = stack.outputs;
    alice = await newUser(outputs, `mallory-${mode}`);
  }, 90_000);

  afterAll(async () => {
    process.stdout.write(`${answers.join('\n')}\n`);
    await stack?.dispose();
  }, 30_000);

  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls > 0 && state.numPassingAsserts < state.assertionCalls) process.stdout.write(stack.log());
  });

  describe(`text fields refuse control characters (${mode} authorizer)`, () => {
    let marker: string;

    // API Gateway's request validator checks POST /orders' body against the document's JSON
    // Schema (draft 4) before the SQS integration: a refused body is BAD_REQUEST_BODY, infra's
    // gateway response, and nothing reaches the queue.
    it.each([
      ['an item with a CR LF, a header and a BEL', { restaurant_id: 'r-1', item: 'pizza\r\nX-Injected: 1\u0007', quantity: 1 }],
      ['a restaurant_id with a NUL and an ANSI escape', { restaurant_id: 'r-1\u0000\u001b[31m', item: 'pizza', quantity: 1 }],
      ['an item with a C1 control (U+009B, CSI)', { restaurant_id: 'r-1', item: 'pizza\u009b2J', quantity: 1 }],
    ])('POST /orders with %s → 400 from the request validator, nothing queued', async (name, body) => {
      const response = await call(outputs, 'POST', '/orders', alice.idToken, body);
      record(`POST /orders, ${name}`, response.status, response.body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual(BAD_BODY);
    });

    it('nothing of the refused orders was queued: only a valid order placed after them is listed', async () => {
      const placed = await call(outputs, 'POST', '/orders', alice.idToken, { restaurant_id: 'r-1', item: 'pizza', quantity: 1 });
      expect(placed.status).toBe(202);
      marker = String(placed.body.order_id);
      const mine = await eventually(
        async () => {
          const r = await call(outputs, 'GET', `/orders/${marker}`, alice.idToken);
          return r.status === 200 && r.body.order_status === 'SUCCESS' ? call(outputs, 'GET', '/orders', alice.idToken) : undefined;
        },
        45_000,
        'the valid order to reach SUCCESS',
      );
      const items = mine.body.items as Array<{ id: string; item: string; restaurant_id: string }>;
      record('orders listed after the refused ones', mine.status, items.map((o) => `${o.restaurant_id}/${o.item}`));
      expect(items.map((o) => o.id)).toEqual([marker]);
    });

    // PUT is a Lambda proxy: API Gateway's validator refuses the body first, as for POST; the
    // function's own schema holds the same rule (its answer names the field, see http-contract).
    it('PUT /orders/{id} with an item holding an ANSI escape → 400, and the order is unchanged', async () => {
      const response = await call(outputs, 'PUT', `/orders/${marker}`, alice.idToken, { item: 'x\u001b[2J\u001b[H' });
      record('PUT /orders/{id}, an item with ANSI escapes', response.status, response.body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual(BAD_BODY);
      expect((await call(outputs, 'GET', `/orders/${marker}`, alice.idToken)).body).toMatchObject({ id: marker, item: 'pizza' });
    });

    // API Gateway checks only that path parameters and query strings are present: the
    // functions check their form, and name the parameter.
    it.each([
      ['GET /orders/{id}, an id with a BEL', 'GET', `/orders/${encodeURIComponent('\u0007abc')}`, 'path.id'],
      ['GET /orders, a next_token with an ESC', 'GET', `/orders?next_token=${encodeURIComponent('\u001b[31m')}`, 'next_token'],
      ['DELETE /order/{userId}/id/{id}, a userId with a NUL', 'DELETE', `/order/${encodeURIComponent('u\u0000')}/id/${UNKNOWN_ORDER}`, 'path.userId'],
    ])('%s → 400 naming the parameter', async (name, method, path, field) => {
      const response = await call(outputs, method, path, alice.idToken);
      record(name, response.status, response.body);
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
    });
  });

  describe(`request limits, as API Gateway enforces them (${mode} authorizer)`, () => {
    // API Gateway refuses a REST API request over 10 MB (10,485,760 bytes) by its Content-Length,
    // before the route, the authorizer or a gateway response: 413, a plain-text body, no CORS header.
    it('a body declared over 10 MB → 413 before the gateway reads it (the client had sent 64 KiB)', async () => {
      const answer = await slowUpload(`${outputs.apiUrl}/orders`, {
        headers: { Authorization: alice.idToken, 'Content-Type': 'application/json' },
        contentLength: TEN_MB + 1,
        first: 64 * 1024,
      });
      record('POST /orders, Content-Length 10 MiB + 1', answer.status, answer.body, ` (client had sent ${answer.sent} bytes)`);
      expect(answer.status).toBe(413);
      expect(answer.body).toBe('HTTP content length exceeded 10485760 bytes.');
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(answer.sent).toBe(64 * 1024);
    });

    it('a chunked body that grows past 10 MB → 413, and the gateway stops reading it', async () => {
      const answer = await slowUpload(`${outputs.apiUrl}/orders`, {
        headers: { Authorization: alice.idToken, 'Content-Type': 'application/json' },
        first: 256 * 1024,
        keepSending: true,
        max: 3 * TEN_MB,
        timeoutMs: 30_000,
      });
      record('POST /orders, chunked, growing to 30 MiB', answer.status, answer.body, ` (client had sent ${answer.sent} bytes)`);
      expect(answer.status).toBe(413);
      expect(answer.body).toBe('HTTP content length exceeded 10485760 bytes.');
      // Answered soon after the limit: the rest of the 30 MiB was never read.
      expect(answer.sent).toBeLessThan(2 * TEN_MB);
    });

    // The authorizer needs no body (a token, or the request's headers): an unauthenticated
    // request is refused before its body is read.
    it('an unauthenticated 10 MB body → 401 before the gateway reads it (the client had sent 64 KiB)', async () => {
      const answer = await slowUpload(`${outputs.apiUrl}/orders`, {
        headers: { 'Content-Type': 'application/json' },
        contentLength: TEN_MB,
        first: 64 * 1024,
      });
      record('POST /orders, no token, Content-Length 10 MiB', answer.status, answer.body, ` (client had sent ${answer.sent} bytes)`);
      expect(answer.status).toBe(401);
      expect(jsonOf(answer.body)).toEqual({ message: 'Unauthorized' });
      expect(answer.sent).toBe(64 * 1024);
    });

    it('an invalid token with a 10 MB body → 401 before the gateway reads it', async () => {
      const answer = await slowUpload(`${outputs.apiUrl}/orders`, {
        headers: { Authorization: 'not-a-token', 'Content-Type': 'application/json' },
        contentLength: TEN_MB,
        first: 64 * 1024,
      });
      record('POST /orders, an invalid token, Content-Length 10 MiB', answer.status, answer.body, ` (client had sent ${answer.sent} bytes)`);
      expect(answer.status).toBe(401);
      expect(answer.sent).toBe(64 * 1024);
    });

    // Stage throttling: a token bucket per method (the stage's default method settings apply
    // to each method), checked before the authorizer: beyond the burst, 429 THROTTLED.
    it(`a burst of 30 requests on one method, over a stage throttled to ${THROTTLE.rate}/s and a burst of ${THROTTLE.burst} → 429 Too Many Requests`, async () => {
      const started = Date.now();
      const burst = await Promise.all(Array.from({ length: 30 }, () => call(outputs, 'DELETE', `/order/someone/id/${UNKNOWN_ORDER}`)));
      const seconds = (Date.now() - started) / 1000;
      const statuses = burst.map((r) => r.status);
      const throttled = burst.filter((r) => r.status === 429);
      record('30 concurrent DELETE /order/{userId}/id/{id}', statuses.join(','), throttled[0]?.body ?? '(none throttled)');
      expect(new Set(statuses)).toEqual(new Set([401, 429]));
      expect(throttled[0].body).toEqual({ message: 'Too Many Requests' });
      expect(throttled[0].headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
      // At most the burst, plus what the rate refilled meanwhile, got through to the authorizer.
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(THROTTLE.burst + Math.ceil(THROTTLE.rate * seconds));
      // Other methods have buckets of their own.
      expect((await call(outputs, 'GET', '/orders', alice.idToken)).status).toBe(200);
    });
  });

  describe(`answers that carry a user's data are neither cached nor sniffed (${mode} authorizer)`, () => {
    // OWASP API Security: Cache-Control: no-store and X-Content-Type-Options: nosniff.
    it.each([
      ['GET /orders (a function)', 'GET', '/orders', undefined],
      ['GET /orders/{id}, 404 (a function)', 'GET', `/orders/${UNKNOWN_ORDER}`, undefined],
      ['POST /orders, 202 (the queue integration)', 'POST', '/orders', { restaurant_id: 'r-2', item: 'soup', quantity: 1 }],
    ])('%s → Cache-Control: no-store, X-Content-Type-Options: nosniff', async (name, method, path, body) => {
      const response = await call(outputs, method, path, alice.idToken, body);
      const headers = { 'cache-control': response.headers.get('cache-control'), 'x-content-type-options': response.headers.get('x-content-type-options') };
      record(name, response.status, headers);
      expect(headers).toEqual({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    });

    it('the gateway’s log line of POST /orders names the order id it answered', async () => {
      const placed = await call(outputs, 'POST', '/orders', alice.idToken, { restaurant_id: 'r-3', item: 'tea', quantity: 1 });
      const id = String(placed.body.order_id);
      const line = await eventually(
        async () => stack.log().split('\n').find((l) => l.includes('POST /dev/orders → 202') && l.includes(id)),
        5_000,
        `a log line of POST /orders naming ${id}`,
      ).catch(() => stack.log().split('\n').filter((l) => l.includes('POST /dev/orders → 202')).pop() ?? '(no line)');
      record('the log line of POST /orders', placed.status, line.trim());
      expect(line).toContain(`order ${id}`);
    });
  });

  describe(`loopback only (${mode} authorizer)`, () => {
    // The local identity provider signs with a key published in cognito-local's package:
    // anyone who can reach the stack can mint tokens for it. Nothing may listen beyond loopback.
    const linux = process.platform === 'linux';
    (linux ? it : it.skip)('every port the stack listens on is bound to 127.0.0.1, and refused on this machine’s other addresses', async () => {
      const sockets = listeningSockets(stack.child.pid as number);
      const others = Object.values(networkInterfaces())
        .flat()
        .filter((a): a is NonNullable<typeof a> => !!a && !a.internal)
        .map((a) => (a.family === 'IPv6' && a.scopeid ? `${a.address}%${a.scopeid}` : a.address));
      const reachable: string[] = [];
      for (const { port } of sockets) for (const host of others) if (await accepts(host, port)) reachable.push(`${host}:${port}`);
      record('listening sockets of the stack', sockets.length, sockets.map((s) => `${s.address}:${s.port}`), ` (tried on ${others.join(', ') || 'no other address'}: ${reachable.length ? `reachable at ${reachable.join(', ')}` : 'all refused'})`);
      const endpoints = [outputs.apiUrl, outputs.cognitoEndpoint, outputs.dynamodbEndpoint, outputs.sqsEndpoint, outputs.stepFunctionsEndpoint];
      expect(sockets.map((s) => s.port)).toEqual(expect.arrayContaining(endpoints.map((e) => Number(new URL(e).port))));
      for (const socket of sockets) expect(socket).toEqual({ address: '127.0.0.1', port: socket.port });
      expect(reachable).toEqual([]);
    });
  });
}
