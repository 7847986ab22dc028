import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProviderOutcome } from '@serverless-orders/orders-application';

/** What a simulated provider did under one idempotency key. */
export interface LedgerEntry {
  readonly key: string;
  readonly order_id: string;
  readonly version: number;
  readonly outcome: ProviderOutcome;
  readonly at: string;
}

/**
 * Where a simulated provider remembers what it did, by idempotency key, as a real provider
 * does: a call with a key already used answers the first outcome and does nothing again.
 */
export interface ProviderLedger {
  recall(key: string): LedgerEntry | undefined;
  /** Records `entry` unless its key is taken; answers the entry that holds the key. */
  record(entry: LedgerEntry): LedgerEntry;
  entries(): LedgerEntry[];
}

/** One environment's memory: enough where the provider is only a simulation (in AWS). */
export class InMemoryLedger implements ProviderLedger {
  private readonly byKey = new Map<string, LedgerEntry>();

  recall(key: string): LedgerEntry | undefined {
    return this.byKey.get(key);
  }

  record(entry: LedgerEntry): LedgerEntry {
    const existing = this.byKey.get(entry.key);
    if (existing) return existing;
    this.byKey.set(entry.key, entry);
    return entry;
  }

  entries(): LedgerEntry[] {
    return [...this.byKey.values()];
  }
}

/**
 * A ledger shared by every environment of a function, and readable from outside: one file per
 * key in a directory, created exclusively (the first writer of a key wins, atomically). The
 * local stack gives the simulated providers one, so that tests count charges exactly.
 */
export class DirectoryLedger implements ProviderLedger {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private file(key: string): string {
    return join(this.dir, `${Buffer.from(key).toString('base64url')}.json`);
  }

  recall(key: string): LedgerEntry | undefined {
    try {
      return JSON.parse(readFileSync(this.file(key), 'utf8')) as LedgerEntry;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  record(entry: LedgerEntry): LedgerEntry {
    try {
      writeFileSync(this.file(entry.key), JSON.stringify(entry), { flag: 'wx' });
      return entry;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return this.recall(entry.key) ?? entry;
    }
  }

  entries(): LedgerEntry[] {
    return readdirSync(this.dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as LedgerEntry);
  }
}
