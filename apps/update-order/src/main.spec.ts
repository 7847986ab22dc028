import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { InMemoryOrderRepository } from '@serverless-orders/testing';
import { updateOrderBehaviour } from './test/update-order.behaviour';

// The handler from source with its real composition root; only the DynamoDB adapter is
// replaced by the in-memory repository that keeps its contract. The same cases run on the
// bundle against dynalite in main.int.spec.ts (the integration target).
type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
const repo = new InMemoryOrderRepository();
let handler: Handler;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.ORDERS_TABLE_NAME = 'orders';
  jest.doMock('@serverless-orders/adapters-dynamodb', () => ({ dynamoDbOrderRepository: () => repo }));
  ({ handler } = await import('./main'));
});

updateOrderBehaviour(() => ({ handler, repo }));
