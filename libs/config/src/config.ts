/**
 * Configuration is read once, typed, at cold start. A missing required value fails at
 * start with its name: no silent defaults for resource names.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export interface ConfigReader {
  /** A value that must be set and non-empty. */
  required(name: string): string;
  /** A value that may be absent; `fallback` is for tuning knobs, never for resource names. */
  optional(name: string, fallback?: string): string | undefined;
  /** One of `choices`; absent → `fallback` if given, else an error. */
  oneOf<T extends string>(name: string, choices: readonly T[], fallback?: T): T;
  /** A number in [min, max]; absent → `fallback`. */
  number(name: string, fallback: number, range?: { min?: number; max?: number }): number;
}

export function configFrom(env: Env = process.env): ConfigReader {
  const raw = (name: string) => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  return {
    required(name) {
      const value = raw(name);
      if (value === undefined) throw new ConfigError(`missing required setting ${name}`);
      return value;
    },
    optional(name, fallback) {
      return raw(name) ?? fallback;
    },
    oneOf(name, choices, fallback) {
      const value = raw(name) ?? fallback;
      if (value === undefined) throw new ConfigError(`missing required setting ${name} (one of ${choices.join(', ')})`);
      if (!(choices as readonly string[]).includes(value)) {
        throw new ConfigError(`setting ${name} is "${value}"; expected one of ${choices.join(', ')}`);
      }
      return value as (typeof choices)[number];
    },
    number(name, fallback, range = {}) {
      const value = raw(name);
      if (value === undefined) return fallback;
      const n = Number(value);
      if (!Number.isFinite(n) || (range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) {
        throw new ConfigError(`setting ${name} is "${value}"; expected a number from ${range.min ?? '-∞'} to ${range.max ?? '∞'}`);
      }
      return n;
    },
  };
}
