import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { InvokeResult } from '@serverless-orders/local-aws';

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
  /** Makes received messages visible again at once (ChangeMessageVisibility to 0): they return to the queue. */
  release(receiptHandles: readonly string[]): Promise<void>;
}

/** A unit of the function's concurrency, held for one invocation (see FunctionRuntime.reserve). */
export interface ConsumerSlot {
  invoke(event: unknown): Promise<InvokeResult>;
  release(): void;
}

/** What the mapping needs from the function: its concurrency, a unit at a time. */
export interface ConsumerPort {
  /** Its concurrency limit: the mapping never runs more pollers than this. */
  readonly concurrency: number;
  /** A unit of concurrency for an invocation to come; undefined when all are in use (an invocation would be throttled). */
  reserve(): ConsumerSlot | undefined;
  /** Resolves when a unit may have been given back. */
  available(): Promise<void>;
}

export interface MappingOptions {
  readonly queue: QueuePort;
  readonly queueArn: string;
  readonly region: string;
  readonly consumer: ConsumerPort;
  /** Records per invocation, at most (BatchSize). */
  readonly batchSize: number;
  /** MaximumBatchingWindowInSeconds: how long to gather records towards a full batch (0: invoke with what one receive gives). */
  readonly maxBatchingWindowSeconds?: number;
  /** ReportBatchItemFailures: only the failed records stay on the queue. */
  readonly reportBatchItemFailures: boolean;
  /** Long polling of each receive (AWS: 20 s; locally shorter, so that a stop is quick). */
  readonly waitSeconds?: number;
  readonly log?: (line: string) => void;
  /** Clock and sleep, for tests. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Pollers when messages appear (AWS: "five batches at a time with five concurrent invocations"). */
export const INITIAL_POLLERS = 5;
/** Pollers an idle queue scales back to (AWS: "can optimize to as few as 2 concurrent batches"). */
export const IDLE_POLLERS = 2;
/** Scale-up pace: AWS adds "up to 300 more instances per minute", one every 200 ms. */
export const SCALE_UP_EVERY_MS = 60_000 / 300;
/** Back-off after a throttled invocation: doubles from this up to the maximum, and resets on success. */
export const THROTTLE_BACKOFF_MS = { first: 100, max: 5_000 };

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

const isThrottle = (result: InvokeResult) => !result.ok && result.invokeError === true && result.errorType === 'TooManyRequestsException';

/** What one poll did. */
export type PollOutcome = 'empty' | 'invoked' | 'throttled' | 'no-capacity';

/**
 * The SQS → Lambda event source mapping, as Lambda runs it:
 *
 * - A poller receives only when the function has a unit of concurrency free, which it holds
 *   from the receive to the invocation's end: nothing is taken from the queue that cannot be
 *   handed to the function at once, so a message is invisible only while it is processed.
 * - Batches: up to BatchSize records; with a batching window, receives gather towards a full
 *   batch until the window closes; without one, a batch is what one receive gives.
 * - Scaling: INITIAL_POLLERS pollers when messages appear; one more every SCALE_UP_EVERY_MS
 *   while batches come back full, up to the function's concurrency; back to IDLE_POLLERS when the
 *   queue is empty.
 * - Outcome: what succeeded is deleted; failed records (a function error, or those listed with
 *   ReportBatchItemFailures) return after the visibility timeout. A throttled invocation (the
 *   function's concurrency taken by other invokers) returns its batch to the queue at once and
 *   the mapping backs off: one poller fewer, and a growing pause before that poller polls again.
 */
export class EventSourceMapping {
  private running = false;
  private readonly loops = new Set<Promise<void>>();
  private pollers = 0;
  private lastScaleUp = 0;
  private backoffMs = 0;
  /** Batches handed to the function so far. */
  batches = 0;
  /** Invocations the function throttled so far. */
  throttled = 0;
  /** The most pollers that ran at once. */
  peakPollers = 0;

  constructor(private readonly options: MappingOptions) {}

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  private sleep(ms: number): Promise<void> {
    return (this.options.sleep ?? ((t: number) => new Promise<void>((r) => setTimeout(r, t))))(ms);
  }

  /** The pollers running now. */
  get activePollers(): number {
    return this.pollers;
  }

  private get maxPollers(): number {
    return Math.max(1, this.options.consumer.concurrency);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.lastScaleUp = this.now;
    for (let i = 0; i < Math.min(INITIAL_POLLERS, this.maxPollers); i++) this.addPoller();
  }

