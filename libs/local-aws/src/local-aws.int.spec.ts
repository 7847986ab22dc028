import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { LOCAL_AWS } from './credentials';
import { ensureOrdersTable, startDynamoDb } from './dynamodb';
import { ensureQueues, NOTIFICATION_RETENTION_SECONDS, startMessaging, type LocalMessaging, type QueueResources } from './messaging';

// The local services as the SDK sees them, through their front doors on loopback.
//
// AWS behaviour pinned: a message received maxReceiveCount times without being deleted moves to
// the dead-letter queue named by the redrive policy, attributes kept; StartMessageMoveTask on a
// dead-letter queue moves its messages back to the queue whose redrive policy names it, as new
// messages (new MessageId) with body and attributes kept, and ListMessageMoveTasks reports the
// task COMPLETED with the count moved; StartMessageMoveTask on a queue that is no dead-letter
// queue is InvalidParameterValue. A message is deleted once it has been in its queue
// MessageRetentionPeriod seconds, counted from its first send even in the dead-letter queue, and
// from disk too. Queues, messages and tables outlive a restart on disk.

const names = { queue: 'orders', deadLetterQueue: 'orders-dlq', topic: 'order-events', notificationQueue: 'inbox' };
const settings = { visibilityTimeoutSeconds: 0, maxReceiveCount: 2, deadLetterRetentionSeconds: 3600 };
const attributes = { caller: { DataType: 'String', StringValue: 'alice' }, 'request-id': { DataType: 'String', StringValue: 'r-1' } };

/** Receives without hiding: every message stays visible, so a test can look and leave it be. */
async function receiveAll(sqs: SQSClient, url: string): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], WaitTimeSeconds: 0, VisibilityTimeout: 0 }));
  return Messages;
}

