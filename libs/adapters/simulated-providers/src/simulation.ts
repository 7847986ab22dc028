import type { ProviderOutcome } from '@serverless-orders/orders-application';
import type { Random } from './random';

/** How often the simulations refuse when not told otherwise. */
export const DEFAULT_FAILURE_RATE = 0.2;

export interface SimulationOptions {
  /** The share of calls that fail, from 0 (never) to 1 (always). */
  readonly failureRate: number;
  /** Where the randomness comes from; seed it (seededRandom) for reproducible runs. */
  readonly random: Random;
}

/** Checks the options at start: a rate outside 0 to 1 is a RangeError. */
export function checkSimulation({ failureRate }: SimulationOptions): void {
  if (!(failureRate >= 0 && failureRate <= 1)) throw new RangeError(`failureRate must be from 0 to 1, not ${failureRate}`);
}

/** One simulated call: refused with `errorMessage` with probability failureRate, else ok. */
export function simulate({ failureRate, random }: SimulationOptions, errorMessage: string): ProviderOutcome {
  return random() < failureRate ? { ok: false, reason: errorMessage } : { ok: true };
}
