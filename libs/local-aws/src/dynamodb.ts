// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- dynalite ships no types; every project compiling this file needs them
/// <reference path="./dynalite.d.ts" />
import { mkdirSync } from 'node:fs';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException, UpdateTimeToLiveCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createIdempotencyTableInput, createTableInput, IDEMPOTENCY_TABLE } from '@serverless-orders/order-table';
import { LOCAL_AWS } from './credentials';
import { frontDoor, type Intercept } from './front-door';
import { close, httpServer, listen, LOOPBACK } from './http';

/** A DynamoDB-compatible store: dynalite, in memory, or on disk under `path`. */
export interface LocalDynamoDb {
  readonly endpoint: string;
  readonly port: number;
  /** A client for the stack's own set-up and for tests (the functions make their own). */
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

/**
 * dynalite on 127.0.0.1 (port 0: a free one), with tables created at once, as the local stack and
 * the tests need it. With `intercept`, a front door on `port` shows every request to it first
 * (the callers' permissions), then to dynalite.
 */
export async function startDynamoDb(options: { port?: number; path?: string; intercept?: Intercept } = {}): Promise<LocalDynamoDb> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const what = 'DynamoDB (dynalite)';
  let port: number;
  let door: ReturnType<typeof httpServer> | undefined;
  if (options.intercept) {
    // dynalite still listens (on a free port of its own: its close() shuts its store down), but
    // the front door hands it each request in this process rather than over a second connection.
    await listen(server, 0, what, '--dynamodb-port');
    door = httpServer(frontDoor((req, res) => server.emit('request', req, res), options.intercept));
    try {
      port = await listen(door, options.port ?? 0, what, '--dynamodb-port');
    } catch (error) {
      await close(server);
      throw error;
    }
  } else {
    port = await listen(server, options.port ?? 0, what, '--dynamodb-port');
  }
  const endpoint = `http://${LOOPBACK}:${port}`;
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  return {
    endpoint,
    port,
    client,
    async close() {
      client.destroy();
      if (door) await close(door);
      await close(server);
    },
  };
}

/** As in AWS, a new table is CREATING for a moment and refuses reads and writes: wait until it is ACTIVE. */
async function active(client: DynamoDBClient, tableName: string): Promise<void> {
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 }, { TableName: tableName });
}

async function exists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/** Creates the orders table from the shared definition, unless it exists. Returns whether it was created. */
export async function ensureOrdersTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  if (await exists(client, tableName)) return false;
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await active(client, tableName);
  return true;
}

/** Creates the idempotency table Powertools expects (with TTL on its expiry), unless it exists. */
export async function ensureIdempotencyTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  if (await exists(client, tableName)) return false;
  await client.send(new CreateTableCommand(createIdempotencyTableInput(tableName)));
  await active(client, tableName);
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: IDEMPOTENCY_TABLE.ttlAttribute } }),
  ).catch(() => undefined); // dynalite does not expire items; AWS does, through this TTL
  return true;
}
