import { mkdirSync } from 'node:fs';
import { Server } from 'node:net';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { startFauxqs } from 'fauxqs';
import { LOCAL_AWS } from './credentials';
import { awsJsonError, frontDoor, type Answer, type Intercept } from './front-door';
import { close, httpServer, listen, LOOPBACK } from './http';
import { MessageMoveTasks, SqsApiError } from './sqs-move-tasks';

export interface LocalMessaging {
  /** SQS and SNS, both on this endpoint. */
  readonly endpoint: string;
  readonly port: number;
  readonly moveTasks: MessageMoveTasks;
  close(): Promise<void>;
}

const MOVE_TASK_OPERATIONS = new Set(['StartMessageMoveTask', 'ListMessageMoveTasks', 'CancelMessageMoveTask']);

/** The operations whose answer names queues by URL. */
const QUEUE_URL_OPERATIONS = new Set(['CreateQueue', 'GetQueueUrl', 'ListQueues', 'ListDeadLetterSourceQueues']);

/**
 * fauxqs names a queue http://sqs.<region>.localhost:<port>/<account>/<name>, with the port the
 * queue was created through, and keeps that URL with the queue (on disk too, with a data
 * directory). *.localhost does not resolve everywhere, the port may differ from one start to the
 * next, and the SQS client sends each request to its QueueUrl's host: the answers that name
 * queues are rewritten to name them at `endpoint`, this front door, as it listens now.
 */
export function queueUrlsAt(endpoint: string, body: string): string {
  return body.replace(/http:\/\/sqs\.[a-z0-9-]+\.localhost(:\d+)?\//g, `${endpoint}/`);
}

/**
 * Runs `start` with every listen on 0.0.0.0 in this process turned into a listen on the
 * loopback address. fauxqs (2.4.1) listens on 0.0.0.0 whatever it is told, and nothing of the
 * local stack may be reachable from another machine. Checked after: the address it got.
 */
async function onLoopback<T extends { address: string }>(start: () => Promise<T>): Promise<T> {
  const listen = Server.prototype.listen;
  Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    const [first] = args;
    if (first && typeof first === 'object' && (first as { host?: string }).host === '0.0.0.0') args[0] = { ...first, host: LOOPBACK };
    return listen.apply(this, args as Parameters<typeof listen>);
  } as typeof listen;
  let started: T;
  try {
    started = await start();
  } finally {
    Server.prototype.listen = listen;
  }
  if (new URL(started.address).hostname !== LOOPBACK) {
    await (started as unknown as { stop(): Promise<void> }).stop();
    throw new Error(`SQS and SNS listen on ${started.address}, not on ${LOOPBACK} alone`);
  }
  return started;
}

/**
 * SQS and SNS: fauxqs, in this process, behind a front door on the loopback address that adds
 * what fauxqs lacks (the dead-letter queue redrive, StartMessageMoveTask) and lets `intercept`
 * see every request first. With `dataDir`, queues, messages, topics and subscriptions are kept
 * on disk (fauxqs's SQLite store) and restored on the next start.
 */
