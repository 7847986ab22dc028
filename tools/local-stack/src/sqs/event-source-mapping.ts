import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { Invoke, InvokeResult } from '@serverless-orders/local-aws';

/** A received SQS message, as ReceiveMessage gives it (with all system attributes). */
export interface QueueMessage {
  readonly MessageId?: string;
  readonly ReceiptHandle?: string;
  readonly Body?: string;
  readonly MD5OfBody?: string;
  readonly Attributes?: Record<string, string>;
  readonly MessageAttributes?: Record<string, { StringValue?: string; BinaryValue?: Uint8Array; DataType?: string }>;
}

/** What the mapping needs from the queue. */
export interface QueuePort {
  receive(maxMessages: number, waitSeconds: number): Promise<QueueMessage[]>;
  delete(receiptHandles: readonly string[]): Promise<void>;
}

export interface MappingOptions {
  readonly queue: QueuePort;
  readonly queueArn: string;
  readonly region: string;
  readonly batchSize: number;
  readonly invoke: Invoke;
  /** ReportBatchItemFailures: only the failed records stay on the queue. */
  readonly reportBatchItemFailures: boolean;
  /** Pollers running at once (Lambda scales these; 1 or 2 is plenty locally). */
  readonly concurrency?: number;
  readonly waitSeconds?: number;
  readonly log?: (line: string) => void;
}

/** The SQS event Lambda's event source mapping sends. */
export function sqsEvent(messages: readonly QueueMessage[], queueArn: string, region: string): SQSEvent {
  return {
    Records: messages.map(
      (m): SQSRecord => ({
        messageId: m.MessageId ?? '',
        receiptHandle: m.ReceiptHandle ?? '',
        body: m.Body ?? '',
        attributes: {
          ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
          SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
          SenderId: m.Attributes?.SenderId ?? 'AIDAIENQZJOLO23YVJ4VO',
          ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
          ...m.Attributes,
        } as SQSRecord['attributes'],
        messageAttributes: Object.fromEntries(
          Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
            k,
            {
              stringValue: v.StringValue,
              binaryValue: v.BinaryValue ? Buffer.from(v.BinaryValue).toString('base64') : undefined,
              stringListValues: [],
              binaryListValues: [],
              dataType: v.DataType ?? 'String',
            },
          ]),
        ),
        md5OfBody: m.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: region,
      }),
    ),
  };
}

/**
 * Which messages of a batch to delete, given the function's result, as Lambda decides it:
 * a function error keeps the whole batch; with ReportBatchItemFailures, an empty or absent
 * batchItemFailures deletes all, listed ids are kept, and an invalid response (an id that is
 * not in the batch, a missing id, a malformed list) keeps the whole batch.
 */
export function messagesToDelete(batch: readonly QueueMessage[], result: InvokeResult, reportBatchItemFailures: boolean): QueueMessage[] {
  if (!result.ok) return [];
  if (!reportBatchItemFailures) return [...batch];
  const payload = result.payload as { batchItemFailures?: unknown } | null | undefined;
  const failures = payload && typeof payload === 'object' ? payload.batchItemFailures : undefined;
  if (failures === undefined || failures === null) return [...batch];
  if (!Array.isArray(failures)) return [];
  const ids = new Set(batch.map((m) => m.MessageId));
  const failed = new Set<string>();
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !ids.has(id)) return [];
    failed.add(id);
  }
  return batch.filter((m) => !failed.has(m.MessageId ?? ''));
}

/** The SQS → Lambda event source mapping: poll, invoke with batches, delete what succeeded. */
export class EventSourceMapping {
  private running = false;
  private loops: Promise<void>[] = [];
  /** Batches handed to the function so far. */
  batches = 0;

  constructor(private readonly options: MappingOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    const n = Math.max(1, this.options.concurrency ?? 1);
    this.loops = Array.from({ length: n }, () => this.loop());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** One poll: receive a batch, invoke, delete. Returns how many messages it handled. */
  async pollOnce(): Promise<number> {
    const o = this.options;
    const batch = await o.queue.receive(Math.min(10, Math.max(1, o.batchSize)), o.waitSeconds ?? 1);
    if (batch.length === 0) return 0;
    this.batches++;
    const result = await o.invoke(sqsEvent(batch, o.queueArn, o.region));
    if (!result.ok) o.log?.(`batch of ${batch.length} failed: ${result.errorType}: ${result.errorMessage}; it returns to the queue after the visibility timeout`);
    const done = messagesToDelete(batch, result, o.reportBatchItemFailures);
    const kept = batch.length - done.length;
    if (result.ok && kept > 0) o.log?.(`${kept} of ${batch.length} messages reported as failed; they return to the queue after the visibility timeout`);
    if (done.length) await o.queue.delete(done.map((m) => m.ReceiptHandle ?? ''));
    return batch.length;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        // An empty receive yields to the event loop, even from a queue that answers at once.
        if ((await this.pollOnce()) === 0) await new Promise((r) => setTimeout(r, 20));
      } catch (error) {
        if (!this.running) break;
        this.options.log?.(`polling failed: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}
