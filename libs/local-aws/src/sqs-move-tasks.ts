import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** An SQS error as the JSON protocol answers it. */
export class SqsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

type TaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

interface MoveTask {
  readonly TaskHandle: string;
  readonly SourceArn: string;
  readonly DestinationArn?: string;
  readonly MaxNumberOfMessagesPerSecond?: number;
  readonly StartedTimestamp: number;
  Status: TaskStatus;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove: number;
  FailureReason?: string;
}

const nameOf = (arn: string) => arn.split(':').at(-1) ?? '';

/**
 * SQS's dead-letter queue redrive (StartMessageMoveTask, ListMessageMoveTasks,
 * CancelMessageMoveTask), which the local SQS lacks: messages are moved from the dead-letter
 * queue, body and message attributes kept, to the destination (by default the queue whose
 * redrive policy names the dead-letter queue), as `aws sqs start-message-move-task` does.
 * Like SQS, a moved message is a new message (a new MessageId), so a consumer must not take
 * the message id for the order's identity.
 */
export class MessageMoveTasks {
  private readonly tasks = new Map<string, MoveTask>();

  constructor(private readonly sqs: SQSClient) {}

  private async urlOf(arn: string): Promise<string> {
    const { QueueUrl } = await this.sqs.send(new GetQueueUrlCommand({ QueueName: nameOf(arn) })).catch(() => ({ QueueUrl: undefined }));
    if (!QueueUrl) throw new SqsApiError('ResourceNotFoundException', `The resource that you specified for the SourceArn parameter doesn't exist: ${arn}`);
    return QueueUrl;
  }

  /** The queues whose redrive policy sends their dead letters to `deadLetterArn`. */
  private async sourcesOf(deadLetterArn: string): Promise<string[]> {
    const { QueueUrls = [] } = await this.sqs.send(new ListQueuesCommand({}));
    const sources: string[] = [];
    for (const url of QueueUrls) {
      const { Attributes = {} } = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy', 'QueueArn'] }));
      const policy = Attributes.RedrivePolicy ? (JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn?: string }) : undefined;
      if (policy?.deadLetterTargetArn === deadLetterArn && Attributes.QueueArn) sources.push(Attributes.QueueArn);
    }
    return sources;
  }

  async start(req: { SourceArn?: string; DestinationArn?: string; MaxNumberOfMessagesPerSecond?: number }): Promise<{ TaskHandle: string }> {
    if (!req.SourceArn) throw new SqsApiError('MissingParameter', 'The request must contain the parameter SourceArn.');
    const sourceUrl = await this.urlOf(req.SourceArn);
    const sources = await this.sourcesOf(req.SourceArn);
    if (sources.length === 0) throw new SqsApiError('InvalidParameterValue', `Source queue must be configured as a Dead Letter Queue: ${req.SourceArn}`);
    const destinationArn = req.DestinationArn ?? (sources.length === 1 ? sources[0] : undefined);
    if (!destinationArn) throw new SqsApiError('InvalidParameterValue', 'Messages from several source queues: name the DestinationArn');
    const destinationUrl = await this.urlOf(destinationArn);
    for (const task of this.tasks.values()) {
      if (task.SourceArn === req.SourceArn && task.Status === 'RUNNING') {
        throw new SqsApiError('UnsupportedOperation', 'There is already a task running. Only one active task is allowed for each source queue arn at a given time.');
      }
    }
    const { Attributes = {} } = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: sourceUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    const task: MoveTask = {
      TaskHandle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: req.SourceArn })).toString('base64'),
      SourceArn: req.SourceArn,
      ...(req.DestinationArn ? { DestinationArn: req.DestinationArn } : {}),
      ...(req.MaxNumberOfMessagesPerSecond ? { MaxNumberOfMessagesPerSecond: req.MaxNumberOfMessagesPerSecond } : {}),
      StartedTimestamp: Date.now(),
      Status: 'RUNNING',
      ApproximateNumberOfMessagesMoved: 0,
      ApproximateNumberOfMessagesToMove: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    };
    this.tasks.set(task.TaskHandle, task);
    void this.move(task, sourceUrl, destinationUrl);
    return { TaskHandle: task.TaskHandle };
  }

  private async move(task: MoveTask, sourceUrl: string, destinationUrl: string): Promise<void> {
    try {
      while (task.Status === 'RUNNING') {
        const { Messages = [] } = await this.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: sourceUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 30, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }),
        );
        if (Messages.length === 0) break;
        const batch = Messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '', MessageAttributes: m.MessageAttributes }));
        const sent = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: destinationUrl, Entries: batch }));
        const moved = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
        const done = Messages.filter((_m, i) => moved.has(i));
        if (done.length > 0) {
          await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: sourceUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
        }
        task.ApproximateNumberOfMessagesMoved += done.length;
        const rate = task.MaxNumberOfMessagesPerSecond;
        if (rate) await new Promise((r) => setTimeout(r, (1000 * done.length) / rate));
      }
      task.Status = task.Status === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED';
    } catch (error) {
      task.Status = 'FAILED';
      task.FailureReason = (error as Error).name ?? 'AWS.SimpleQueueService.InternalError';
    }
  }

  list(req: { SourceArn?: string; MaxResults?: number }) {
    if (!req.SourceArn) throw new SqsApiError('MissingParameter', 'The request must contain the parameter SourceArn.');
    const results = [...this.tasks.values()]
      .filter((t) => t.SourceArn === req.SourceArn)
      .sort((a, b) => b.StartedTimestamp - a.StartedTimestamp)
      .slice(0, req.MaxResults ?? 1);
    return { Results: results.map((t) => ({ ...t, ...(t.Status === 'RUNNING' ? {} : { TaskHandle: undefined }) })) };
  }

  cancel(req: { TaskHandle?: string }) {
    const task = this.tasks.get(req.TaskHandle ?? '');
    if (!task) throw new SqsApiError('ResourceNotFoundException', 'Task does not exist.');
    if (task.Status !== 'RUNNING') throw new SqsApiError('UnsupportedOperation', 'Only a running task can be cancelled.');
    task.Status = 'CANCELLING';
    return { ApproximateNumberOfMessagesMoved: task.ApproximateNumberOfMessagesMoved };
  }

  /** Waits until no task runs (tests, and a clean stop). */
  async settle(): Promise<void> {
    while ([...this.tasks.values()].some((t) => t.Status === 'RUNNING' || t.Status === 'CANCELLING')) await new Promise((r) => setTimeout(r, 20));
  }
}
