import type { OrderToFulfil, ProviderOutcome } from '@serverless-orders/orders-application';
import { DirectoryLedger, InMemoryLedger, type ProviderLedger } from './ledger';
import { seededRandom, type Random } from './random';

/** How often the simulations refuse when not told otherwise. */
export const DEFAULT_FAILURE_RATE = 0.2;

/**
 * What a simulated provider does right after it acted (charged, sent), before it answers, to
 * rehearse the worst moment for a failure: `crash` ends the process (Lambda reports
 * Runtime.ExitError), `stall` never answers (the function times out). Either way the work is
 * done and recorded under its key, so the retry answers it without acting again.
 */
export const FAULTS_AFTER_ACTING = ['none', 'crash', 'stall'] as const;
export type FaultAfterActing = (typeof FAULTS_AFTER_ACTING)[number];

export interface SimulationOptions {
  /** The share of calls that fail, from 0 (never) to 1 (always). */
  readonly failureRate: number;
  /** Where the randomness comes from; seed it (seededRandom) for reproducible runs. */
  readonly random: Random;
  /** What the provider did, by idempotency key (default: this environment's memory). */
  readonly ledger?: ProviderLedger;
  readonly faultAfterActing?: FaultAfterActing;
}

/** Checks the options at start: a rate outside 0 to 1 is a RangeError. */
export function checkSimulation({ failureRate }: SimulationOptions): void {
  if (!(failureRate >= 0 && failureRate <= 1)) throw new RangeError(`failureRate must be from 0 to 1, not ${failureRate}`);
}

/**
 * A provider that does not exist, with a real provider's idempotency: each new key randomly
 * succeeds or is refused with `errorMessage` (probability failureRate); a key already used
 * answers its first outcome and does nothing.
 */
export class SimulatedProvider {
  private readonly ledger: ProviderLedger;

  constructor(
    private readonly options: SimulationOptions,
    private readonly errorMessage: string,
  ) {
    checkSimulation(options);
    this.ledger = options.ledger ?? new InMemoryLedger();
  }

  async act(order: OrderToFulfil, key: string): Promise<ProviderOutcome> {
    const done = this.ledger.recall(key);
    if (done) return done.outcome;
    const outcome: ProviderOutcome = this.options.random() < this.options.failureRate ? { ok: false, reason: this.errorMessage } : { ok: true };
    const entry = this.ledger.record({ key, order_id: order.id, version: order.version, outcome, at: new Date().toISOString() });
    if (entry.outcome.ok && this.options.faultAfterActing === 'crash') process.exit(1);
    if (entry.outcome.ok && this.options.faultAfterActing === 'stall') await new Promise<never>(() => undefined);
    return entry.outcome;
  }
}

/** What a composition root reads a simulation from: a typed config reader (platform-lambda's configFrom). */
interface SimulationConfig {
  number(name: string, fallback: number, range?: { min?: number; max?: number }): number;
  optional(name: string): string | undefined;
  oneOf<T extends string>(name: string, choices: readonly T[], fallback?: T): T;
}

/**
 * The simulation's settings, read at start; a bad value fails naming the setting:
 * `<PREFIX>_FAILURE_RATE` (0 to 1), `<PREFIX>_RANDOM_SEED` (a whole number; unset → Math.random),
 * `<PREFIX>_LEDGER_DIR` (a directory shared by every environment; unset → memory) and
 * `<PREFIX>_FAULT_AFTER_ACTING` (none, crash or stall; for fault tests).
 */
export function simulationFromConfig(config: SimulationConfig, prefix: 'PAYMENT' | 'RESTAURANT'): SimulationOptions {
  const failureRate = config.number(`${prefix}_FAILURE_RATE`, DEFAULT_FAILURE_RATE, { min: 0, max: 1 });
  const seed = config.optional(`${prefix}_RANDOM_SEED`);
  if (seed !== undefined && !/^\d+$/.test(seed)) {
    throw new RangeError(`setting ${prefix}_RANDOM_SEED is "${seed}"; expected a whole number`);
  }
  const ledgerDir = config.optional(`${prefix}_LEDGER_DIR`);
  return {
    failureRate,
    random: seed === undefined ? Math.random : seededRandom(Number(seed)),
    ...(ledgerDir ? { ledger: new DirectoryLedger(ledgerDir) } : {}),
    faultAfterActing: config.oneOf(`${prefix}_FAULT_AFTER_ACTING`, FAULTS_AFTER_ACTING, 'none'),
  };
}
