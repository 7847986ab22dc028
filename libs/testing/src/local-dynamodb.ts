import { ensureIdempotencyTable, ensureOrdersTable, LOCAL_AWS, startDynamoDb, type LocalDynamoDb as Store } from '@serverless-orders/local-aws';

export { LOCAL_AWS };

export interface LocalDynamoDb extends Store {
  /** Creates the orders table (keys and indexes from the shared definition) and returns its name. */
  createOrdersTable(name?: string): Promise<string>;
  /** Creates an idempotency table (Powertools' key) and returns its name. */
  createIdempotencyTable(name?: string): Promise<string>;
}

/** The local store the local stack runs (dynalite), in memory on 127.0.0.1 and a free port. */
export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const store = await startDynamoDb();
  let tables = 0;
  return {
    ...store,
    close: () => store.close(),
    async createOrdersTable(name = `orders-${++tables}`) {
      await ensureOrdersTable(store.client, name);
      return name;
    },
    async createIdempotencyTable(name = `idempotency-${++tables}`) {
      await ensureIdempotencyTable(store.client, name);
      return name;
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
