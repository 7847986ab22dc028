// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- dynalite ships no types; every project compiling this file needs them
/// <reference path="./dynalite.d.ts" />
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTableInput } from '@serverless-orders/order-table';

/** Credentials and region for talking to local servers: never real ones. */
export const LOCAL_AWS = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } as const;

export interface LocalDynamoDb {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** Creates the orders table (keys and index from the shared definition) and returns its name. */
  createOrdersTable(name?: string): Promise<string>;
  close(): Promise<void>;
}

/** dynalite, a DynamoDB-compatible server, in memory on 127.0.0.1 and a free port. */
export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  let tables = 0;
  return {
    endpoint,
    client,
    async createOrdersTable(name = `orders-${++tables}`) {
      await client.send(new CreateTableCommand(createTableInput(name)));
      return name;
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** The environment a function needs to reach the orders table on a local store. */
export function localTableEnv(db: Pick<LocalDynamoDb, 'endpoint'>, tableName: string): Record<string, string> {
  return {
    ORDERS_TABLE_NAME: tableName,
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
}
