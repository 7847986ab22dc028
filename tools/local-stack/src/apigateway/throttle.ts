import type { StageThrottling } from '@serverless-orders/api-gateway';

export interface Clock {
  now(): number;
}

/**
 * A stage's throttling, as API Gateway applies its default method settings (those of every
 * resource and method, which infra sets): each method of the stage (`GET /orders`, `POST /orders`, …) has its own token bucket of `burstLimit`
 * tokens, refilled at `rateLimit` tokens a second; a request takes one, and an empty bucket
 * answers 429 THROTTLED. (A dozen lines, so written here rather than taken from a rate-limiting
 * package: those count per client or per key over windows, not API Gateway's bucket per method.)
 */
export class StageThrottle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limits: StageThrottling,
    private readonly clock: Clock = Date,
  ) {}

  /** Takes a token from the method's bucket: false when it is empty (the request is throttled). */
  take(method: string, resource: string): boolean {
    const key = `${method.toUpperCase()} ${resource}`;
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limits.burstLimit, at: now };
    bucket.tokens = Math.min(this.limits.burstLimit, bucket.tokens + ((now - bucket.at) / 1000) * this.limits.rateLimit);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
