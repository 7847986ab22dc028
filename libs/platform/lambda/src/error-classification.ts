/**
 * Which failures are worth another try, decided in one place for every function: the queue
 * consumer (retry, or report the record for redelivery) and the workflow's tasks (thrown as
 * TransientTaskError, which the workflow retries with backoff) read the same answer.
 *
 * Transient: the network (a refused, reset, broken or timed-out connection, a socket hang-up,
 * a DNS hiccup), throttling, a 5xx or any error the AWS SDK marks `$retryable`, and Lambda's
 * own service and throttling errors. Everything else is permanent: validation, not found, a
 * failed condition, access denied, a bug. A cause chain (`error.cause`, AggregateError's
 * `errors`) is transient when any link is.
 */
export type ErrorClass = 'transient' | 'permanent';

const TRANSIENT_NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'] as const;

/** Error names (AWS error codes) that mean "slow down" or "the service failed": worth another try. */
const TRANSIENT_ERROR_NAMES = [
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TransactionInProgressException',
  'LimitExceededException',
  'ExecutionLimitExceeded',
  'InternalServerError',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'KMSThrottlingException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

const NETWORK_CODES: ReadonlySet<string> = new Set(TRANSIENT_NETWORK_CODES);
const TRANSIENT_NAMES: ReadonlySet<string> = new Set(TRANSIENT_ERROR_NAMES);
const NETWORK_MESSAGE = /socket hang up|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|other side closed|connect timeout|read timeout/i;

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $retryable?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly cause?: unknown;
  readonly errors?: unknown;
}

function transientLink(e: ErrorShape): boolean {
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.$retryable !== undefined && e.$retryable !== null && e.$retryable !== false) return true;
  if (e.$fault === 'server') return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  return typeof e.message === 'string' && NETWORK_MESSAGE.test(e.message);
}

export function classifyError(error: unknown): ErrorClass {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 16) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const shape = e as ErrorShape;
    if (transientLink(shape)) return 'transient';
    queue.push(shape.cause);
    if (Array.isArray(shape.errors)) queue.push(...shape.errors);
  }
  return 'permanent';
}

export const isTransient = (error: unknown): boolean => classifyError(error) === 'transient';
