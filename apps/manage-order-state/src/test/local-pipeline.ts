import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ensureQueues, startMessaging, type LocalMessaging } from '@serverless-orders/local-aws';
import { LOCAL_AWS, localTableEnv, startLocalDynamoDb, type LocalDynamoDb } from '@serverless-orders/testing';

export interface Notification {
  readonly Subject?: string;
  readonly Message: string;
  readonly MessageAttributes?: Record<string, { Value: string }>;
}

/**
 * The real local services behind the workflow's task functions: the local DynamoDB with the
 * orders and idempotency tables, the local SNS with the order topic and a queue subscribed to
 * it to read the notifications back, the simulated providers' ledgers, and the environment that
 * points the task bundles at them.
 */
export interface LocalPipeline {
  readonly db: LocalDynamoDb;
  readonly tableName: string;
  readonly topicArn: string;
  /** manage-order-state's environment. */
  readonly env: Record<string, string>;
  /** A provider task's environment: its idempotency table and its ledger directory. */
  providerEnv(prefix: 'PAYMENT' | 'RESTAURANT', settings?: Record<string, string>): Record<string, string>;
  /** What a provider did, once per idempotency key: the files of its ledger. */
  ledgerEntries(prefix: 'PAYMENT' | 'RESTAURANT'): number;
  /** Notifications whose message names `orderId`, once at least `count` arrived (or about `waitSeconds` ran out). */
  notificationsFor(orderId: string, count?: number, waitSeconds?: number): Promise<Notification[]>;
  close(): Promise<void>;
}

export async function startLocalPipeline(): Promise<LocalPipeline> {
  const db = await startLocalDynamoDb();
  const tableName = await db.createOrdersTable();
  const idempotencyTable = await db.createIdempotencyTable();
  const messaging: LocalMessaging = await startMessaging({});
  const names = { queue: 'unused-orders', deadLetterQueue: 'unused-dlq', topic: 'order-notifications', notificationQueue: 'notification-reader' };
  const { topicArn, notificationQueueUrl } = await ensureQueues(messaging.endpoint, LOCAL_AWS.region, names, {
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 5,
    deadLetterRetentionSeconds: 3600,
  });
  const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: messaging.endpoint });
  const ledgers = mkdtempSync(join(tmpdir(), 'ledgers-'));
  const received: Notification[] = [];
  const common = { ...localTableEnv(db, tableName), AWS_ENDPOINT_URL_SNS: messaging.endpoint };

  return {
    db,
    tableName,
    topicArn,
    env: { ...common, ORDER_TOPIC_ARN: topicArn },
    providerEnv: (prefix, settings = {}) => ({
      ...common,
      IDEMPOTENCY_TABLE_NAME: idempotencyTable,
      AWS_LAMBDA_FUNCTION_NAME: prefix === 'PAYMENT' ? 'process-payment' : 'send-order',
      [`${prefix}_LEDGER_DIR`]: join(ledgers, prefix),
      ...settings,
    }),
    ledgerEntries: (prefix) => {
      try {
        return readdirSync(join(ledgers, prefix)).length;
      } catch {
        return 0;
      }
    },
    async notificationsFor(orderId, count = 1, waitSeconds = 20) {
      const mine = () => received.filter((n) => n.Message.includes(orderId));
      for (let i = 0; i <= waitSeconds && mine().length < count; i++) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: notificationQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: i === 0 ? 0 : 1 }));
        for (const m of Messages) {
          received.push(JSON.parse(m.Body ?? '{}') as Notification);
          await sqs.send(new DeleteMessageCommand({ QueueUrl: notificationQueueUrl, ReceiptHandle: m.ReceiptHandle }));
        }
      }
      return mine();
    },
    async close() {
      sqs.destroy();
      await messaging.close();
      await db.close();
      rmSync(ledgers, { recursive: true, force: true });
    },
  };
}
