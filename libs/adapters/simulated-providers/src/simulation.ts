import type { ProviderOutcome } from '@serverless-orders/orders-application';
import { seededRandom, type Random } from './random';

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

/** What a composition root reads a simulation from: a typed config reader (platform-lambda's configFrom). */
interface SimulationConfig {
  number(name: string, fallback: number, range?: { min?: number; max?: number }): number;
  optional(name: string): string | undefined;
}

/**
 * The simulation's settings, `<PREFIX>_FAILURE_RATE` (0 to 1) and `<PREFIX>_RANDOM_SEED`
 * (a whole number; unset → Math.random), read at start; a bad value fails naming the setting.
 */
export function simulationFromConfig(config: SimulationConfig, prefix: 'PAYMENT' | 'RESTAURANT'): SimulationOptions {
  const failureRate = config.number(`${prefix}_FAILURE_RATE`, DEFAULT_FAILURE_RATE, { min: 0, max: 1 });
  const seed = config.optional(`${prefix}_RANDOM_SEED`);
  if (seed !== undefined && !/^\d+$/.test(seed)) {
    throw new RangeError(`setting ${prefix}_RANDOM_SEED is "${seed}"; expected a whole number`);
  }
  return { failureRate, random: seed === undefined ? Math.random : seededRandom(Number(seed)) };
}
