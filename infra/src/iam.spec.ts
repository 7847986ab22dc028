import { sqsIntegrationUri, routeSourceArn } from './api-document';
import { apiGatewayLoggingPolicy, functionPolicy, parseArn, workflowPolicy } from './iam';

describe('IAM documents', () => {
  const logGroup = 'arn:aws-cn:logs:cn-north-1:111122223333:log-group:/aws/lambda/orders-dev-get-orders';

  it('a function policy needs the ARN of each resource its permissions name, and only those', () => {
    expect(() => functionPolicy({ permissions: ['workflow:start'] }, logGroup, {})).toThrow('permission workflow:start needs the stateMachine ARN');
    const policy = functionPolicy({ permissions: ['topic:publish'] }, logGroup, { topic: 'arn:topic' });
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['Logs', 'Tracing', 'TopicPublish']);
    expect(policy.Statement[0].Resource).toEqual([`${logGroup}:*`]);
  });

  it('the workflow invokes each task function once, whatever the order', () => {
    expect(workflowPolicy(['arn:b', 'arn:a', 'arn:b']).Statement[0]).toEqual({
      Sid: 'InvokeTasks',
      Effect: 'Allow',
      Action: ['lambda:InvokeFunction'],
      Resource: ['arn:a', 'arn:b'],
    });
  });

  it("API Gateway's logging role is scoped to this account's and region's log groups, in any partition", () => {
    expect(apiGatewayLoggingPolicy(logGroup).Statement[0].Resource).toEqual([
      'arn:aws-cn:logs:cn-north-1:111122223333:log-group:*',
      'arn:aws-cn:logs:cn-north-1:111122223333:log-group:*:log-stream:*',
    ]);
  });

  it('parses ARNs, resource parts with colons included', () => {
    expect(parseArn(logGroup)).toEqual({
      partition: 'aws-cn',
      service: 'logs',
      region: 'cn-north-1',
      account: '111122223333',
      resource: 'log-group:/aws/lambda/orders-dev-get-orders',
    });
    expect(() => parseArn('orders-queue')).toThrow(/not an ARN/);
  });
});

describe('API Gateway ARNs', () => {
  it('integrates SQS by the queue ARN: partition, region, account and name', () => {
    expect(sqsIntegrationUri('arn:aws-us-gov:sqs:us-gov-west-1:111122223333:orders-dev-orders-1a2b')).toBe(
      'arn:aws-us-gov:apigateway:us-gov-west-1:sqs:path/111122223333/orders-dev-orders-1a2b',
    );
  });

  it('scopes a Lambda permission to one route on one stage', () => {
    const api = 'arn:aws:execute-api:eu-west-1:111122223333:a1b2c3';
    expect(routeSourceArn(api, 'dev', 'delete', '/order/{userId}/id/{id}')).toBe(`${api}/dev/DELETE/order/*/id/*`);
    expect(routeSourceArn(api, 'dev', 'GET', '/orders')).toBe(`${api}/dev/GET/orders`);
  });
});
