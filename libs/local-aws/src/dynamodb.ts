import { mkdirSync } from 'node:fs';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTableInput } from '@serverless-orders/order-table';
import { close, listen, LOOPBACK } from '../http/http-util';
import { localCredentials } from '../aws-clients';

/** A DynamoDB-compatible store: dynalite, in memory, or on disk under `path` (--persist). */
export async function startStore(options: { port: number; path?: string }) {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server, options.port, 'DynamoDB (dynalite)', '--dynamodb-port');
  return { endpoint: `http://${LOOPBACK}:${port}`, port, close: () => close(server) };
}

/** Creates the orders table from the shared definition, or reuses it. Returns whether it was created. */
export async function ensureTable(endpoint: string, region: string, tableName: string): Promise<boolean> {
  const client = new DynamoDBClient({ endpoint, region, credentials: localCredentials });
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  } finally {
    client.destroy();
  }
  const creator = new DynamoDBClient({ endpoint, region, credentials: localCredentials });
  try {
    await creator.send(new CreateTableCommand(createTableInput(tableName)));
  } finally {
    creator.destroy();
  }
  return true;
}
