import type { InvokeResult } from '@serverless-orders/local-aws';
import { EventSourceMapping, SCALE_UP_EVERY_MS, messagesToDelete, sqsEvent, type ConsumerPort, type QueueMessage, type QueuePort } from './event-source-mapping';

const msg = (id: string): QueueMessage => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: `{"n":"${id}"}`,
  MD5OfBody: 'md5',
  Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000' },
});
const batch = ['a', 'b', 'c'].map(msg);
const ok = (payload: unknown): InvokeResult => ({ ok: true, payload });

describe('messagesToDelete (Lambda partial batch responses)', () => {
  it.each([
    ['an empty list deletes all', ok({ batchItemFailures: [] }), ['a', 'b', 'c']],
    ['no list deletes all', ok(null), ['a', 'b', 'c']],
    ['an undefined result deletes all', ok(undefined), ['a', 'b', 'c']],
    ['listed failures stay', ok({ batchItemFailures: [{ itemIdentifier: 'b' }] }), ['a', 'c']],
    ['an unknown id keeps the whole batch', ok({ batchItemFailures: [{ itemIdentifier: 'zzz' }] }), []],
    ['an empty id keeps the whole batch', ok({ batchItemFailures: [{ itemIdentifier: '' }] }), []],
    ['a malformed list keeps the whole batch', ok({ batchItemFailures: 'b' }), []],
    ['a function error keeps the whole batch', { ok: false, errorType: 'Error', errorMessage: 'x' } as InvokeResult, []],
  ])('%s', (_name, result, expected) => {
    expect(messagesToDelete(batch, result, true).map((m) => m.MessageId)).toEqual(expected);
  });

  it('without ReportBatchItemFailures, success deletes the whole batch whatever it returns', () => {
    expect(messagesToDelete(batch, ok({ batchItemFailures: [{ itemIdentifier: 'b' }] }), false)).toHaveLength(3);
  });
});

describe('sqsEvent', () => {
  it('builds the records as the event source mapping does', () => {
    const event = sqsEvent([msg('a')], 'arn:aws:sqs:us-east-1:000000000000:q', 'us-east-1');
    expect(event.Records[0]).toMatchObject({
      messageId: 'a',
      receiptHandle: 'rh-a',
      body: '{"n":"a"}',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000' },
    });
  });
});

/** A function with `concurrency` units, whose invocations run `handler`; `taken` units are held by other invokers. */
function fakeConsumer(concurrency: number, handler: (event: unknown) => Promise<InvokeResult>) {
  const state = { inUse: 0, taken: 0, peak: 0, invocations: 0, waiters: [] as Array<() => void> };
  const free = () => {
    const waiters = state.waiters.splice(0);
    waiters.forEach((w) => w());
  };
  const consumer: ConsumerPort = {
    concurrency,
    reserve() {
      if (state.inUse + state.taken >= concurrency) return undefined;
      state.inUse++;
      let held = true;
      return {
        async invoke(event) {
          state.invocations++;
          state.peak = Math.max(state.peak, state.inUse);
          try {
            return await handler(event);
          } finally {
            held = false;
            state.inUse--;
            free();
          }
        },
        release() {
          if (held) state.inUse--;
          held = false;
          free();
        },
      };
    },
    available: () => (state.inUse + state.taken < concurrency ? Promise.resolve() : new Promise((r) => state.waiters.push(r))),
  };
  return { consumer, state };
}

function fakeQueue(messages: QueueMessage[]) {
  const deleted: string[] = [];
  const released: string[] = [];
  const asked: number[] = [];
  const queue: QueuePort = {
    async receive(max) {
      asked.push(max);
      await new Promise((r) => setImmediate(r));
      return messages.splice(0, max);
    },
    async delete(handles) {
      deleted.push(...handles);
    },
    async release(handles) {
      released.push(...handles);
      messages.push(...handles.map((h) => msg(h.replace(/^rh-/, ''))));
    },
  };
  return { queue, deleted, released, asked, messages };
}

const records = (event: unknown) => (event as { Records: { messageId: string }[] }).Records;
const many = (n: number) => Array.from({ length: n }, (_, i) => msg(String(i)));
const mappingOf = (queue: QueuePort, consumer: ConsumerPort, extra: Partial<ConstructorParameters<typeof EventSourceMapping>[0]> = {}) =>
  new EventSourceMapping({ queue, consumer, queueArn: 'arn', region: 'us-east-1', batchSize: 10, reportBatchItemFailures: true, ...extra });

