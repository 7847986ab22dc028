import { isTransient } from './error-classification';

export interface RetryOptions {
  /** Stop trying (and throw the last error) once this moment, in epoch milliseconds, is near. */
  readonly deadline: number;
  /** The first wait; it doubles each time, up to `maxDelayMs`, and each wait is drawn with full jitter. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly onRetry?: (error: unknown, attempt: number) => void;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work`, trying again after a transient error (classifyError) with exponential backoff
 * and full jitter, for as long as the deadline allows: within one invocation, a short outage of
 * a dependency costs a delay, not a redelivery. A permanent error, or a transient one at the
 * deadline, is thrown as it is.
 */
export async function retryTransient<T>(work: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { deadline, baseDelayMs = 100, maxDelayMs = 2000, sleep = sleepFor, random = Math.random, now = Date.now } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const delay = Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
      if (!isTransient(error) || now() + delay >= deadline) throw error;
      options.onRetry?.(error, attempt);
      await sleep(delay);
    }
  }
}
