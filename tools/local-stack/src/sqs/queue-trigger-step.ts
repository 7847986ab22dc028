import { QUEUE_CONSUMER, type FunctionDefinition, type FunctionName } from '@serverless-orders/function-catalogue';
import type { Started } from '../started';
import { EventSourceMapping } from './event-source-mapping';
import { sqsQueue } from './order-queue';

/** Step 6a: the order queue's trigger, its event source mapping to the queue consumer. */
export function startQueueTrigger(s: Started): void {
  const { options, env } = s;
  // Lambda polls the queue with the consumer's own role (its queue:consume permission).
  const queue = sqsQueue(s.messaging.endpoint, options.region, s.queues.orderQueueUrl, s.roles.function(QUEUE_CONSUMER.app as FunctionName));
  s.cleanups.push(() => queue.close());
  const trigger = QUEUE_CONSUMER.trigger as Extract<FunctionDefinition['trigger'], { kind: 'queue' }>;
  const consumer = s.functions.get(QUEUE_CONSUMER.app);
  if (!consumer) throw new Error(`the queue consumer ${QUEUE_CONSUMER.app} is not running`);
  // Lambda's poller for the queue: it takes messages only when the consumer has a unit of
  // concurrency free, in batches as the catalogue (and so infra) sets them.
  const mapping = new EventSourceMapping({
    queue,
    queueArn: s.queues.orderQueueArn,
    region: options.region,
    batchSize: trigger.batchSize,
    maxBatchingWindowSeconds: trigger.maxBatchingWindowSeconds,
    reportBatchItemFailures: true,
    consumer,
    log: (l) => env.log(`[event-source-mapping] ${l}`),
  });
  mapping.start();
  s.triggerStops.push(() => mapping.stop());
}