describe('EventSourceMapping (Lambda polling SQS)', () => {
  it('hands batches of at most the batch size and deletes what succeeded', async () => {
    const { queue, deleted, asked } = fakeQueue(many(12));
    const sizes: number[] = [];
    const { consumer } = fakeConsumer(10, async (event) => {
      sizes.push(records(event).length);
      return ok({ batchItemFailures: records(event).filter((r) => r.messageId === '3').map((r) => ({ itemIdentifier: r.messageId })) });
    });
    const mapping = mappingOf(queue, consumer);
    expect(await mapping.pollOnce()).toBe('invoked');
    expect(await mapping.pollOnce()).toBe('invoked');
    expect(await mapping.pollOnce()).toBe('empty');
    expect(sizes).toEqual([10, 2]);
    expect(asked[0]).toBe(10);
    expect(deleted).toHaveLength(11);
    expect(deleted).not.toContain('rh-3');
  });

  it('takes nothing from the queue while the function has no unit of concurrency free', async () => {
    const { queue, asked, messages } = fakeQueue(many(3));
    const { consumer, state } = fakeConsumer(2, async () => ok(null));
    state.taken = 2;
    const mapping = mappingOf(queue, consumer);
    expect(await mapping.pollOnce()).toBe('no-capacity');
    expect(asked).toEqual([]);
    expect(messages).toHaveLength(3);
    state.taken = 1;
    expect(await mapping.pollOnce()).toBe('invoked');
  });

  it('a throttled batch returns to the queue at once (visibility 0), nothing of it deleted', async () => {
    const { queue, deleted, released } = fakeQueue(many(3));
    const { consumer } = fakeConsumer(1, async () => ({ ok: false, errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.', invokeError: true }));
    const mapping = mappingOf(queue, consumer);
    expect(await mapping.pollOnce()).toBe('throttled');
    expect(released).toEqual(['rh-0', 'rh-1', 'rh-2']);
    expect(deleted).toEqual([]);
    expect(mapping.throttled).toBe(1);
  });

  it('with a batching window, gathers receives towards a full batch; the window closing sends what it has', async () => {
    const { queue, asked } = fakeQueue(many(25));
    const sizes: number[] = [];
    const { consumer } = fakeConsumer(1, async (event) => {
      sizes.push(records(event).length);
      return ok(null);
    });
    const mapping = mappingOf(queue, consumer, { batchSize: 20, maxBatchingWindowSeconds: 1, waitSeconds: 0 });
    mapping.start();
    await new Promise((r) => setTimeout(r, 1300));
    await mapping.stop();
    expect(sizes).toEqual([20, 5]);
    expect(asked.slice(0, 2)).toEqual([10, 10]);
  });

  it('scales its pollers as Lambda does: five, then one more at a time while batches come back full, never beyond the function’s concurrency; back to two when idle', async () => {
    const { queue, messages } = fakeQueue(many(3000));
    const { consumer, state } = fakeConsumer(8, async () => {
      await new Promise((r) => setTimeout(r, 30));
      return ok(null);
    });
    const mapping = mappingOf(queue, consumer);
    const started = Date.now();
    mapping.start();
    expect(mapping.activePollers).toBe(5);
    // Three more pollers, one per 200 ms at the soonest (on a busy machine, later).
    while (mapping.peakPollers < 8 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(mapping.peakPollers).toBe(8);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * SCALE_UP_EVERY_MS);
    expect(state.peak).toBeLessThanOrEqual(8);
    while (messages.length) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    expect(mapping.activePollers).toBe(2);
    await mapping.stop();
    expect(mapping.activePollers).toBe(0);
  });

  it('backs off after throttling: one poller fewer at a time, and pauses that grow', async () => {
    const { queue } = fakeQueue(many(200));
    let throttle = true;
    const { consumer } = fakeConsumer(10, async () => (throttle ? { ok: false, errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.', invokeError: true } : ok(null)));
    const mapping = mappingOf(queue, consumer);
    mapping.start();
    await new Promise((r) => setTimeout(r, 600));
    expect(mapping.activePollers).toBe(1);
    const throttledSoFar = mapping.throttled;
    // Pauses of 100, 200, 400 ms …: a handful of tries in 600 ms, not hundreds.
    expect(throttledSoFar).toBeLessThan(20);
    throttle = false;
    await mapping.stop();
  });

  it('polls continuously until stopped', async () => {
    const { queue, deleted } = fakeQueue([msg('x')]);
    const { consumer } = fakeConsumer(10, async () => ok(null));
    const mapping = mappingOf(queue, consumer);
    mapping.start();
    await new Promise((r) => setTimeout(r, 50));
    await mapping.stop();
    expect(deleted).toEqual(['rh-x']);
  });
});
