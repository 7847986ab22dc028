import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_STAGE_THROTTLING, throttlingProblem } from '@serverless-orders/api-gateway';
import { AUTH_SCHEMES, type AuthScheme } from '@serverless-orders/auth-domain';

/**
 * Everything a stack can choose, read once from the stack's config and checked. A missing
 * required value or an out-of-range one fails the program at start, naming the key.
 */
export const AUTHORIZERS = ['cognito', 'lambda'] as const;
export type AuthorizerMode = (typeof AUTHORIZERS)[number];

const ARCHITECTURES = ['arm64', 'x86_64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Retention values CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export interface StackSettings {
  /** Prefix of every resource name: `orders-<stack>`. */
  readonly prefix: string;
  readonly authorizer: AuthorizerMode;
  /** The Lambda authorizer's token scheme (its AUTH_SCHEME): cognito, oidc or shared-secret. */
  readonly authScheme: AuthScheme;
  readonly notificationEmail: string;
  readonly waitSeconds: number;
  readonly architecture: Architecture;
  readonly logRetentionDays: number;
  readonly authorizerTtlSeconds: number;
  readonly logLevel: LogLevel;
  readonly corsAllowOrigin: string;
  /** The stage's throttling, applied by API Gateway to each method: steady requests per second… */
  readonly throttleRateLimit: number;
  /** …and the burst (the token bucket's size). Beyond them, 429 Too Many Requests. */
  readonly throttleBurstLimit: number;
  /**
   * Set the region-wide API Gateway CloudWatch role (stage access logs need one). One setting
   * per account and region, not per stack: at most one stack of a region should manage it.
   */
  readonly manageApiGatewayAccount: boolean;
  /**
   * Values of the catalogue's `from: 'config'` settings (PAYMENT_FAILURE_RATE, AUTH_SCHEME, …)
   * and of the authorizer's scheme settings, by environment variable name.
   */
  readonly settings: Readonly<Record<string, string>>;
  /**
   * The same, for values that are secrets (a shared secret, …): kept encrypted in state. Each
   * value is a secret output; the names are plain, so that the settings are checked before
   * anything is created.
   */
  readonly secretSettings: Readonly<Record<string, pulumi.Output<string>>>;
  /** Directory holding <app>/main.js for every app: absolute, or relative to the workspace root. */
  readonly artifactsDir: string;
}

