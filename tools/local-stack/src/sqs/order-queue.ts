import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_AWS } from '@serverless-orders/local-aws';
import type { QueuePort } from './event-source-mapping';

/**
 * The queue side of the event source mapping, through the SQS API of the local endpoint, with
 * the credentials Lambda polls with: the consumer function's role.
 */
export function sqsQueue(endpoint: string, region: string, queueUrl: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = LOCAL_AWS.credentials): QueuePort & { close(): void } {
  const sqs = new SQSClient({ region, endpoint, credentials });
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
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((ReceiptHandle, n) => ({ Id: String(n), ReceiptHandle })) }));
      }
    },
    async release(handles) {
      for (let i = 0; i < handles.length; i += 10) {
        const chunk = handles.slice(i, i + 10);
        await sqs.send(
          new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((ReceiptHandle, n) => ({ Id: String(n), ReceiptHandle, VisibilityTimeout: 0 })) }),
        );
      }
    },
    close: () => sqs.destroy(),
  };
}