export async function startMessaging(options: { port?: number; region?: string; dataDir?: string; intercept?: Intercept }): Promise<LocalMessaging> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const fauxqs = await onLoopback(() =>
    startFauxqs({
      port: 0,
      logger: false,
      defaultRegion: options.region ?? LOCAL_AWS.region,
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    }),
  );
  const backend = `http://${LOOPBACK}:${fauxqs.port}`;
  const sqs = new SQSClient({ ...LOCAL_AWS, region: options.region ?? LOCAL_AWS.region, endpoint: backend });
  const moveTasks = new MessageMoveTasks(sqs);

  const moveTaskOperation = async (operation: string, body: Buffer): Promise<Answer> => {
    const json = 'application/x-amz-json-1.0';
    try {
      const input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, never>) : {};
      const result = operation === 'StartMessageMoveTask' ? await moveTasks.start(input) : operation === 'ListMessageMoveTasks' ? moveTasks.list(input) : moveTasks.cancel(input);
      return { status: 200, headers: { 'Content-Type': json }, body: JSON.stringify(result) };
    } catch (error) {
      if (error instanceof SqsApiError) return awsJsonError(error.status, `com.amazonaws.sqs#${error.type}`, error.message, json);
      return awsJsonError(500, 'InternalError', (error as Error).message, json);
    }
  };

  const server = httpServer(
    frontDoor(backend, async (req, body) => {
      const intercepted = await options.intercept?.(req, body);
      if (intercepted) return intercepted;
      const [service, operation] = String(req.headers['x-amz-target'] ?? '').split('.');
      if (service === 'AmazonSQS' && MOVE_TASK_OPERATIONS.has(operation)) return moveTaskOperation(operation, body);
      return undefined;
    }, (req) => {
      const [service, operation] = String(req.headers['x-amz-target'] ?? '').split('.');
      return service === 'AmazonSQS' && QUEUE_URL_OPERATIONS.has(operation) ? (body) => queueUrlsAt(`http://${LOOPBACK}:${port}`, body) : undefined;
    }),
  );
  let port: number;
  try {
    port = await listen(server, options.port ?? 0, 'SQS and SNS (fauxqs)', '--sqs-port');
  } catch (error) {
    sqs.destroy();
    await fauxqs.stop();
    throw error;
  }
  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    port,
    moveTasks,
    async close() {
      await moveTasks.settle();
      await close(server);
      sqs.destroy();
      await fauxqs.stop();
    },
  };
}

/**
 * How long the local inbox keeps a notification, read or not (its MessageRetentionPeriod; SQS's
 * least is 60). Long enough to read the outcome of an order, short enough that a stack left
 * running under load keeps a bounded inbox: about 1.8 KB of heap a notification (1.1 KB of it the
 * SNS envelope), measured in heap snapshots of the stack under 50 clients.
 */
export const NOTIFICATION_RETENTION_SECONDS = 300;

export interface QueueResources {
  readonly orderQueueUrl: string;
  readonly orderQueueArn: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLetterQueueArn: string;
  readonly topicArn: string;
  /**
   * A queue subscribed to the topic, so the notifications can be read locally (in AWS: an email
   * subscription). It keeps each one NOTIFICATION_RETENTION_SECONDS, read or not.
   */
  readonly notificationQueueUrl: string;
}

/** The order queue (redrive to the dead-letter queue after maxReceiveCount receives), the topic and its local inbox: created, or found again. */
export async function ensureQueues(
  endpoint: string,
  region: string,
  names: { queue: string; deadLetterQueue: string; topic: string; notificationQueue: string },
  settings: { visibilityTimeoutSeconds: number; maxReceiveCount: number; deadLetterRetentionSeconds: number },
): Promise<QueueResources> {
  const sqs = new SQSClient({ ...LOCAL_AWS, region, endpoint });
  const sns = new SNSClient({ ...LOCAL_AWS, region, endpoint });
  try {
    const arnOf = async (url: string) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ?? '';
    const create = async (QueueName: string, Attributes: Record<string, string> = {}) =>
      (await sqs.send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl ?? '';
    const dlq = await create(names.deadLetterQueue, { MessageRetentionPeriod: String(settings.deadLetterRetentionSeconds) });
    const dlqArn = await arnOf(dlq);
    const queue = await create(names.queue, {
      VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: settings.maxReceiveCount }),
    });
    const inbox = await create(names.notificationQueue);
    // Set, not created with: a queue kept by --persist from an earlier start may have another.
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: inbox, Attributes: { MessageRetentionPeriod: String(NOTIFICATION_RETENTION_SECONDS) } }));
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: names.topic }))).TopicArn ?? '';
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: await arnOf(inbox) }));
    return { orderQueueUrl: queue, orderQueueArn: await arnOf(queue), deadLetterQueueUrl: dlq, deadLetterQueueArn: dlqArn, topicArn, notificationQueueUrl: inbox };
  } finally {
    sqs.destroy();
    sns.destroy();
  }
}