describe('local SQS: dead-letter queue and its redrive', () => {
  let messaging: LocalMessaging;
  let queues: QueueResources;
  let sqs: SQSClient;
  beforeAll(async () => {
    messaging = await startMessaging({});
    queues = await ensureQueues(messaging.endpoint, LOCAL_AWS.region, names, settings);
    sqs = new SQSClient({ ...LOCAL_AWS, endpoint: messaging.endpoint });
  });
  afterAll(async () => {
    sqs.destroy();
    await messaging.close();
  });

  it('names its queues with URLs the SDK accepts, at its own endpoint (a function sends to the dead-letter queue by its URL)', async () => {
    for (const url of [queues.orderQueueUrl, queues.deadLetterQueueUrl]) expect(new URL(url).origin).toBe(messaging.endpoint);
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: queues.deadLetterQueueUrl, MessageBody: 'probe' }))).resolves.toMatchObject({ MessageId: expect.any(String) });
    expect(await receiveAll(sqs, queues.deadLetterQueueUrl)).toHaveLength(1);
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queues.deadLetterQueueUrl }));
  });

  it('moves a message received maxReceiveCount times to the dead-letter queue, and StartMessageMoveTask brings it back as a new message', async () => {
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queues.orderQueueUrl, MessageBody: '{"item":"pizza"}', MessageAttributes: attributes }));
    for (let receive = 0; receive < settings.maxReceiveCount; receive++) expect(await receiveAll(sqs, queues.orderQueueUrl)).toHaveLength(1);
    expect(await receiveAll(sqs, queues.orderQueueUrl)).toHaveLength(0);

    const [dead] = await receiveAll(sqs, queues.deadLetterQueueUrl);
    expect(dead).toMatchObject({ Body: '{"item":"pizza"}', MessageAttributes: { caller: { StringValue: 'alice' }, 'request-id': { StringValue: 'r-1' } } });

    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: queues.deadLetterQueueArn }));
    expect(TaskHandle).toEqual(expect.any(String));
    await messaging.moveTasks.settle();
    const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: queues.deadLetterQueueArn }));
    expect(Results[0]).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 1, SourceArn: queues.deadLetterQueueArn });

    const back = await receiveAll(sqs, queues.orderQueueUrl);
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ Body: '{"item":"pizza"}', MessageAttributes: { caller: { StringValue: 'alice' }, 'request-id': { StringValue: 'r-1' } } });
    expect(back[0].MessageId).not.toBe(sent.MessageId);
    expect(await receiveAll(sqs, queues.deadLetterQueueUrl)).toHaveLength(0);
  });

  it('deletes a message once it has been in its queue MessageRetentionPeriod seconds, read or not', async () => {
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'short-lived', Attributes: { MessageRetentionPeriod: '60' } }));
    expect(QueueUrl).not.toBe('');
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'first' }));
    const sentAt = Date.now();
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(sentAt + 30_000);
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'second' }));
      expect((await receiveAll(sqs, QueueUrl)).map((m) => m.Body).sort()).toEqual(['first', 'second']);

      clock.mockReturnValue(sentAt + 61_000);
      expect((await receiveAll(sqs, QueueUrl)).map((m) => m.Body)).toEqual(['second']);
      clock.mockReturnValue(sentAt + 92_000);
      expect(await receiveAll(sqs, QueueUrl)).toHaveLength(0);
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
      expect(Attributes?.ApproximateNumberOfMessages).toBe('0');
    } finally {
      clock.mockRestore();
    }
  });

  it('deletes a message in flight once it is MessageRetentionPeriod seconds old: it does not come back when its visibility ends', async () => {
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'short-lived-in-flight', Attributes: { MessageRetentionPeriod: '60' } }));
    expect(QueueUrl).not.toBe('');
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'held' }));
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 600, WaitTimeSeconds: 0 }));
    expect(Messages.map((m) => m.Body)).toEqual(['held']);
    const sentAt = Date.now();
    const clock = jest.spyOn(Date, 'now');
    const inFlight = async () =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }))).Attributes?.ApproximateNumberOfMessagesNotVisible;
    try {
      clock.mockReturnValue(sentAt + 30_000);
      expect(await receiveAll(sqs, QueueUrl)).toHaveLength(0);
      expect(await inFlight()).toBe('1');

      clock.mockReturnValue(sentAt + 61_000);
      expect(await receiveAll(sqs, QueueUrl)).toHaveLength(0);
      expect(await inFlight()).toBe('0');
      clock.mockReturnValue(sentAt + 700_000);
      expect(await receiveAll(sqs, QueueUrl)).toHaveLength(0);
    } finally {
      clock.mockRestore();
    }
  });

  // SQS: "the expiration of a message is always based on its original enqueue timestamp. When a
  // message is moved to a dead-letter queue, the enqueue timestamp stays the same."
  it('counts a dead-lettered message\'s retention from when it was first sent, not from its move to the dead-letter queue', async () => {
    const own = await ensureQueues(messaging.endpoint, LOCAL_AWS.region, { queue: 'aged', deadLetterQueue: 'aged-dlq', topic: 'aged-events', notificationQueue: 'aged-inbox' }, settings);
    await sqs.send(new SendMessageCommand({ QueueUrl: own.orderQueueUrl, MessageBody: 'late' }));
    const sentAt = Date.now();
    const clock = jest.spyOn(Date, 'now');
    try {
      // Moved 3,000 s after it was sent: the dead-letter queue keeps messages 3,600 s.
      clock.mockReturnValue(sentAt + 3_000_000);
      for (let receive = 0; receive < settings.maxReceiveCount; receive++) expect(await receiveAll(sqs, own.orderQueueUrl)).toHaveLength(1);
      expect(await receiveAll(sqs, own.orderQueueUrl)).toHaveLength(0);
      clock.mockReturnValue(sentAt + 3_500_000);
      expect((await receiveAll(sqs, own.deadLetterQueueUrl)).map((m) => m.Body)).toEqual(['late']);

      // 3,601 s after it was sent, 601 s after its move.
      clock.mockReturnValue(sentAt + (settings.deadLetterRetentionSeconds + 1) * 1000);
      expect(await receiveAll(sqs, own.deadLetterQueueUrl)).toHaveLength(0);
    } finally {
      clock.mockRestore();
    }
  });

  it('keeps the local inbox of notifications NOTIFICATION_RETENTION_SECONDS', async () => {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues.notificationQueueUrl, AttributeNames: ['MessageRetentionPeriod'] }));
    expect(Attributes?.MessageRetentionPeriod).toBe(String(NOTIFICATION_RETENTION_SECONDS));
  });

  it('refuses a move task from a queue that is no dead-letter queue, and one from a queue that does not exist, naming the problem', async () => {
    await expect(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: queues.orderQueueArn }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringMatching(/Dead Letter Queue/),
    });
    await expect(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: `${queues.orderQueueArn}-missing` }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});

