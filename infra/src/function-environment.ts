import { authorizerIdentityHeader, settingsFor, type AuthScheme } from '@serverless-orders/auth-domain';
import { FUNCTIONS, type FunctionDefinition, type Setting } from '@serverless-orders/function-catalogue';
import { SettingsError, type LogLevel, type StackSettings } from './stack-settings';

/** API Gateway's identity source for the Lambda authorizer: defined once, beside the authorizer's settings, for infra and the local gateway. */
export { authorizerIdentityHeader } from '@serverless-orders/auth-domain';

/**
 * A function's environment, from its catalogue settings: a resource the system creates fills
 * a `from: <resource>` setting; the stack's config fills a `from: 'config'` one. A required
 * setting with no value fails the program, naming the setting and the config key to set.
 */

/** The values of the resources a setting can come from. */
export type ResourceValues = { readonly [K in Exclude<Setting['from'], 'config'>]?: string };

/**
 * The values of the catalogue's `from: 'config'` settings for a stack: its `settings`, with
 * CORS_ALLOW_ORIGIN from `corsAllowOrigin` unless `settings` names it (so the functions'
 * answers carry the origin API Gateway's own answers carry), and AUTH_SCHEME from `authScheme`.
 */
export function configSettingValues(
  stack: Pick<StackSettings, 'settings' | 'corsAllowOrigin' | 'authScheme' | 'waitSeconds'>,
): Record<string, string> {
  return {
    CORS_ALLOW_ORIGIN: stack.corsAllowOrigin,
    // The reconciler looks at an order left unchanged for longer than its workflow's Wait plus ten minutes.
    RECONCILE_AFTER_SECONDS: String(stack.waitSeconds + 600),
    ...stack.settings,
    AUTH_SCHEME: stack.authScheme,
  };
}

/**
 * Variables every function gets, for Powertools. No NODE_OPTIONS=--enable-source-maps: the
 * bundles map their own stack traces from the map beside them, only when one is printed.
 */
function runtimeEnvironment(app: string, logLevel: LogLevel): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: app,
    POWERTOOLS_LOG_LEVEL: logLevel,
  };
}

export function functionEnvironment(
  fn: Pick<FunctionDefinition, 'app' | 'settings'>,
  resources: ResourceValues,
  settings: Readonly<Record<string, string>>,
  logLevel: LogLevel,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const setting of fn.settings) {
    const value = setting.from === 'config' ? settings[setting.name] : resources[setting.from];
    if (value === undefined || value === '') {
      if (!setting.required) continue;
      throw new SettingsError(
        setting.from === 'config'
          ? `function ${fn.app} needs setting ${setting.name}: pulumi config set --path settings.${setting.name} <value>`
          : `function ${fn.app} needs setting ${setting.name}, from the ${setting.from}, which the system did not provide`,
      );
    }
    env[setting.name] = value;
  }
  return { ...env, ...runtimeEnvironment(fn.app, logLevel) };
}

/** What the system provides to the authorizer by itself: its own user pool and client, for the cognito scheme. */
export interface AuthorizerDefaults {
  readonly COGNITO_USER_POOL_ID: string;
  readonly COGNITO_CLIENT_ID: string;
}

/**
 * The authorizer's scheme settings (names published by the auth domain): from the stack's
 * config (plain or secret) first, else from the system's own user pool for the cognito
 * scheme. Only the chosen scheme's settings are set.
 */
export function authorizerSchemeEnvironment(
  scheme: AuthScheme,
  settings: Readonly<Record<string, string>>,
  defaults: AuthorizerDefaults,
): Record<string, string> {
  const derived: Readonly<Record<string, string>> = scheme === 'cognito' ? { ...defaults } : {};
  const env: Record<string, string> = {};
  for (const doc of settingsFor(scheme)) {
    const value = doc.name === 'AUTH_SCHEME' ? scheme : (settings[doc.name] ?? derived[doc.name]);
    if (value === undefined || value === '') {
      if (!doc.required) continue;
      throw new SettingsError(
        `the ${scheme} authorizer scheme needs setting ${doc.name} (${doc.description}): ` +
          `pulumi config set --path settings.${doc.name} <value>` +
          ' (--secret and secretSettings.<NAME> for a secret)',
      );
    }
    env[doc.name] = value;
  }
  return env;
}

/** The functions a stack deploys: the catalogue, but the Lambda authorizer only when the stack uses it. */
export function deployedFunctions(stack: Pick<StackSettings, 'authorizer'>): ReadonlyArray<(typeof FUNCTIONS)[number]> {
  return FUNCTIONS.filter((f) => f.trigger.kind !== 'authorizer' || stack.authorizer === 'lambda');
}

/** Stand-ins for the values of the resources the system creates, for checks that run before any exists. */
const RESOURCES_TO_BE: Required<ResourceValues> = {
  'table-name': '<the orders table>',
  'idempotency-table-name': '<the idempotency table>',
  'state-machine-arn': '<the order workflow>',
  'topic-arn': '<the notifications topic>',
  'dead-letter-queue-url': '<the dead-letter queue>',
};

/**
 * Everything the functions' environments need from the stack's config, checked before any
 * resource is registered, so that a setting missing or invalid stops `pulumi up` before it
 * creates anything, with one message naming it. The same functions build the environments
 * later, from the resources' real values.
 */
export function checkDeploymentSettings(stack: StackSettings): void {
  const configSettings = configSettingValues(stack);
  for (const fn of deployedFunctions(stack)) functionEnvironment(fn, RESOURCES_TO_BE, configSettings, stack.logLevel);
  if (stack.authorizer !== 'lambda') return;

  // The header is API Gateway's identity source, which the API's definition names in the clear:
  // taken from the secrets, the function would read it while API Gateway still asked for Authorization.
  if ('SHARED_SECRET_HEADER' in stack.secretSettings) {
    throw new SettingsError(
      'config secretSettings.SHARED_SECRET_HEADER: a header name is not a secret, and API Gateway must know it to pass the header on; ' +
        'set settings.SHARED_SECRET_HEADER instead (pulumi config set --path settings.SHARED_SECRET_HEADER <name>)',
    );
  }
  // The authorizer's scheme settings, from plain and secret config (only their names are needed here).
  const secretNames = Object.fromEntries(Object.keys(stack.secretSettings).map((name) => [name, '<secret>']));
  authorizerSchemeEnvironment(
    stack.authScheme,
    { ...stack.settings, ...secretNames },
    { COGNITO_USER_POOL_ID: '<the stack user pool>', COGNITO_CLIENT_ID: '<the stack user pool client>' },
  );
  try {
    authorizerIdentityHeader(stack.authScheme, stack.settings);
  } catch (e) {
    throw new SettingsError(`config settings.SHARED_SECRET_HEADER: ${(e as Error).message}`);
  }
}
