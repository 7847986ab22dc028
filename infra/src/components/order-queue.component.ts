import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ORDER_QUEUE } from '@serverless-orders/function-catalogue';

export interface OrderQueueArgs {
  readonly prefix: string;
}

/**
 * The order queue POST /orders writes to, and its dead-letter queue, as the catalogue defines
 * them (ORDER_QUEUE): maxReceiveCount 5 and a visibility timeout of 6 times the consumer's
 * timeout, as AWS advises for SQS event sources. Both encrypted (SSE-SQS).
 */
export class OrderQueue extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;

  constructor(name: string, args: OrderQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super('serverless-orders:messaging:OrderQueue', name, {}, opts);
    this.deadLetterQueue = new aws.sqs.Queue(
      `${args.prefix}-orders-dlq`,
      { messageRetentionSeconds: ORDER_QUEUE.deadLetterRetentionSeconds, sqsManagedSseEnabled: true },
      { parent: this },
    );
    this.queue = new aws.sqs.Queue(
      `${args.prefix}-orders`,
      {
        visibilityTimeoutSeconds: ORDER_QUEUE.visibilityTimeoutSeconds,
        // Longer than the dead-letter path takes, shorter than the dead-letter queue keeps messages.
        messageRetentionSeconds: 4 * 24 * 60 * 60,
        sqsManagedSseEnabled: true,
        redrivePolicy: this.deadLetterQueue.arn.apply((deadLetterTargetArn) => JSON.stringify({ deadLetterTargetArn, maxReceiveCount: ORDER_QUEUE.maxReceiveCount })),
      },
      { parent: this },
    );
    // `aws sqs start-message-move-task` moves dead letters back to this queue (the redrive allow policy's default: any source).
    this.registerOutputs({ queueUrl: this.queue.url, deadLetterQueueUrl: this.deadLetterQueue.url });
  }
}
