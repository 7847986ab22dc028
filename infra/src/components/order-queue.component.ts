import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface OrderQueueArgs {
  readonly prefix: string;
  /** The consumer's timeout: the visibility timeout is 6 times it, as AWS advises for event source mappings. */
  readonly consumerTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount?: number;
}

export const MAX_RECEIVE_COUNT = 3;
const FOURTEEN_DAYS = 14 * 24 * 60 * 60;

/** The visibility timeout for a consumer: at least 6 times its timeout (and SQS's default 30 s). */
export function visibilityTimeoutFor(consumerTimeoutSeconds: number): number {
  return Math.max(30, 6 * consumerTimeoutSeconds);
}

/** The order queue POST /orders writes to, and its dead-letter queue. Both encrypted (SSE-SQS). */
export class OrderQueue extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;

  constructor(name: string, args: OrderQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super('serverless-orders:messaging:OrderQueue', name, {}, opts);
    this.deadLetterQueue = new aws.sqs.Queue(
      `${args.prefix}-orders-dlq`,
      { messageRetentionSeconds: FOURTEEN_DAYS, sqsManagedSseEnabled: true },
      { parent: this },
    );
    this.queue = new aws.sqs.Queue(
      `${args.prefix}-orders`,
      {
        visibilityTimeoutSeconds: visibilityTimeoutFor(args.consumerTimeoutSeconds),
        // Longer than the dead-letter path takes, shorter than the dead-letter queue keeps messages.
        messageRetentionSeconds: 4 * 24 * 60 * 60,
        sqsManagedSseEnabled: true,
        redrivePolicy: this.deadLetterQueue.arn.apply((deadLetterTargetArn) =>
          JSON.stringify({ deadLetterTargetArn, maxReceiveCount: args.maxReceiveCount ?? MAX_RECEIVE_COUNT }),
        ),
      },
      { parent: this },
    );
    this.registerOutputs({ queueUrl: this.queue.url, deadLetterQueueUrl: this.deadLetterQueue.url });
  }
}