  async stop(): Promise<void> {
    this.running = false;
    while (this.loops.size) await Promise.all([...this.loops]);
  }

  private addPoller(): void {
    this.pollers++;
    this.peakPollers = Math.max(this.peakPollers, this.pollers);
    const loop = this.loop().finally(() => {
      this.pollers--;
      this.loops.delete(loop);
    });
    this.loops.add(loop);
  }

  /** A poller leaves when the mapping scales back; the last ones stay. */
  private shouldLeave(floor: number): boolean {
    return this.pollers > Math.min(floor, this.maxPollers);
  }

  private maybeScaleUp(): void {
    if (!this.running || this.pollers >= this.maxPollers || this.now - this.lastScaleUp < SCALE_UP_EVERY_MS) return;
    this.lastScaleUp = this.now;
    this.addPoller();
  }

  /**
   * One poll: wait for a unit of the function's concurrency, receive a batch, invoke, delete what
   * succeeded. Returns what happened.
   */
  async pollOnce(): Promise<PollOutcome> {
    const o = this.options;
    const slot = o.consumer.reserve();
    if (!slot) return 'no-capacity';
    let batch: QueueMessage[];
    try {
      batch = await this.receiveBatch();
    } catch (error) {
      slot.release();
      throw error;
    }
    if (batch.length === 0) {
      slot.release();
      return 'empty';
    }
    this.batches++;
    if (batch.length >= o.batchSize) this.maybeScaleUp();
    const result = await slot.invoke(sqsEvent(batch, o.queueArn, o.region));
    if (isThrottle(result)) {
      this.throttled++;
      o.log?.(`the function was throttled; a batch of ${batch.length} returns to the queue and the mapping backs off`);
      await o.queue.release(batch.map((m) => m.ReceiptHandle ?? ''));
      return 'throttled';
    }
    if (!result.ok) o.log?.(`batch of ${batch.length} failed: ${result.errorType}: ${result.errorMessage}; it returns to the queue after the visibility timeout`);
    const done = messagesToDelete(batch, result, o.reportBatchItemFailures);
    const kept = batch.length - done.length;
    if (result.ok && kept > 0) o.log?.(`${kept} of ${batch.length} messages reported as failed; they return to the queue after the visibility timeout`);
    if (done.length) await o.queue.delete(done.map((m) => m.ReceiptHandle ?? ''));
    return 'invoked';
  }

  /** Up to BatchSize messages: one receive without a batching window; with one, receives until the batch is full or the window closes. */
  private async receiveBatch(): Promise<QueueMessage[]> {
    const o = this.options;
    const size = Math.max(1, o.batchSize);
    const windowMs = Math.max(0, o.maxBatchingWindowSeconds ?? 0) * 1000;
    const wait = o.waitSeconds ?? 1;
    const batch = await o.queue.receive(Math.min(10, size), wait);
    if (windowMs === 0 || batch.length === 0) return batch;
    const closes = this.now + windowMs;
    while (batch.length < size && this.running) {
      const left = closes - this.now;
      if (left <= 0) break;
      batch.push(...(await o.queue.receive(Math.min(10, size - batch.length), Math.min(wait, Math.floor(left / 1000)))));
      if (left < 1000) break;
    }
    return batch;
  }

  private async loop(): Promise<void> {
    const o = this.options;
    while (this.running) {
      try {
        const outcome = await this.pollOnce();
        if (outcome === 'no-capacity') {
          // Every unit of the function's concurrency is in use: wait for one (and let a surplus poller go).
          if (this.shouldLeave(1)) return;
          await Promise.race([o.consumer.available(), this.sleep(1000)]);
        } else if (outcome === 'throttled') {
          this.backoffMs = Math.min(THROTTLE_BACKOFF_MS.max, this.backoffMs ? this.backoffMs * 2 : THROTTLE_BACKOFF_MS.first);
          if (this.shouldLeave(1)) return;
          await this.sleep(this.backoffMs);
        } else if (outcome === 'empty') {
          this.backoffMs = 0;
          if (this.shouldLeave(IDLE_POLLERS)) return;
          // An empty receive yields to the event loop, even from a queue that answers at once.
          await this.sleep(20);
        } else {
          this.backoffMs = 0;
        }
      } catch (error) {
        if (!this.running) break;
        o.log?.(`polling failed: ${(error as Error).message}`);
        await this.sleep(500);
      }
    }
  }
}
