import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { LOCAL_AWS, localTableEnv, startLocalDynamoDb, type LocalDynamoDb } from '@serverless-orders/testing';

export interface Notification {
  readonly Subject?: string;
  readonly Message: string;
}

/**
 * The real local servers behind the workflow's task functions: dynalite with the orders
 * table, and fauxqs with the order topic, a queue subscribed to it to read the notifications
 * back, and the environment that points the task bundles at them.
 */
export interface LocalPipeline {
  readonly db: LocalDynamoDb;
  readonly tableName: string;
  readonly topicArn: string;
  readonly env: Record<string, string>;
  /** Notifications whose message names `orderId`, once at least `count` arrived (or about `waitSeconds` ran out). */
  notificationsFor(orderId: string, count?: number, waitSeconds?: number): Promise<Notification[]>;
  close(): Promise<void>;
}

export async function startLocalPipeline(): Promise<LocalPipeline> {
  const db = await startLocalDynamoDb();
  const tableName = await db.createOrdersTable();
  const sns: FauxqsServer = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  const { topicArn } = sns.createTopic('order-notifications');
  const { queueUrl } = sns.createQueue('notification-reader');
  sns.subscribe({ topic: 'order-notifications', queue: 'notification-reader' });
  const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: sns.address });
  const received: Notification[] = [];

  return {
    db,
    tableName,
    topicArn,
    env: { ...localTableEnv(db, tableName), ORDER_TOPIC_ARN: topicArn, AWS_ENDPOINT_URL_SNS: sns.address },
    async notificationsFor(orderId, count = 1, waitSeconds = 20) {
      const mine = () => received.filter((n) => n.Message.includes(orderId));
      for (let i = 0; i <= waitSeconds && mine().length < count; i++) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: i === 0 ? 0 : 1 }));
        for (const m of Messages) {
          received.push(JSON.parse(m.Body ?? '{}') as Notification);
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
        }
      }
      return mine();
    },
    async close() {
      sqs.destroy();
      await sns.stop();
      await db.close();
    },
  };
}
