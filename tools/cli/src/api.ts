import { CliError, HttpError, UsageError } from './errors';

/**
 * The Idempotency-Key this API accepts on POST /orders (IETF httpapi Idempotency-Key draft):
 * 1 to 64 letters, digits, `-` or `_`. The same caller and key within 24 hours is the same order.
 */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{1,64}$/;

export function checkIdempotencyKey(key: string): string {
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new UsageError(`--idempotency-key must be 1 to 64 letters, digits, '-' or '_' (got ${JSON.stringify(key)})`);
  }
  return key;
}

/** How hard a request that is safe to repeat is tried. */
export interface RetryPolicy {
  /** Tries in all (the first one included). */
  readonly attempts: number;
  /** The first backoff; each retry doubles it (full jitter: a random wait up to it). */
  readonly baseDelayMs: number;
  /** No wait is longer, whatever the backoff or a Retry-After says. */
  readonly maxDelayMs: number;
  /** One try's deadline: past it the try counts as a timeout. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 400, maxDelayMs: 8_000, requestTimeoutMs: 15_000 };

export interface ApiDeps {
  readonly apiUrl: string;
  readonly token: () => Promise<string>;
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly retry: RetryPolicy;
  /** Told before each retry, to say why. */
  readonly onRetry: (message: string) => void;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as Idempotency-Key; makes a POST safe to repeat. */
  readonly idempotencyKey?: string;
}

/** An answer worth another try of a request that is safe to repeat: the server failed or asked us to slow down. */
const retryableStatus = (status: number) => status === 429 || status >= 500;

/** The wait a 429 or 503 asks for (Retry-After: seconds, or an HTTP date), in ms. */
function retryAfter(response: Response, now: number): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What went wrong with a try that got no answer, in words (the cause's code when there is one). */
function describeFailure(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'no answer in time';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}

// Failures of the connection, not of the request: worth another try. (A bad URL is not.)
const TRANSIENT = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

/** A network error or a timeout (fetch rejects with the cause; AbortSignal.timeout with a TimeoutError). */
function transient(error: unknown): boolean {
  const e = error as { name?: string; code?: string; cause?: { code?: string; errors?: Array<{ code?: string }> } };
  if (e.name === 'TimeoutError') return true;
  const codes = [e.code, e.cause?.code, ...(e.cause?.errors ?? []).map((x) => x.code)];
  return codes.some((code) => code !== undefined && TRANSIENT.has(code));
}

const refusedOnly = (error: unknown) => (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';

/**
 * The orders API over fetch. GET, and a POST that carries an Idempotency-Key, are repeated on a
 * network error, a timeout, a 5xx or a 429, with the same key, a bounded number of times with
 * exponential backoff: the server answers a repeated key with the order the first try placed,
 * so a retry never places a second order. PUT and DELETE are not repeated (a repeated DELETE
 * would answer 404 for an order it did delete).
 */
export class OrdersApi {
  constructor(private readonly deps: ApiDeps) {}

  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
    const { retry } = this.deps;
    const repeatable = method === 'GET' || (method === 'POST' && options.idempotencyKey !== undefined);
    const attempts = repeatable ? Math.max(1, retry.attempts) : 1;
    const headers: Record<string, string> = { Authorization: await this.deps.token() };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);

    for (let attempt = 1; ; attempt++) {
      const backoff = () => this.deps.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
      const again = async (why: string, waitMs: number) => {
        const ms = Math.round(Math.min(retry.maxDelayMs, waitMs));
        const key = options.idempotencyKey ? ' with the same Idempotency-Key' : '';
        this.deps.onRetry(`${why}; trying again in ${(ms / 1000).toFixed(1)} s${key} (${attempt + 1} of ${attempts})`);
        await this.deps.sleep(ms);
      };
      let response: Response;
      let text: string;
      try {
        response = await this.deps.fetch(`${this.deps.apiUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(retry.requestTimeoutMs) });
        text = await response.text();
      } catch (error) {
        if (!transient(error)) throw new CliError(`${method} ${this.deps.apiUrl}${path} failed: ${describeFailure(error)}`);
        if (attempt < attempts) {
          await again(`${method} ${path}: ${describeFailure(error)}`, backoff());
          continue;
        }
        // Refused: the request never reached a server (nothing listening); say so, as for any command.
        if (refusedOnly(error)) throw error;
        if (options.idempotencyKey !== undefined && method === 'POST') {
          throw new CliError(
            `${method} ${path} got no answer${attempts > 1 ? ` after ${attempts} tries` : ''} (${describeFailure(error)}): the order may have been placed; ` +
              `run the same command with --idempotency-key ${options.idempotencyKey} to place it at most once`,
          );
        }
        throw new CliError(`${method} ${path} got no answer${attempts > 1 ? ` after ${attempts} tries` : ''} (${describeFailure(error)})`);
      }
      if (retryableStatus(response.status) && attempt < attempts) {
        await again(`the API answered ${response.status}`, retryAfter(response, Date.now()) ?? backoff());
        continue;
      }
      if (!response.ok) throw new HttpError(response.status, text);
      if (!text) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new CliError(`the API answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
      }
    }
  }
}
