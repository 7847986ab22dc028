import { FUNCTIONS, type FunctionDefinition } from '@serverless-orders/function-catalogue';
import { functionCredentials, LOCAL_AWS } from '@serverless-orders/local-aws';
import { functionEnvironment, MissingSettingError, ROLE_PREFIX, type StackResources } from './function-environment';

const resources: StackResources = {
  region: 'eu-west-1',
  tableName: 'orders-local',
  idempotencyTableName: 'idempotency-local',
  deadLetterQueueUrl: 'http://q/000000000000/orders-dlq',
  stateMachineArn: 'arn:aws:states:eu-west-1:000000000000:stateMachine:order-workflow',
  topicArn: 'arn:aws:sns:eu-west-1:000000000000:order-notifications',
  endpoints: { dynamodb: 'http://d', sqs: 'http://q', sns: 'http://n', sfn: 'http://s', cognito: 'http://c' },
};
const fn = (app: string) => FUNCTIONS.find((f) => f.app === app) as FunctionDefinition;

describe('functionEnvironment', () => {
  it('fills each catalogue setting from the resource it names', () => {
    expect(functionEnvironment(fn('get-orders'), resources, {})).toMatchObject({ ORDERS_TABLE_NAME: 'orders-local' });
    expect(functionEnvironment(fn('create-order'), resources, {})).toMatchObject({
      STATE_MACHINE_ARN: resources.stateMachineArn,
      DEAD_LETTER_QUEUE_URL: resources.deadLetterQueueUrl,
    });
    expect(functionEnvironment(fn('process-payment'), resources, {})).toMatchObject({ IDEMPOTENCY_TABLE_NAME: 'idempotency-local' });
    expect(functionEnvironment(fn('manage-order-state'), resources, {})).toMatchObject({
      ORDERS_TABLE_NAME: 'orders-local',
      ORDER_TOPIC_ARN: resources.topicArn,
    });
  });

  it('gives each function its own role’s credentials, as Lambda does (key, secret and session token), and the same on every start', () => {
    const env = (app: string) => functionEnvironment(fn(app), resources, { AUTH_SCHEME: 'cognito' });
    const keys = FUNCTIONS.map((f) => env(f.app).AWS_ACCESS_KEY_ID);
    expect(new Set(keys).size).toBe(keys.length);
    expect(env('create-order')).toMatchObject({
      AWS_ACCESS_KEY_ID: functionCredentials(ROLE_PREFIX, 'create-order').accessKeyId,
      AWS_SECRET_ACCESS_KEY: functionCredentials(ROLE_PREFIX, 'create-order').secretAccessKey,
      AWS_SESSION_TOKEN: functionCredentials(ROLE_PREFIX, 'create-order').sessionToken,
    });
    expect(env('create-order').AWS_ACCESS_KEY_ID).toMatch(/^ASIA[0-9A-F]{16}$/);
    expect(env('create-order').AWS_ACCESS_KEY_ID).not.toBe(LOCAL_AWS.credentials.accessKeyId);
    // --env create-order:AWS_ACCESS_KEY_ID=local runs it as the administrator.
    expect(functionEnvironment(fn('create-order'), resources, {}, { AWS_ACCESS_KEY_ID: 'local' }).AWS_ACCESS_KEY_ID).toBe('local');
  });

  it('points the SDK at the local endpoints, as Lambda sets its variables', () => {
    expect(functionEnvironment(fn('get-orders'), resources, {})).toMatchObject({
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://d',
      AWS_ENDPOINT_URL_SQS: 'http://q',
      AWS_ENDPOINT_URL_SNS: 'http://n',
      AWS_ENDPOINT_URL_SFN: 'http://s',
      AWS_LAMBDA_FUNCTION_NAME: 'get-orders',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    });
  });

  it('takes config settings from configuration, and per-function overrides win', () => {
    const env = functionEnvironment(fn('process-payment'), resources, { PAYMENT_FAILURE_RATE: '0' }, { PAYMENT_FAILURE_RATE: '1' });
    expect(env.PAYMENT_FAILURE_RATE).toBe('1');
    expect(functionEnvironment(fn('process-payment'), resources, {}).PAYMENT_FAILURE_RATE).toBeUndefined();
  });

  it('names a required setting that has no value', () => {
    expect(() => functionEnvironment(fn('authorizer'), resources, {})).toThrow(MissingSettingError);
    expect(() => functionEnvironment(fn('authorizer'), resources, {})).toThrow('--env authorizer:AUTH_SCHEME=');
  });
});
