import * as pulumi from '@pulumi/pulumi';
import { FUNCTIONS, functionDefinition } from '@serverless-orders/function-catalogue';
import {
  authorizerIdentityHeader,
  authorizerSchemeEnvironment,
  checkDeploymentSettings,
  configSettingValues,
  deployedFunctions,
  functionEnvironment,
} from './function-environment';
import { testSettings } from './test/topology';

const resources = {
  'table-name': 'orders-t',
  'idempotency-table-name': 'idempotency-t',
  'state-machine-arn': 'arn:sm',
  'topic-arn': 'arn:topic',
  'dead-letter-queue-url': 'https://sqs/dlq',
};
const defaults = { COGNITO_USER_POOL_ID: 'eu-west-1_Pool', COGNITO_CLIENT_ID: 'client-1' };

describe('functionEnvironment', () => {
  it('fills each catalogue setting from the resource it names, plus the runtime variables', () => {
    expect(functionEnvironment(functionDefinition('manage-order-state'), resources, {}, 'INFO')).toEqual({
      ORDERS_TABLE_NAME: 'orders-t',
      ORDER_TOPIC_ARN: 'arn:topic',
      POWERTOOLS_SERVICE_NAME: 'manage-order-state',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('fills config settings from the stack, and leaves an optional one out when unset', () => {
    const def = functionDefinition('process-payment');
    expect(functionEnvironment(def, resources, { PAYMENT_FAILURE_RATE: '0.1', OTHER: 'x' }, 'DEBUG')).toMatchObject({ PAYMENT_FAILURE_RATE: '0.1' });
    expect(functionEnvironment(def, resources, {}, 'DEBUG')).not.toHaveProperty('PAYMENT_FAILURE_RATE');
    expect(functionEnvironment(def, resources, { OTHER: 'x' }, 'DEBUG')).not.toHaveProperty('OTHER');
  });

  it('fails on a missing required setting, naming it and the config key', () => {
    expect(() => functionEnvironment(functionDefinition('authorizer'), resources, {}, 'INFO')).toThrow(
      'function authorizer needs setting AUTH_SCHEME: pulumi config set --path settings.AUTH_SCHEME <value>',
    );
    expect(() => functionEnvironment(functionDefinition('create-order'), { ...resources, 'state-machine-arn': undefined }, {}, 'INFO')).toThrow(
      /STATE_MACHINE_ARN, from the state-machine-arn/,
    );
  });
});

describe('configSettingValues', () => {
  const stack = { settings: { PAYMENT_FAILURE_RATE: '0.1' }, corsAllowOrigin: 'https://app.example.com', authScheme: 'cognito' as const, waitSeconds: 30 };

  it('gives the HTTP functions the stack\'s corsAllowOrigin as CORS_ALLOW_ORIGIN', () => {
    const values = configSettingValues(stack);
    expect(values).toEqual({ CORS_ALLOW_ORIGIN: 'https://app.example.com', RECONCILE_AFTER_SECONDS: '630', PAYMENT_FAILURE_RATE: '0.1', AUTH_SCHEME: 'cognito' });
    for (const app of ['get-orders', 'update-order', 'delete-order'] as const) {
      expect(functionEnvironment(functionDefinition(app), resources, values, 'INFO')).toMatchObject({
        CORS_ALLOW_ORIGIN: 'https://app.example.com',
      });
    }
    expect(functionEnvironment(functionDefinition('process-payment'), resources, values, 'INFO')).not.toHaveProperty('CORS_ALLOW_ORIGIN');
  });

  it('lets settings.CORS_ALLOW_ORIGIN override it, and AUTH_SCHEME is always the stack\'s authScheme', () => {
    expect(
      configSettingValues({ ...stack, settings: { CORS_ALLOW_ORIGIN: 'https://other.example.com', AUTH_SCHEME: 'oidc' } }),
    ).toEqual({ CORS_ALLOW_ORIGIN: 'https://other.example.com', RECONCILE_AFTER_SECONDS: '630', AUTH_SCHEME: 'cognito' });
  });
});

describe('authorizerSchemeEnvironment', () => {
  it('cognito: the system user pool and client unless config overrides them', () => {
    expect(authorizerSchemeEnvironment('cognito', {}, defaults)).toEqual({ AUTH_SCHEME: 'cognito', ...defaults });
    expect(authorizerSchemeEnvironment('cognito', { COGNITO_CLIENT_ID: 'a,b', COGNITO_GROUPS: 'admins' }, defaults)).toEqual({
      AUTH_SCHEME: 'cognito',
      COGNITO_USER_POOL_ID: 'eu-west-1_Pool',
      COGNITO_CLIENT_ID: 'a,b',
      COGNITO_GROUPS: 'admins',
    });
  });

  it('oidc: only its own settings, and a missing one is named', () => {
    expect(() => authorizerSchemeEnvironment('oidc', { OIDC_ISSUER: 'https://issuer' }, defaults)).toThrow(/OIDC_AUDIENCE/);
    expect(
      authorizerSchemeEnvironment('oidc', { OIDC_ISSUER: 'https://issuer', OIDC_AUDIENCE: 'api', COGNITO_CLIENT_ID: 'x' }, defaults),
    ).toEqual({ AUTH_SCHEME: 'oidc', OIDC_ISSUER: 'https://issuer', OIDC_AUDIENCE: 'api' });
  });

  it('shared-secret: the secret is required, and its header becomes the identity source', () => {
    expect(() => authorizerSchemeEnvironment('shared-secret', {}, defaults)).toThrow(/SHARED_SECRET/);
    expect(authorizerSchemeEnvironment('shared-secret', { SHARED_SECRET: 's'.repeat(20) }, defaults)).toEqual({
      AUTH_SCHEME: 'shared-secret',
      SHARED_SECRET: 's'.repeat(20),
    });
    expect(authorizerIdentityHeader('shared-secret', { SHARED_SECRET_HEADER: 'X-Api-Secret' })).toBe('X-Api-Secret');
    expect(authorizerIdentityHeader('shared-secret', {})).toBe('Authorization');
    expect(authorizerIdentityHeader('cognito', { SHARED_SECRET_HEADER: 'X-Api-Secret' })).toBe('Authorization');
    expect(() => authorizerIdentityHeader('shared-secret', { SHARED_SECRET_HEADER: 'bad header' })).toThrow(/not a header name/);
  });
});

describe('deployedFunctions', () => {
  it('deploys the Lambda authorizer only for a lambda stack', () => {
    expect(deployedFunctions({ authorizer: 'lambda' })).toEqual(FUNCTIONS);
    expect(deployedFunctions({ authorizer: 'cognito' }).map((f) => f.app)).toEqual(
      FUNCTIONS.filter((f) => f.app !== 'authorizer').map((f) => f.app),
    );
  });
});

describe('checkDeploymentSettings', () => {
  const lambda = testSettings('lambda', 'dev');
  const secret = { SHARED_SECRET: pulumi.secret('a-long-enough-shared-secret') };

  it("refuses a lambda stack its authorizer's scheme cannot run with, naming the setting", () => {
    expect(() => checkDeploymentSettings({ ...lambda, authScheme: 'oidc', settings: { OIDC_ISSUER: 'https://id.example.com' } })).toThrow(
      /needs setting OIDC_AUDIENCE/,
    );
    expect(() => checkDeploymentSettings({ ...lambda, authScheme: 'shared-secret' })).toThrow(/needs setting SHARED_SECRET /);
    expect(() =>
      checkDeploymentSettings({ ...lambda, authScheme: 'shared-secret', settings: { SHARED_SECRET_HEADER: 'X Secret' }, secretSettings: secret }),
    ).toThrow(/^config settings\.SHARED_SECRET_HEADER: .*not a header name/);
  });

  it("refuses the secret's header in secretSettings: API Gateway's identity source must name it", () => {
    // Else the identity source stays Authorization while the function reads the other header: every call a 401.
    expect(() =>
      checkDeploymentSettings({
        ...lambda,
        authScheme: 'shared-secret',
        secretSettings: { ...secret, SHARED_SECRET_HEADER: pulumi.secret('X-Orders-Secret') },
      }),
    ).toThrow(/^config secretSettings\.SHARED_SECRET_HEADER: .*set settings\.SHARED_SECRET_HEADER/);
  });

  it('takes a secret setting by its name alone, and the cognito scheme from the stack\'s own pool', () => {
    expect(() => checkDeploymentSettings({ ...lambda, authScheme: 'shared-secret', secretSettings: secret })).not.toThrow();
    expect(() => checkDeploymentSettings({ ...lambda, authScheme: 'cognito' })).not.toThrow();
  });

  it("ignores the Lambda authorizer's settings in a cognito stack, which does not deploy it", () => {
    expect(() => checkDeploymentSettings({ ...testSettings('cognito', 'dev'), authScheme: 'oidc' })).not.toThrow();
  });
});