export const DEFAULTS = {
  authorizer: 'cognito',
  authScheme: 'cognito',
  waitSeconds: 30,
  architecture: 'arm64',
  logRetentionDays: 14,
  authorizerTtlSeconds: 300,
  logLevel: 'INFO',
  corsAllowOrigin: '*',
  throttleRateLimit: DEFAULT_STAGE_THROTTLING.rateLimit,
  throttleBurstLimit: DEFAULT_STAGE_THROTTLING.burstLimit,
  manageApiGatewayAccount: false,
  artifactsDir: 'dist/apps',
} as const satisfies Partial<StackSettings>;

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** The prefix of every resource of a stack, checked so that derived names stay within AWS limits. */
export function resourcePrefix(stack: string): string {
  const prefix = `orders-${stack}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  if (prefix.length > 32) throw new SettingsError(`stack name "${stack}" is too long: keep it within 25 characters`);
  return prefix;
}

/** Checks a complete set of settings; every message names the config key at fault. */
export function checkSettings(s: StackSettings): StackSettings {
  const fail = (key: string, problem: string) => {
    throw new SettingsError(`config ${key} ${problem}`);
  };
  if (!AUTHORIZERS.includes(s.authorizer)) fail('authorizer', `is "${s.authorizer}"; expected one of ${AUTHORIZERS.join(', ')}`);
  if (!AUTH_SCHEMES.includes(s.authScheme)) fail('authScheme', `is "${s.authScheme}"; expected one of ${AUTH_SCHEMES.join(', ')}`);
  if (!ARCHITECTURES.includes(s.architecture)) fail('architecture', `is "${s.architecture}"; expected one of ${ARCHITECTURES.join(', ')}`);
  if (!LOG_LEVELS.includes(s.logLevel)) fail('logLevel', `is "${s.logLevel}"; expected one of ${LOG_LEVELS.join(', ')}`);
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s.notificationEmail)) fail('notificationEmail', `is "${s.notificationEmail}"; expected an email address`);
  if (!Number.isInteger(s.waitSeconds) || s.waitSeconds < 0 || s.waitSeconds > 3600) fail('waitSeconds', 'must be a whole number from 0 to 3600');
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(s.logRetentionDays)) {
    fail('logRetentionDays', `must be one of ${LOG_RETENTION_DAYS.join(', ')}`);
  }
  if (!Number.isInteger(s.authorizerTtlSeconds) || s.authorizerTtlSeconds < 0 || s.authorizerTtlSeconds > 3600) {
    fail('authorizerTtlSeconds', 'must be a whole number from 0 to 3600');
  }
  const throttling = throttlingProblem({ rateLimit: s.throttleRateLimit, burstLimit: s.throttleBurstLimit });
  if (throttling) fail(throttling.limit === 'rateLimit' ? 'throttleRateLimit' : 'throttleBurstLimit', throttling.problem);
  return s;
}

/** Reads the settings of the current stack from its Pulumi config. */
export function readStackSettings(config = new pulumi.Config(), stack = pulumi.getStack()): StackSettings {
  const email = config.get('notificationEmail');
  if (!email) throw new SettingsError('config notificationEmail is required: pulumi config set notificationEmail you@example.com');
  return checkSettings({
    prefix: resourcePrefix(stack),
    authorizer: (config.get('authorizer') ?? DEFAULTS.authorizer) as AuthorizerMode,
    authScheme: (config.get('authScheme') ?? DEFAULTS.authScheme) as AuthScheme,
    notificationEmail: email,
    waitSeconds: config.getNumber('waitSeconds') ?? DEFAULTS.waitSeconds,
    architecture: (config.get('architecture') ?? DEFAULTS.architecture) as Architecture,
    logRetentionDays: config.getNumber('logRetentionDays') ?? DEFAULTS.logRetentionDays,
    authorizerTtlSeconds: config.getNumber('authorizerTtlSeconds') ?? DEFAULTS.authorizerTtlSeconds,
    logLevel: (config.get('logLevel') ?? DEFAULTS.logLevel) as LogLevel,
    corsAllowOrigin: config.get('corsAllowOrigin') ?? DEFAULTS.corsAllowOrigin,
    throttleRateLimit: config.getNumber('throttleRateLimit') ?? DEFAULTS.throttleRateLimit,
    throttleBurstLimit: config.getNumber('throttleBurstLimit') ?? DEFAULTS.throttleBurstLimit,
    manageApiGatewayAccount: config.getBoolean('manageApiGatewayAccount') ?? DEFAULTS.manageApiGatewayAccount,
    settings: stringRecord('settings', config.getObject<Record<string, unknown>>('settings')),
    secretSettings: secretRecord('secretSettings', config.getObject<Record<string, unknown>>('secretSettings')),
    artifactsDir: path.resolve(workspaceRoot(pulumi.runtime.getRootDirectory() || process.cwd()), config.get('artifactsDir') ?? DEFAULTS.artifactsDir),
  });
}

function stringRecord(key: string, value: Record<string, unknown> | undefined): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SettingsError(`config ${key} must be an object of NAME: value`);
  return Object.fromEntries(
    Object.entries(value).map(([name, v]) => {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw new SettingsError(`config ${key}.${name} must be a string`);
      }
      return [name, String(v)];
    }),
  );
}

/**
 * Secret config values, each made a secret output. The program holds its config in plain text
 * (`getSecretObject` only marks it), so the names can be checked at start; the values leave
 * this function only as secrets.
 */
function secretRecord(key: string, value: Record<string, unknown> | undefined): Record<string, pulumi.Output<string>> {
  return Object.fromEntries(Object.entries(stringRecord(key, value)).map(([name, v]) => [name, pulumi.secret(v)]));
}

/** The Nx workspace holding the Pulumi project: the nearest directory up from `from` with an nx.json. */
export function workspaceRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    if (path.dirname(dir) === dir) throw new SettingsError(`no Nx workspace (nx.json) above ${from}`);
  }
}
