import { checkIdempotencyKey, OrdersApi, type RetryPolicy } from './api';
import { CliError, HttpError, UsageError } from './errors';

const RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, requestTimeoutMs: 1_000 };

/** fetch's own failure: a TypeError whose cause carries the socket's code. */
const networkError = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
/** fetch's rejection when AbortSignal.timeout fires: a DOMException named TimeoutError. */
const timeoutError = () => Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });

type Step = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

function setup(steps: Step[], retry = RETRY) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const waits: number[] = [];
  const notes: string[] = [];
  const fetch = jest.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const step = steps.shift() ?? { status: 500 };
    if (step instanceof Error) throw step;
    return new Response(step.body === undefined ? null : JSON.stringify(step.body), { status: step.status, headers: step.headers });
  });
  const api = new OrdersApi({
    apiUrl: 'http://api/dev',
    token: async () => 'id-token',
    fetch: fetch as unknown as typeof globalThis.fetch,
    sleep: async (ms) => void waits.push(ms),
    random: () => 1,
    retry,
    onRetry: (message) => notes.push(message),
  });
  const header = (i: number, name: string) => (calls[i].init.headers as Record<string, string>)[name];
  return { api, calls, waits, notes, header };
}

const placeOrder = (api: OrdersApi, key = 'key-1') =>
  api.request<{ order_id: string }>('POST', '/orders', { body: { restaurant_id: 'r', item: 'i', quantity: 1 }, idempotencyKey: key });

describe('Idempotency-Key (IETF httpapi draft, as POST /orders takes it)', () => {
  it('takes 1 to 64 letters, digits, - and _; refuses anything else as a usage error naming the option', () => {
    expect(checkIdempotencyKey('6f1c2a8e-0000-4000-8000-000000000001')).toBe('6f1c2a8e-0000-4000-8000-000000000001');
    expect(checkIdempotencyKey('a'.repeat(64))).toHaveLength(64);
    for (const bad of ['', 'a'.repeat(65), 'has space', 'quo"te', 'ü']) {
      expect(() => checkIdempotencyKey(bad)).toThrow(UsageError);
      expect(() => checkIdempotencyKey(bad)).toThrow('--idempotency-key');
    }
  });

  it('is sent with the token and the JSON body', async () => {
    const { api, calls, header } = setup([{ status: 202, body: { order_id: 'o1' } }]);
    expect(await placeOrder(api)).toEqual({ order_id: 'o1' });
    expect(calls[0].url).toBe('http://api/dev/orders');
    expect([header(0, 'Idempotency-Key'), header(0, 'Authorization'), header(0, 'Content-Type')]).toEqual(['key-1', 'id-token', 'application/json']);
  });
});

describe('retries of a request that is safe to repeat', () => {
  it('repeats a POST on 5xx, 429, a network error and a timeout, always with the same key, until it is answered', async () => {
    const { api, calls, header, notes } = setup([
      { status: 503 },
      networkError('ECONNRESET'),
      timeoutError(),
      { status: 202, body: { order_id: 'o1' } },
    ]);
    expect(await placeOrder(api, 'same-key')).toEqual({ order_id: 'o1' });
    expect(calls).toHaveLength(4);
    expect(calls.map((_, i) => header(i, 'Idempotency-Key'))).toEqual(['same-key', 'same-key', 'same-key', 'same-key']);
    expect(calls.map((c) => c.init.body)).toEqual(Array(4).fill(calls[0].init.body));
    expect(notes[0]).toMatch(/answered 503; trying again in .* with the same Idempotency-Key \(2 of 4\)/);
    expect(notes[1]).toContain('ECONNRESET');
    expect(notes[2]).toContain('no answer in time');
  });

  it('backs off exponentially (full jitter, capped) and honours Retry-After', async () => {
    const { api, waits } = setup([{ status: 500 }, { status: 429, headers: { 'Retry-After': '0.3' } }, { status: 502 }, { status: 202, body: { order_id: 'o1' } }]);
    await placeOrder(api);
    // random() = 1: the full backoff, 100 ms doubled each retry; the 429 asked for 300 ms.
    expect(waits).toEqual([100, 300, 400]);
  });

  it('gives up after the bounded number of tries, saying the order may exist and how to retry without a second one', async () => {
    const { api, calls } = setup([networkError('ECONNRESET'), networkError('ECONNRESET'), networkError('ECONNRESET'), networkError('ECONNRESET')]);
    const failure = placeOrder(api, 'k-42');
    await expect(failure).rejects.toThrow(CliError);
    await expect(failure).rejects.toThrow('the order may have been placed; run the same command with --idempotency-key k-42');
    expect(calls).toHaveLength(4);
  });

  it('returns the last 5xx as an HttpError once the tries are spent', async () => {
    const { api, calls } = setup([{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503, body: { message: 'Service Unavailable' } }]);
    await expect(api.request('GET', '/orders')).rejects.toEqual(new HttpError(503, '{"message":"Service Unavailable"}'));
    expect(calls).toHaveLength(4);
  });

  it('never repeats a 4xx other than 429: the request itself was refused', async () => {
    const { api, calls } = setup([{ status: 400, body: { message: 'Invalid request body', errors: [{ field: 'quantity', problem: 'must be…' }] } }]);
    const error = (await placeOrder(api).catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.details?.errors?.[0].field).toBe('quantity');
    expect(calls).toHaveLength(1);
  });

  it('never repeats PUT or DELETE (a repeated DELETE would answer 404 for the order it deleted)', async () => {
    const put = setup([{ status: 503 }]);
    await expect(put.api.request('PUT', '/orders/o1', { body: { quantity: 2 } })).rejects.toBeInstanceOf(HttpError);
    const del = setup([networkError('ECONNRESET')]);
    await expect(del.api.request('DELETE', '/orders/o1')).rejects.toThrow('got no answer (ECONNRESET)');
    expect([put.calls.length, del.calls.length]).toEqual([1, 1]);
  });

  it('does not repeat what no retry can fix (a malformed URL), and names it', async () => {
    const { api, calls } = setup([Object.assign(new TypeError('fetch failed'), { cause: new Error('bad port') })]);
    await expect(api.request('GET', '/orders')).rejects.toThrow('GET http://api/dev/orders failed: bad port');
    expect(calls).toHaveLength(1);
  });

  it('lets a refused connection through as it is, after the tries: nothing listens there', async () => {
    const { api } = setup(Array.from({ length: 4 }, () => networkError('ECONNREFUSED')));
    await expect(placeOrder(api)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
  });
});
