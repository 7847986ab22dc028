import type { FunctionDefinition } from '@serverless-orders/function-catalogue';
import { functionCredentials } from '@serverless-orders/local-aws';

/** The local roles' names start with this, as infra's start with `orders-<stack>`: `<prefix>-<function>-role`. */
export const ROLE_PREFIX = 'serverless-orders-local';

/** The resources the stack created and the local endpoints that serve them. */
export interface StackResources {
  readonly region: string;
  readonly tableName: string;
  readonly idempotencyTableName: string;
  readonly stateMachineArn: string;
  readonly topicArn: string;
  readonly deadLetterQueueUrl: string;
  readonly endpoints: {
    readonly dynamodb: string;
    readonly sqs: string;
    readonly sns: string;
    readonly sfn: string;
    readonly cognito: string;
  };
}

export class MissingSettingError extends Error {
  constructor(app: string, setting: string) {
    super(`function ${app} needs the setting ${setting}; give it with --env ${app}:${setting}=<value>`);
    this.name = 'MissingSettingError';
  }
}

/**
 * A function's environment, as Lambda would give it: the runtime's own variables, its role's
 * credentials (the local ones of that role: the local services evaluate each call made with
 * them against the role's policy), the SDK pointed at the local endpoints through AWS_ENDPOINT_URL_<SERVICE>, and
 * each setting of the catalogue filled from the resource it names or from configuration.
 * `config` holds values for `from: 'config'` settings; `overrides` (per function) win over everything.
 */
export function functionEnvironment(
  fn: FunctionDefinition,
  resources: StackResources,
  config: Readonly<Record<string, string>>,
  overrides: Readonly<Record<string, string>> = {},
  logLevel = 'INFO',
): Record<string, string> {
  const credentials = functionCredentials(ROLE_PREFIX, fn.app);
  const env: Record<string, string> = {
    AWS_REGION: resources.region,
    AWS_DEFAULT_REGION: resources.region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_ENDPOINT_URL_DYNAMODB: resources.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: resources.endpoints.sqs,
    AWS_ENDPOINT_URL_SNS: resources.endpoints.sns,
    AWS_ENDPOINT_URL_SFN: resources.endpoints.sfn,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: resources.endpoints.cognito,
    AWS_LAMBDA_FUNCTION_NAME: fn.app,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.app}`,
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    AWS_EC2_METADATA_DISABLED: 'true',
    _HANDLER: 'main.handler',
    TZ: 'UTC',
    NODE_OPTIONS: '--enable-source-maps',
    POWERTOOLS_SERVICE_NAME: fn.app,
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: logLevel,
  };
  for (const setting of fn.settings) {
    const value = overrides[setting.name] ?? settingValue(setting.from, setting.name, resources, config);
    if (value !== undefined) env[setting.name] = value;
    else if (setting.required) throw new MissingSettingError(fn.app, setting.name);
  }
  return { ...env, ...overrides };
}

function settingValue(from: FunctionDefinition['settings'][number]['from'], name: string, r: StackResources, config: Readonly<Record<string, string>>) {
  switch (from) {
    case 'table-name':
      return r.tableName;
    case 'idempotency-table-name':
      return r.idempotencyTableName;
    case 'dead-letter-queue-url':
      return r.deadLetterQueueUrl;
    case 'state-machine-arn':
      return r.stateMachineArn;
    case 'topic-arn':
      return r.topicArn;
    case 'config':
      return config[name];
  }
}
