import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ConcurrentChangeError } from '@serverless-orders/orders-application';
import { newOrder, OrderNotFoundError, ValidationError, type Order } from '@serverless-orders/orders-domain';
import { startLocalDynamoDb, type LocalDynamoDb } from '@serverless-orders/testing';
import { DynamoDbOrderRepository, documentClient } from './order-repository.dynamodb';

// Real requests through @aws-sdk/lib-dynamodb to dynalite, a DynamoDB-compatible server: no SDK mocks.
let db: LocalDynamoDb;
let repo: DynamoDbOrderRepository;
let table: string;

beforeAll(async () => {
  db = await startLocalDynamoDb();
});
afterAll(() => db.close());
beforeEach(async () => {
  table = await db.createOrdersTable();
  repo = new DynamoDbOrderRepository(documentClient(db.client), table);
});

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));
const order = (owner: string, minute: number, id = randomUUID()) =>
  newOrder(id, owner, { restaurant_id: 'r-1', item: 'pizza', quantity: 2 }, at(minute));

describe('DynamoDbOrderRepository', () => {
  it('stores and reads an order by owner and id', async () => {
    const o = order('alice', 1);
    expect(await repo.create(o)).toBe('created');
    expect(await repo.get('alice', o.id)).toEqual(o);
  });

  it("never reads another owner's order (the key includes the owner)", async () => {
    const o = order('alice', 1);
    await repo.create(o);
    expect(await repo.get('bob', o.id)).toBeUndefined();
  });

  it('create never overwrites: a second create of the same order reports it exists (ConditionalCheckFailed)', async () => {
    const o = order('alice', 1);
    await repo.create(o);
    const paid: Order = { ...o, order_status: 'PAID', version: 2 };
    await repo.replace(paid, o);
    expect(await repo.create(o)).toBe('exists');
    expect((await repo.get('alice', o.id))?.order_status).toBe('PAID');
  });

  describe('listByOwner', () => {
    it('queries only the caller’s partition, newest first, in pages', async () => {
      const mine = [];
      for (let m = 0; m < 7; m++) {
        mine.push(order('alice', m));
        await repo.create(mine[m]);
        await repo.create(order('bob', m));
      }
      const seen: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await repo.listByOwner('alice', { limit: 3, nextToken });
        seen.push(...page.items.map((o) => o.id));
        expect(page.items.every((o) => o.user_id === 'alice')).toBe(true);
        nextToken = page.nextToken;
        pages++;
      } while (nextToken);
      expect(seen).toEqual(mine.reverse().map((o) => o.id));
      expect(pages).toBeGreaterThanOrEqual(3);
    });

    it("cannot be turned into a read of another user's partition with bob's token", async () => {
      for (let m = 0; m < 3; m++) await repo.create(order('bob', m));
      await repo.create(order('alice', 0));
      const bobsPage = await repo.listByOwner('bob', { limit: 1 });
      expect(bobsPage.nextToken).toBeDefined();
      const page = await repo.listByOwner('alice', { limit: 10, nextToken: bobsPage.nextToken });
      expect(page.items.every((o) => o.user_id === 'alice')).toBe(true);
    });

    const token = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');
    it.each([
      'not-base64-json!',
      token([1]),
      token({ id: 1 }),
      // An over-long key: DynamoDB refuses an ExclusiveStartKey attribute over 1,024 bytes with a
      // ValidationException, which would otherwise surface as a 500.
      token({ id: 'x'.repeat(1100), created_at: '2026' }),
      token({ id: randomUUID(), created_at: 'yesterday' }),
    ])(
      'refuses a malformed token %p as a ValidationError on next_token',
      async (token) => {
        await expect(repo.listByOwner('alice', { limit: 1, nextToken: token })).rejects.toThrow(
          new ValidationError([{ field: 'next_token', problem: 'is not a token this API issued' }]),
        );
      },
    );

    it('never scans the table', async () => {
      const sent: string[] = [];
      const spy = documentClient(db.client);
      spy.middlewareStack.add((next, context) => (args) => (sent.push(String(context.commandName)), next(args)), { step: 'initialize' });
      await new DynamoDbOrderRepository(spy, table).listByOwner('alice', { limit: 5 });
      expect(sent).toEqual(['QueryCommand']);
    });
  });

  describe('replace', () => {
    it('replaces an order that is as it was read', async () => {
      const o = order('alice', 1);
      await repo.create(o);
      const changed = { ...o, quantity: 9, updated_at: at(2).toISOString(), version: 2 };
      await repo.replace(changed, o);
      expect(await repo.get('alice', o.id)).toEqual(changed);
    });

    it('refuses a stale write (ConditionalCheckFailed on the version) and keeps the newer order', async () => {
      const o = order('alice', 1);
      await repo.create(o);
      const paid: Order = { ...o, order_status: 'PAID', updated_at: at(2).toISOString(), version: 2 };
      await repo.replace(paid, o);
      await expect(repo.replace({ ...o, quantity: 9 }, o)).rejects.toThrow(ConcurrentChangeError);
      expect(await repo.get('alice', o.id)).toEqual(paid);
    });

    it('does not resurrect a deleted order', async () => {
      const o = order('alice', 1);
      await repo.create(o);
      await repo.delete('alice', o.id);
      await expect(repo.replace({ ...o, quantity: 9 }, o)).rejects.toThrow(OrderNotFoundError);
      const { Count } = await db.client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }));
      expect(Count).toBe(0);
    });
  });

  describe('listUnsettled (the reconciler’s view, through the sparse global index)', () => {
    it('finds non-final orders of every owner changed before a time, oldest first, and drops settled ones', async () => {
      const old1 = order('alice', 1);
      const old2 = order('bob', 2);
      const recent = order('carol', 30);
      const settled = order('dave', 0);
      for (const o of [old1, old2, recent, settled]) await repo.create(o);
      await repo.replace({ ...settled, order_status: 'FAILURE', error_message: 'x', version: 2 }, settled);
      const paid = { ...old2, order_status: 'PAID' as const, version: 2, updated_at: at(3).toISOString() };
      await repo.replace(paid, old2);
      expect(await repo.listUnsettled(at(10), 10)).toEqual([old1, paid]);
      expect(await repo.listUnsettled(at(10), 1)).toEqual([old1]);
      expect(await repo.listUnsettled(at(0), 10)).toEqual([]);
    });

    it('stores the index key only while the order is not final', async () => {
      const o = order('alice', 1);
      await repo.create(o);
      const raw = async () => (await db.client.send(new ScanCommand({ TableName: table }))).Items?.[0];
      expect((await raw())?.unsettled_shard?.S).toMatch(/^unsettled-\d+$/);
      await repo.replace({ ...o, order_status: 'FAILURE', error_message: 'x', version: 2 }, o);
      expect((await raw())?.unsettled_shard).toBeUndefined();
      expect(await repo.get('alice', o.id)).not.toHaveProperty('unsettled_shard');
    });
  });

  describe('delete', () => {
    it('deletes only the owner’s order and says whether there was one', async () => {
      const o = order('alice', 1);
      await repo.create(o);
      expect(await repo.delete('bob', o.id)).toBe(false);
      expect(await repo.get('alice', o.id)).toBeDefined();
      expect(await repo.delete('alice', o.id)).toBe(true);
      expect(await repo.delete('alice', o.id)).toBe(false);
    });
  });
});
