import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { placeOrderIntegration } from '@serverless-orders/api-gateway';
import { ensureQueues, LOCAL_AWS, startMessaging, type LocalMessaging, type QueueResources } from '@serverless-orders/local-aws';
import { handleApiRequest, type ApiDependencies } from './apigateway/api';
import type { Authorization } from './apigateway/authorizers';
import { sqsQueryAction } from './apigateway/sqs-query-protocol';

/*
 * The local gateway runs infra's mapping template, not a copy of what it does: POST /orders is
 * rendered with the request template of libs/api-gateway (the one infra puts in the deployed
 * document) and sent to a real local SQS; change the template, and the queued message changes.
 *
 * AWS behaviour pinned: API Gateway's AWS integration sends what its request template renders
 * (here SQS SendMessage, form encoded), and nothing else of the client's request.
 */

const allowed: Authorization = { ok: true, authorizer: { claims: { sub: 'u-1' } }, principal: { sub: 'u-1' } };

describe('POST /orders through the mapping template, to a real local queue', () => {
  let messaging: LocalMessaging;
  let queues: QueueResources;
  let sqs: SQSClient;

  beforeAll(async () => {
    messaging = await startMessaging({});
    queues = await ensureQueues(messaging.endpoint, LOCAL_AWS.region, { queue: 'orders', deadLetterQueue: 'orders-dlq', topic: 'events', notificationQueue: 'inbox' }, {
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 3,
      deadLetterRetentionSeconds: 3600,
    });
    sqs = new SQSClient({ ...LOCAL_AWS, endpoint: messaging.endpoint });
  });

  afterAll(async () => {
    sqs?.destroy();
    await messaging?.close();
  });

  async function place(integration: ApiDependencies['queue']['integration']): Promise<Record<string, unknown>> {
    const deps: ApiDependencies = {
      stage: { apiId: 'abc123', stage: 'dev', accountId: '000000000000', region: LOCAL_AWS.region, domainName: '127.0.0.1' },
      authorizer: { kind: 'cognito', authorize: async () => allowed },
      invokeFunction: async () => ({ ok: true, payload: {} }),
      queue: { integration, call: (form, requestId) => sqsQueryAction(sqs, queues.orderQueueUrl, form, requestId) },
    };
    const { answer } = await handleApiRequest(
      {
        requestId: `r-${Math.random()}`,
        method: 'POST',
        path: '/orders',
        rawHeaders: ['Authorization', 'token', 'Content-Type', 'application/json'],
        query: '',
        body: '{"restaurant_id":"r-1","item":"pizza","quantity":2}',
        sourceIp: '127.0.0.1',
        time: new Date(),
      },
      deps,
    );
    expect(answer.status).toBe(202);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.orderQueueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 1 }));
    expect(Messages).toHaveLength(1);
    return JSON.parse(Messages[0].Body ?? '') as Record<string, unknown>;
  }

  it('queues what infra’s template renders: the client’s body as data, the caller as principal', async () => {
    expect(await place(placeOrderIntegration('cognito'))).toEqual({ data: { restaurant_id: 'r-1', item: 'pizza', quantity: 2 }, principal: { sub: 'u-1' } });
  });

  it('a changed template changes the queued message', async () => {
    const infra = placeOrderIntegration('cognito');
    const template = infra.requestTemplates['application/json'];
    expect(template).toContain(`'{"data":'`);
    const changed = { ...infra, requestTemplates: { 'application/json': template.replace(`'{"data":'`, `'{"order":'`) } };
    expect(await place(changed)).toEqual({ order: { restaurant_id: 'r-1', item: 'pizza', quantity: 2 }, principal: { sub: 'u-1' } });
  });
});
