/**
 * The limits API Gateway enforces on a REST API before any of the API's own code runs: the
 * payload limit, fixed by AWS, and the stage's throttling, a setting of each stack. Defined here
 * for infra (which configures the throttling) and the local gateway (which enforces both).
 */

/** A REST API's largest request payload: 10 MB, a quota AWS does not raise. */
export const PAYLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * What API Gateway answers a request over the payload limit: 413 with a plain-text body and no
 * CORS header, before routing, authorizer or request validator. No gateway response reaches it
 * (a REQUEST_TOO_LARGE gateway response is not applied to it), so it is not the API's JSON shape:
 * a client tells it by its status.
 */
export const PAYLOAD_TOO_LARGE = {
  status: 413,
  contentType: 'text; charset=utf-8',
  body: `HTTP content length exceeded ${PAYLOAD_LIMIT_BYTES} bytes.`,
} as const;

/** A stage's throttling: a token bucket of `burstLimit` tokens, refilled at `rateLimit` per second. */
export interface StageThrottling {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** The bucket's size: how many requests may arrive at once. */
  readonly burstLimit: number;
}

/**
 * The stage's throttling unless a stack says otherwise: far below the account's quota (below),
 * because an order API that takes 50 requests a second from all its users is busy, and a limit
 * keeps a runaway client from spending the account's share (and the functions' and queue's cost).
 * API Gateway applies a stage's default method throttling to each method on its own.
 */
export const DEFAULT_STAGE_THROTTLING: StageThrottling = { rateLimit: 50, burstLimit: 100 };

/** API Gateway's default account-level throttling per region: no stage may ask for more. */
export const ACCOUNT_THROTTLING: StageThrottling = { rateLimit: 10_000, burstLimit: 5_000 };

/** Why a throttling setting cannot be deployed, naming the limit at fault; undefined when it can. */
export function throttlingProblem(throttling: StageThrottling): { readonly limit: keyof StageThrottling; readonly problem: string } | undefined {
  const { rateLimit, burstLimit } = throttling;
  if (!Number.isFinite(rateLimit) || rateLimit <= 0 || rateLimit > ACCOUNT_THROTTLING.rateLimit) {
    return { limit: 'rateLimit', problem: `must be a number of requests per second above 0 and at most ${ACCOUNT_THROTTLING.rateLimit}, not ${rateLimit}` };
  }
  if (!Number.isInteger(burstLimit) || burstLimit < 1 || burstLimit > ACCOUNT_THROTTLING.burstLimit) {
    return { limit: 'burstLimit', problem: `must be a whole number of requests from 1 to ${ACCOUNT_THROTTLING.burstLimit}, not ${burstLimit}` };
  }
  return undefined;
}
