import { SendMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';

/** Message attributes the consumer adds when it dead-letters a message itself. */
export const DEAD_LETTER_ATTRIBUTES = {
  reason: 'dead-letter-reason',
  /** When the order was first placed (epoch ms), so a redriven message keeps its created_at. */
  placedAt: 'placed-at',
} as const;

/** Where the consumer puts a message that will never become an order, with the reason an operator reads. */
export interface DeadLetterQueue {
  send(record: SQSRecord, reason: string, placedAt: Date): Promise<void>;
}

/** SQS allows at most 10 message attributes, and values of at most 256 KiB in all; a reason is short. */
const REASON_MAX = 1000;

/**
 * The order queue's dead-letter queue, written to by the consumer itself so that each message
 * carries its reason. The body and the identifying attributes are kept as they were, so that
 * redriving the message back to the order queue (`aws sqs start-message-move-task`) names the
 * same order.
 */
export class SqsDeadLetterQueue implements DeadLetterQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(record: SQSRecord, reason: string, placedAt: Date): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(record.messageAttributes ?? {})) {
      if (value.stringValue !== undefined) attributes[name] = { DataType: value.dataType, StringValue: value.stringValue };
    }
    attributes[DEAD_LETTER_ATTRIBUTES.reason] = { DataType: 'String', StringValue: reason.slice(0, REASON_MAX) };
    attributes[DEAD_LETTER_ATTRIBUTES.placedAt] = { DataType: 'Number', StringValue: String(placedAt.getTime()) };
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: record.body, MessageAttributes: attributes }));
  }
}
