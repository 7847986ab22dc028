import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BatchWriteItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ensureOrdersTable, startDynamoDb, type LocalDynamoDb } from './dynamodb';

// A read must not keep what it read. dynalite answers Query and Scan from an abstract-level
// iterator over its store; each open iterator is kept in its database's resources together with
// the snapshot of the store it reads (memory-level: the tree as it was). dynalite 4.0.0 ended its
// streams with iterator.return(), which abstract-level iterators do not have, so every Query and
// Scan left its iterator open: under load the local stack kept a snapshot per list request
// (measured: a MemoryValueIterator per order placed, and the tree nodes they held). patches/
// mends dynalite; these tests count the iterators its reads open and close.

/** abstract-level as dynalite's store loads it (the same module instance, so its prototypes are the ones in use). */
function abstractLevel(): { AbstractLevel: { prototype: Record<string, unknown> }; AbstractValueIterator: { prototype: object } } {
  const dynalite = path.dirname(require.resolve('dynalite/package.json'));
  const memoryLevel = path.dirname(require.resolve('memory-level/package.json', { paths: [dynalite] }));
  return require(require.resolve('abstract-level', { paths: [memoryLevel] }));
}

/** Counts iterators opened through `keys()`/`values()` and those closed. */
function iteratorLedger() {
  const { AbstractLevel, AbstractValueIterator } = abstractLevel();
  const common = Object.getPrototypeOf(AbstractValueIterator.prototype) as { close(): Promise<void> };
  const opened = new Set<object>();
  const closed = new Set<object>();
  const spies = (['keys', 'values', 'iterator'] as const).map((method) => {
    const original = AbstractLevel.prototype[method] as (...args: unknown[]) => object;
    const spy = jest.spyOn(AbstractLevel.prototype as Record<string, (...args: unknown[]) => object>, method).mockImplementation(function (this: unknown, ...args: unknown[]) {
      const iterator = original.apply(this, args);
      opened.add(iterator);
      return iterator;
    });
    return spy;
  });
  const close = common.close;
  const closeSpy = jest.spyOn(common, 'close').mockImplementation(function (this: object) {
    closed.add(this);
    return close.call(this);
  });
  return {
    opened,
    /** Iterators opened and not closed. */
    open: () => [...opened].filter((iterator) => !closed.has(iterator)).length,
    restore: () => [...spies, closeSpy].forEach((spy) => spy.mockRestore()),
  };
}

const TABLE = 'orders';

/** The orders table as the system defines it, with 20 orders of one customer, half of them unsettled. */
async function createTable(db: LocalDynamoDb): Promise<void> {
  await ensureOrdersTable(db.client, TABLE);
  const items = Array.from({ length: 20 }, (_, i) => {
    const at = `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`;
    const item: Record<string, { S: string }> = { user_id: { S: 'alice' }, id: { S: `order-${i}` }, created_at: { S: at }, updated_at: { S: at } };
    if (i % 2) item['unsettled_shard'] = { S: 'unsettled-0' };
    return { PutRequest: { Item: item } };
  });
  for (let i = 0; i < items.length; i += 10) await db.client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: items.slice(i, i + 10) } }));
}

/** Every kind of read dynalite serves from an iterator: whole, cut short by Limit, through each index, a scan. */
async function reads(db: LocalDynamoDb, times: number): Promise<number> {
  const alice = { KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': { S: 'alice' } } };
  let answered = 0;
  for (let i = 0; i < times; i++) {
    const { Items: all = [] } = await db.client.send(new QueryCommand({ TableName: TABLE, ...alice }));
    const { Items: newest = [] } = await db.client.send(new QueryCommand({ TableName: TABLE, IndexName: 'by_created_at', ...alice, ScanIndexForward: false, Limit: 3 }));
    const { Items: unsettled = [] } = await db.client.send(
      new QueryCommand({ TableName: TABLE, IndexName: 'unsettled_by_updated_at', KeyConditionExpression: 'unsettled_shard = :s', ExpressionAttributeValues: { ':s': { S: 'unsettled-0' } } }),
    );
    const { Items: scanned = [] } = await db.client.send(new ScanCommand({ TableName: TABLE, Limit: 5 }));
    expect([all.length, newest.length, unsettled.length, scanned.length]).toEqual([20, 3, 10, 5]);
    expect(newest[0]?.['id']).toEqual({ S: 'order-19' });
    answered += 4;
  }
  return answered;
}

/** Waits for closes already under way (an iterator closes after its stream has ended). */
async function settled(ledger: ReturnType<typeof iteratorLedger>): Promise<number> {
  for (let i = 0; i < 50 && ledger.open() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return ledger.open();
}

describe.each([
  ['in memory', false],
  ['on disk (--persist)', true],
])('local DynamoDB (%s)', (_, onDisk) => {
  let db: LocalDynamoDb;
  let dir: string | undefined;

  beforeAll(async () => {
    dir = onDisk ? mkdtempSync(path.join(tmpdir(), 'dynamodb-reads-')) : undefined;
    db = await startDynamoDb({ path: dir });
    await createTable(db);
  });
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps no iterator open once a Query or Scan is answered', async () => {
    const ledger = iteratorLedger();
    try {
      const answered = await reads(db, 25);
      expect(answered).toBe(100);
      expect(ledger.opened.size).toBeGreaterThanOrEqual(answered);
      expect(await settled(ledger)).toBe(0);
    } finally {
      ledger.restore();
    }
  });

  // DynamoDB orders string sort keys by their UTF-8 bytes, not by JavaScript's UTF-16 code
  // units: 'é' (C3 A9) comes after 'z', and an emoji (F0 …) after U+FFFF (EF BF BF), where UTF-16
  // puts the emoji's surrogates (D8 3D …) first. dynalite keeps a key as the hex of its bytes, and
  // in memory it stores keys and items as strings (patches/dynalite+4.0.0.patch): both orders hold.
  it('returns string sort keys in the order of their UTF-8 bytes, forwards and backwards, as DynamoDB does', async () => {
    const ids = ['\u{1F600}', 'z', '\uFFFF', 'A', 'é', 'a'];
    const byBytes = [...ids].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
    expect(byBytes).toEqual(['A', 'a', 'z', 'é', '\uFFFF', '\u{1F600}']);
    const at = '2026-01-01T00:00:00.000Z';
    const put = ids.map((id) => ({ PutRequest: { Item: { user_id: { S: 'bob' }, id: { S: id }, created_at: { S: at }, updated_at: { S: at } } } }));
    await db.client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: put } }));
    const bob = { TableName: TABLE, KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': { S: 'bob' } } };
    const forwards = await db.client.send(new QueryCommand(bob));
    const backwards = await db.client.send(new QueryCommand({ ...bob, ScanIndexForward: false }));
    expect(forwards.Items?.map((item) => item['id']?.S)).toEqual(byBytes);
    expect(backwards.Items?.map((item) => item['id']?.S)).toEqual([...byBytes].reverse());
  });
});
