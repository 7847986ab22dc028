/**
 * P5, listing my orders does not grow with other people's: the DynamoDB adapter's
 * listByOwner (a Query on the caller's partition, newest first, 20 a page) against dynalite,
 * a DynamoDB-compatible store, in two tables that hold the same 50 orders of mine and
 * 1,000 or 100,000 orders of other users (100 each). The queries alternate between the two
 * tables, round after round; the figure is p50(100k) ÷ p50(1k) of the wall time of one call.
 * Everything runs on 127.0.0.1; loading 100k items with BatchWriteItem takes about 15 s.
 * A benchmark, not a test: it prints figures and asserts nothing.
 *
 *   npx nx run benchmarks:list-orders
 *   BENCH_RUNS=1000 npx nx run benchmarks:list-orders     (queries per table; default 400)
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { DynamoDbOrderRepository, documentClient, toItem } from '@serverless-orders/adapters-dynamodb';
import { ensureOrdersTable, startDynamoDb } from '@serverless-orders/local-aws';
import { newOrder, type Order } from '@serverless-orders/orders-domain';
import { median, percentile } from './lambda-bench';

const RUNS = Number(process.env.BENCH_RUNS ?? 400);
const MINE = 50;
const PAGE = 20;
const PER_OTHER_USER = 100;
const SIZES = [1_000, 100_000] as const;

const me = randomUUID();
const order = (owner: string, n: number): Order =>
  newOrder(randomUUID(), owner, { restaurant_id: 'r-1', item: 'pizza', quantity: 1 + (n % 5) }, new Date(Date.UTC(2026, 0, 1) + n * 1000));

/** Writes the items 25 a request (BatchWriteItem's limit), 8 requests at a time, retrying what DynamoDB leaves unprocessed. */
async function load(db: ReturnType<typeof documentClient>, table: string, items: Order[]): Promise<void> {
  const batches: Order[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let request: BatchWriteCommandInput['RequestItems'] = { [table]: batches[next++].map((o) => ({ PutRequest: { Item: toItem(o) } })) };
      while (request && Object.keys(request).length > 0) {
        const written: { UnprocessedItems?: BatchWriteCommandInput['RequestItems'] } = await db.send(new BatchWriteCommand({ RequestItems: request }));
        request = written.UnprocessedItems;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

function othersOrders(count: number): Order[] {
  const items: Order[] = [];
  let owner = randomUUID();
  for (let i = 0; i < count; i++) {
    if (i % PER_OTHER_USER === 0) owner = randomUUID();
    items.push(order(owner, i));
  }
  return items;
}

async function main() {
  const store = await startDynamoDb();
  const db = documentClient(store.client);
  try {
    const mine = Array.from({ length: MINE }, (_, n) => order(me, n));
    const repos: DynamoDbOrderRepository[] = [];
    for (const size of SIZES) {
      const table = `orders-${size}`;
      await ensureOrdersTable(store.client, table);
      const started = performance.now();
      await load(db, table, [...othersOrders(size), ...mine]);
      console.log(`${table}: ${MINE} of mine and ${size.toLocaleString('en')} of ${(size / PER_OTHER_USER).toLocaleString('en')} other users loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      repos.push(new DynamoDbOrderRepository(db, table));
    }

    const call = async (repo: DynamoDbOrderRepository) => {
      const started = performance.now();
      const page = await repo.listByOwner(me, { limit: PAGE });
      const ms = performance.now() - started;
      if (page.items.length !== PAGE) throw new Error(`expected ${PAGE} of my orders, got ${page.items.length}`);
      return ms;
    };
    for (let i = 0; i < 50; i++) for (const repo of repos) await call(repo); // warm-up: connections, JIT
    const times: number[][] = repos.map(() => []);
    for (let round = 0; round < RUNS; round++) {
      // Alternate which table goes first in each round.
      const sequence = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of sequence) times[i].push(await call(repos[i]));
    }

    console.log(`\nlistByOwner(me, { limit: ${PAGE} }), ${RUNS} calls per table, interleaved; wall time of one call`);
    SIZES.forEach((size, i) => {
      const t = times[i];
      console.log(`  ${`${size.toLocaleString('en')} others`.padEnd(16)} p50 ${median(t).toFixed(2)} ms   p90 ${percentile(t, 90).toFixed(2)} ms`);
    });
    console.log(`P5: p50(100k) ÷ p50(1k) = ${(median(times[1]) / median(times[0])).toFixed(2)}   (aim ≤ 1.3)`);
  } finally {
    await store.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
