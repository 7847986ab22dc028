import { dynamoDbCalls, snsCalls, sqsCalls, stepFunctionsCalls } from './calls';
import { parseRequest } from './local-iam';
import { accessDeniedMessage, refusal } from './refusals';

// What IAM authorizes for each request, per AWS's service authorization reference: the action
// is <service>:<Operation> (a batch as its single form for SQS and SNS; BatchWriteItem keeps its
// own name), on the resource the request names, one call per table or item of a batch or transaction.

const scope = { region: 'eu-west-1', accountId: '123456789012' };
const table = (name: string) => `arn:aws:dynamodb:eu-west-1:123456789012:table/${name}`;

describe('the IAM calls of a request', () => {
  it('DynamoDB: the table, or the index a Query names; one call per table of a batch; each item of a transaction as its own action', () => {
    expect(dynamoDbCalls('PutItem', { TableName: 'orders' }, scope)).toEqual([{ action: 'dynamodb:PutItem', resource: table('orders') }]);
    expect(dynamoDbCalls('Query', { TableName: 'orders', IndexName: 'by_created_at' }, scope)).toEqual([
      { action: 'dynamodb:Query', resource: `${table('orders')}/index/by_created_at` },
    ]);
    expect(dynamoDbCalls('GetItem', { TableName: table('orders') }, scope)).toEqual([{ action: 'dynamodb:GetItem', resource: table('orders') }]);
    expect(dynamoDbCalls('BatchWriteItem', { RequestItems: { a: [], b: [] } }, scope)).toEqual([
      { action: 'dynamodb:BatchWriteItem', resource: table('a') },
      { action: 'dynamodb:BatchWriteItem', resource: table('b') },
    ]);
    expect(dynamoDbCalls('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'a' } }, { Delete: { TableName: 'b' } }, { ConditionCheck: { TableName: 'a' } }] }, scope)).toEqual([
      { action: 'dynamodb:PutItem', resource: table('a') },
      { action: 'dynamodb:DeleteItem', resource: table('b') },
      { action: 'dynamodb:ConditionCheckItem', resource: table('a') },
    ]);
    expect(dynamoDbCalls('ListTables', {}, scope)).toEqual([{ action: 'dynamodb:ListTables', resource: '*' }]);
  });

  it('SQS: the queue’s ARN from its URL, a batch as its single action, a queue by name for CreateQueue', () => {
    const arn = 'arn:aws:sqs:eu-west-1:123456789012:orders';
    expect(sqsCalls('SendMessageBatch', { QueueUrl: 'http://127.0.0.1:4566/123456789012/orders' }, '/', scope)).toEqual([{ action: 'sqs:SendMessage', resource: arn }]);
    expect(sqsCalls('DeleteMessageBatch', { QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders' }, '/', scope)).toEqual([
      { action: 'sqs:DeleteMessage', resource: arn },
    ]);
    // The query protocol may name the queue by the request's path.
    expect(sqsCalls('ReceiveMessage', {}, '/123456789012/orders', scope)).toEqual([{ action: 'sqs:ReceiveMessage', resource: arn }]);
    expect(sqsCalls('CreateQueue', { QueueName: 'orders' }, '/', scope)).toEqual([{ action: 'sqs:CreateQueue', resource: arn }]);
    expect(sqsCalls('ListQueues', {}, '/', scope)).toEqual([{ action: 'sqs:ListQueues', resource: '*' }]);
  });

  it('SNS and Step Functions: the topic, the state machine or the execution the request names', () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:events';
    expect(snsCalls('Publish', new URLSearchParams({ TopicArn: topic }), scope)).toEqual([{ action: 'sns:Publish', resource: topic }]);
    expect(snsCalls('PublishBatch', new URLSearchParams({ TopicArn: topic }), scope)).toEqual([{ action: 'sns:Publish', resource: topic }]);
    expect(snsCalls('CreateTopic', new URLSearchParams({ Name: 'events' }), scope)).toEqual([{ action: 'sns:CreateTopic', resource: topic }]);
    const machine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:wf';
    const execution = 'arn:aws:states:eu-west-1:123456789012:execution:wf:o-1';
    expect(stepFunctionsCalls('StartExecution', { stateMachineArn: machine }, scope)).toEqual([{ action: 'states:StartExecution', resource: machine }]);
    expect(stepFunctionsCalls('DescribeExecution', { executionArn: execution }, scope)).toEqual([{ action: 'states:DescribeExecution', resource: execution }]);
  });

  it('reads the operation from X-Amz-Target (JSON) or the Action field (query), SQS and SNS on one endpoint', () => {
    const json = (target: string) => ({ headers: { 'x-amz-target': target }, url: '/' });
    expect(parseRequest('sqs', json('AmazonSQS.SendMessage'), Buffer.from('{"QueueUrl":"http://h/123456789012/q"}'), scope)).toMatchObject({
      service: 'sqs',
      protocol: 'json',
      calls: [{ action: 'sqs:SendMessage', resource: 'arn:aws:sqs:eu-west-1:123456789012:q' }],
    });
    expect(parseRequest('sns', { headers: {}, url: '/' }, Buffer.from('Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aeu-west-1%3A123456789012%3Ae'), scope)).toMatchObject({
      service: 'sns',
      protocol: 'query',
      calls: [{ action: 'sns:Publish', resource: 'arn:aws:sns:eu-west-1:123456789012:e' }],
    });
    expect(parseRequest('dynamodb', json('DynamoDB_20120810.PutItem'), Buffer.from('not json'), scope)).toBeUndefined();
  });
});

describe('the refusals', () => {
  const principal = 'arn:aws:sts::123456789012:assumed-role/r/f';
  it('write the action as each service does: dynamodb:PutItem, sqs:sendmessage, SNS:Publish', () => {
    expect(accessDeniedMessage('dynamodb', principal, 'dynamodb:PutItem', table('t'))).toBe(
      `User: ${principal} is not authorized to perform: dynamodb:PutItem on resource: ${table('t')} because no identity-based policy allows the dynamodb:PutItem action`,
    );
    expect(accessDeniedMessage('sqs', principal, 'sqs:SendMessage', 'q')).toContain('perform: sqs:sendmessage on resource: q because no identity-based policy allows the sqs:sendmessage action');
    expect(accessDeniedMessage('sns', principal, 'sns:Publish', 't')).toContain('perform: SNS:Publish on resource: t');
  });

  it('answer in the protocol of the request: JSON with coral’s type, or the query protocol’s XML', () => {
    const dynamo = refusal({ service: 'dynamodb', protocol: 'json' }, 'access-denied', 'no');
    expect(dynamo.status).toBe(400);
    expect(JSON.parse(dynamo.body)).toEqual({ __type: 'com.amazon.coral.service#AccessDeniedException', Message: 'no' });
    const sqs = refusal({ service: 'sqs', protocol: 'json' }, 'access-denied', 'no');
    expect(sqs.status).toBe(403);
    expect(sqs.headers['x-amzn-query-error']).toBe('AccessDenied;Sender');
    const sns = refusal({ service: 'sns', protocol: 'query' }, 'access-denied', 'a < b');
    expect(sns.status).toBe(403);
    expect(sns.body).toMatch(/<Code>AuthorizationError<\/Code><Message>a &lt; b<\/Message>/);
  });
});
