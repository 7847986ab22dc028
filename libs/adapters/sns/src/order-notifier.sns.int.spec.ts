import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { newOrder, transitionOrder } from '@serverless-orders/orders-domain';
import { LOCAL_AWS } from '@serverless-orders/testing';
import { SnsOrderNotifier } from './order-notifier.sns';

// SNS behaviour pinned: a standard (not raw) subscription delivers the JSON envelope with
// Subject, Message and MessageAttributes; publishing to a topic that does not exist is NotFound.
describe('SnsOrderNotifier, against fauxqs (SNS → SQS fan-out)', () => {
  let server: FauxqsServer;
  let sns: SNSClient;
  let sqs: SQSClient;
  let topicArn: string;
  let queueUrl: string;

  beforeAll(async () => {
    server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
    sns = new SNSClient({ ...LOCAL_AWS, endpoint: server.address });
    sqs = new SQSClient({ ...LOCAL_AWS, endpoint: server.address });
    ({ topicArn } = server.createTopic('order-notifications'));
    ({ queueUrl } = server.createQueue('notification-reader'));
    // A standard (not raw) subscription: the queue gets SNS's JSON envelope, as an email/HTTP subscriber would see Subject and Message.
    server.subscribe({ topic: 'order-notifications', queue: 'notification-reader' });
  });
  afterAll(async () => {
    sns.destroy();
    sqs.destroy();
    await server.stop();
  });

  async function readNotifications(count: number) {
    const bodies: { Subject?: string; Message: string; MessageAttributes?: Record<string, { Value: string }> }[] = [];
    for (let i = 0; i < 10 && bodies.length < count; i++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      bodies.push(...Messages.map((m) => JSON.parse(m.Body ?? '{}')));
    }
    return bodies;
  }

  it('publishes the subject and a message with order id, owner, status and reason', async () => {
    const placed = newOrder('6f1c2a8e-0000-4000-8000-000000000001', 'alice', { restaurant_id: 'r-1', item: 'pizza', quantity: 2 }, new Date());
    const failed = transitionOrder(placed, 'FAILURE', new Date(), 'Error processing payment');
    const succeeded = transitionOrder(transitionOrder({ ...placed, id: '6f1c2a8e-0000-4000-8000-000000000002' }, 'PAID', new Date()), 'SUCCESS', new Date());
    const notifier = new SnsOrderNotifier(sns, topicArn);

    await notifier.notifyFinalStatus(failed);
    await notifier.notifyFinalStatus(succeeded);

    const received = await readNotifications(2);
    expect(received).toHaveLength(2);
    const [first, second] = received.sort((a) => (a.Message.includes(failed.id) ? -1 : 1));
    expect(first.Subject).toBe('Your order failed (FAILURE)');
    expect(first.Message).toContain(`Order:  ${failed.id}`);
    expect(first.Message).toContain('Owner:  alice');
    expect(first.Message).toContain('Status: FAILURE');
    expect(first.Message).toContain('Reason: Error processing payment');
    expect(first.MessageAttributes?.order_status?.Value).toBe('FAILURE');
    // The same id on every repeat of this notification: subscribers drop repeats by it.
    expect(first.MessageAttributes?.deduplication_id?.Value).toBe(`${failed.id}:FAILURE`);
    expect(second.Subject).toBe('Your order is on its way (SUCCESS)');
    expect(second.Message).toContain(`Order:  ${succeeded.id}`);
  });

  it('fails loudly when the topic does not exist', async () => {
    const notifier = new SnsOrderNotifier(sns, topicArn.replace('order-notifications', 'no-such-topic'));
    const order = transitionOrder(newOrder('6f1c2a8e-0000-4000-8000-000000000003', 'bob', { restaurant_id: 'r', item: 'i', quantity: 1 }, new Date()), 'FAILURE', new Date(), 'x');
    await expect(notifier.notifyFinalStatus(order)).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});
