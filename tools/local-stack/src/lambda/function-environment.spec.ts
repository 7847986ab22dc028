import { FUNCTIONS, type FunctionDefinition } from '@serverless-orders/function-catalogue';
import { functionEnvironment, MissingSettingError, type StackResources } from './function-environment';

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

  it('points the SDK at the local endpoints with dummy credentials, as Lambda sets its variables', () => {
    expect(functionEnvironment(fn('get-orders'), resources, {})).toMatchObject({
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
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
