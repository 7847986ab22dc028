import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BatchWriteItemCommand, CreateTableCommand, QueryCommand, ScanCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { startDynamoDb, type LocalDynamoDb } from './dynamodb';

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

const TABLE = 'reads';

async function createTable(db: LocalDynamoDb): Promise<void> {
  await db.client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'owner', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [{ IndexName: 'by-owner', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }),
  );
  await waitUntilTableExists({ client: db.client, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 }, { TableName: TABLE });
  const items = Array.from({ length: 20 }, (_, i) => ({ PutRequest: { Item: { pk: { S: 'p' }, sk: { S: `s${String(i).padStart(2, '0')}` }, owner: { S: i % 2 ? 'alice' : 'bob' } } } }));
  for (let i = 0; i < items.length; i += 10) await db.client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: items.slice(i, i + 10) } }));
}

/** Every kind of read dynalite serves from an iterator: whole, cut short by Limit, through an index, a scan. */
async function reads(db: LocalDynamoDb, times: number): Promise<number> {
  let answered = 0;
  for (let i = 0; i < times; i++) {
    const { Items: all = [] } = await db.client.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }));
    const { Items: first = [] } = await db.client.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Limit: 3 }));
    const { Items: alice = [] } = await db.client.send(
      new QueryCommand({ TableName: TABLE, IndexName: 'by-owner', KeyConditionExpression: '#o = :o', ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':o': { S: 'alice' } } }),
    );
    const { Items: scanned = [] } = await db.client.send(new ScanCommand({ TableName: TABLE, Limit: 5 }));
    expect([all.length, first.length, alice.length, scanned.length]).toEqual([20, 3, 10, 5]);
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
])('local DynamoDB (%s): a Query or Scan keeps no iterator open once answered', (_, onDisk) => {
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

  it('closes every iterator its reads opened', async () => {
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
});
