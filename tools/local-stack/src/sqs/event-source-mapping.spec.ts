import type { InvokeResult } from '@serverless-orders/local-aws';
import { EventSourceMapping, messagesToDelete, sqsEvent, type QueueMessage, type QueuePort } from './event-source-mapping';

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

describe('EventSourceMapping', () => {
  function fakeQueue(messages: QueueMessage[]) {
    const deleted: string[] = [];
    const asked: number[] = [];
    const queue: QueuePort = {
      async receive(max) {
        asked.push(max);
        return messages.splice(0, max);
      },
      async delete(handles) {
        deleted.push(...handles);
      },
    };
    return { queue, deleted, asked };
  }

  it('hands batches of at most the batch size and deletes what succeeded', async () => {
    const { queue, deleted, asked } = fakeQueue(Array.from({ length: 12 }, (_, i) => msg(String(i))));
    const sizes: number[] = [];
    const mapping = new EventSourceMapping({
      queue,
      queueArn: 'arn',
      region: 'us-east-1',
      batchSize: 10,
      reportBatchItemFailures: true,
      invoke: async (event) => {
        const records = (event as { Records: { messageId: string }[] }).Records;
        sizes.push(records.length);
        return ok({ batchItemFailures: records.filter((r) => r.messageId === '3').map((r) => ({ itemIdentifier: r.messageId })) });
      },
    });
    expect(await mapping.pollOnce()).toBe(10);
    expect(await mapping.pollOnce()).toBe(2);
    expect(await mapping.pollOnce()).toBe(0);
    expect(sizes).toEqual([10, 2]);
    expect(asked[0]).toBe(10);
    expect(deleted).toHaveLength(11);
    expect(deleted).not.toContain('rh-3');
  });

  it('polls continuously until stopped', async () => {
    const { queue, deleted } = fakeQueue([msg('x')]);
    const mapping = new EventSourceMapping({ queue, queueArn: 'arn', region: 'r', batchSize: 10, reportBatchItemFailures: true, invoke: async () => ok(null) });
    mapping.start();
    await new Promise((r) => setTimeout(r, 50));
    await mapping.stop();
    expect(deleted).toEqual(['rh-x']);
  });
});