describe('local services on disk', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'local-aws-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps queued messages across a restart of SQS with the same data directory', async () => {
    const first = await startMessaging({ dataDir: path.join(dir, 'sqs') });
    const queues = await ensureQueues(first.endpoint, LOCAL_AWS.region, names, settings);
    const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: first.endpoint });
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.orderQueueUrl, MessageBody: 'kept', MessageAttributes: attributes }));
    sqs.destroy();
    await first.close();

    const second = await startMessaging({ dataDir: path.join(dir, 'sqs') });
    const again = await ensureQueues(second.endpoint, LOCAL_AWS.region, names, settings);
    const sqs2 = new SQSClient({ ...LOCAL_AWS, endpoint: second.endpoint });
    try {
      const messages = await receiveAll(sqs2, again.orderQueueUrl);
      expect(messages.map((m) => [m.Body, m.MessageAttributes?.caller?.StringValue])).toEqual([['kept', 'alice']]);
    } finally {
      sqs2.destroy();
      await second.close();
    }
  });

  it('deletes an expired message from disk too: it does not come back after a restart', async () => {
    const dataDir = path.join(dir, 'sqs-retention');
    const first = await startMessaging({ dataDir });
    const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: first.endpoint });
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'short-lived', Attributes: { MessageRetentionPeriod: '60' } }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'expired' }));
    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 61_000);
    try {
      expect(await receiveAll(sqs, QueueUrl)).toHaveLength(0);
    } finally {
      clock.mockRestore();
      sqs.destroy();
      await first.close();
    }

    // Back at the real time, a message still on disk would be 60 s from expiring, and received.
    const second = await startMessaging({ dataDir });
    const sqs2 = new SQSClient({ ...LOCAL_AWS, endpoint: second.endpoint });
    try {
      const { QueueUrl: again = '' } = await sqs2.send(new GetQueueUrlCommand({ QueueName: 'short-lived' }));
      expect(again).not.toBe('');
      expect(await receiveAll(sqs2, again)).toHaveLength(0);
    } finally {
      sqs2.destroy();
      await second.close();
    }
  });

  it('keeps tables and items across a restart of DynamoDB with the same path, and creates the orders table only once', async () => {
    const first = await startDynamoDb({ path: path.join(dir, 'dynamodb') });
    try {
      // Created and ACTIVE: a write right after succeeds (a CREATING table refuses it, in AWS too).
      expect(await ensureOrdersTable(first.client, 'orders')).toBe(true);
      await first.client.send(new PutItemCommand({ TableName: 'orders', Item: { user_id: { S: 'alice' }, id: { S: 'o-1' } } }));
    } finally {
      await first.close();
    }

    const second = await startDynamoDb({ path: path.join(dir, 'dynamodb') });
    try {
      expect(await ensureOrdersTable(second.client, 'orders')).toBe(false);
      const { Item } = await second.client.send(new GetItemCommand({ TableName: 'orders', Key: { user_id: { S: 'alice' }, id: { S: 'o-1' } } }));
      expect(Item).toEqual({ user_id: { S: 'alice' }, id: { S: 'o-1' } });
    } finally {
      await second.close();
    }
  });
});
