import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DynamoDbOrderRepository, documentClient } from '@serverless-orders/adapters-dynamodb';
import { coldStart, loadBundle, localTableEnv, startLocalDynamoDb, type LocalDynamoDb } from '@serverless-orders/testing';
import { deleteOrderBehaviour } from './test/delete-order.behaviour';

// The built bundle (dist/apps/delete-order/main.js), invoked with API Gateway proxy events, against dynalite.
type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
let db: LocalDynamoDb;
let repo: DynamoDbOrderRepository;
let handler: Handler;

beforeAll(async () => {
  db = await startLocalDynamoDb();
  const table = await db.createOrdersTable();
  repo = new DynamoDbOrderRepository(documentClient(db.client), table);
  handler = loadBundle<Handler>('delete-order', localTableEnv(db, table));
});
afterAll(() => db.close());

deleteOrderBehaviour(() => ({ handler, repo }));

it('fails at cold start naming a missing setting', () => {
  expect(coldStart('delete-order', {}).stderr).toContain('missing required setting ORDERS_TABLE_NAME');
});
