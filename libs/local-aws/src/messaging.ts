import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { buildApp } from 'fauxqs';
import { localCredentials } from '../aws-clients';
import { LOOPBACK, PortInUseError } from '../http/http-util';
import type { QueuePort } from './event-source-mapping';

/** SQS and SNS: fauxqs, in this process, on the loopback address. */
export async function startMessaging(options: { port: number; region: string }) {
  const app = buildApp({ logger: false, defaultRegion: options.region });
  let address: string;
  try {
    address = await app.listen({ port: options.port, host: LOOPBACK });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError('SQS and SNS (fauxqs)', options.port, '--sqs-port');
    throw error;
  }
  const port = Number(new URL(address).port);
  const endpoint = `http://${LOOPBACK}:${port}`;
  return { endpoint, port, close: () => app.close() };
}

export interface MessagingResources {
  readonly orderQueueUrl: string;
  readonly orderQueueArn: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLetterQueueArn: string;
  readonly topicArn: string;
  /** A queue subscribed to the topic, so the notifications can be read locally (in AWS: an email subscription). */
  readonly notificationQueueUrl: string;
}

/** The order queue (redrive to the dead-letter queue after maxReceiveCount receives), the topic and its local inbox. */
export async function ensureMessaging(
  endpoint: string,
  region: string,
  names: { queue: string; deadLetterQueue: string; topic: string; notificationQueue: string },
  settings: { visibilityTimeoutSeconds: number; maxReceiveCount: number },
): Promise<MessagingResources> {
  const sqs = new SQSClient({ endpoint, region, credentials: localCredentials });
  const sns = new SNSClient({ endpoint, region, credentials: localCredentials });
  try {
    const arnOf = async (url: string) =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ?? '';
    const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: names.deadLetterQueue, Attributes: { MessageRetentionPeriod: '1209600' } }))).QueueUrl ?? '';
    const dlqArn = await arnOf(dlq);
    const queue =
      (
        await sqs.send(
          new CreateQueueCommand({
            QueueName: names.queue,
            Attributes: {
              VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
              RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: settings.maxReceiveCount }),
            },
          }),
        )
      ).QueueUrl ?? '';
    const inbox = (await sqs.send(new CreateQueueCommand({ QueueName: names.notificationQueue }))).QueueUrl ?? '';
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: names.topic }))).TopicArn ?? '';
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: await arnOf(inbox) }));
    return {
      orderQueueUrl: queue,
      orderQueueArn: await arnOf(queue),
      deadLetterQueueUrl: dlq,
      deadLetterQueueArn: dlqArn,
      topicArn,
      notificationQueueUrl: inbox,
    };
  } finally {
    sqs.destroy();
    sns.destroy();
  }
}

/** The queue side of the event source mapping and of the POST /orders integration, through the SQS API. */
export function sqsQueue(endpoint: string, region: string, queueUrl: string): QueuePort & { send(body: string): Promise<string>; close(): void } {
  const sqs = new SQSClient({ endpoint, region, credentials: localCredentials });
  return {
    async receive(maxMessages, waitSeconds) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: maxMessages,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      return Messages ?? [];
    },
    async delete(handles) {
      for (let i = 0; i < handles.length; i += 10) {
        const chunk = handles.slice(i, i + 10);
        await sqs.send(
          new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((ReceiptHandle, n) => ({ Id: String(n), ReceiptHandle })) }),
        );
      }
    },
    async send(body) {
      const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      if (!MessageId) throw new Error('SendMessage returned no MessageId');
      return MessageId;
    },
    close: () => sqs.destroy(),
  };
}
