/**
 * The tables of the order system, defined once for the adapters, the Pulumi program and the
 * local store.
 *
 * The orders table's keys: partition user_id, sort id (unchanged: see README, Compatibility). Listing a customer's
 * orders newest first is a Query on the local secondary index, never a Scan. The reconciler
 * finds orders left non-final through a sparse global index: only a PENDING or PAID order
 * carries `unsettled_shard` (one of UNSETTLED_SHARDS values, spread by order id so that no
 * partition of the index runs hot), sorted by `updated_at`; a final order drops the attribute
 * and leaves the index.
 */
export const ORDERS_TABLE = {
  logicalName: 'orders',
  partitionKey: { name: 'user_id', type: 'S' },
  sortKey: { name: 'id', type: 'S' },
  localIndexes: [
    {
      name: 'by_created_at',
      sortKey: { name: 'created_at', type: 'S' },
      projection: 'ALL',
    },
  ],
  globalIndexes: [
    {
      name: 'unsettled_by_updated_at',
      partitionKey: { name: 'unsettled_shard', type: 'S' },
      sortKey: { name: 'updated_at', type: 'S' },
      projection: 'ALL',
    },
  ],
} as const;

export type TableDefinition = typeof ORDERS_TABLE;

/** The partitions of the unsettled index: `unsettled-0` … `unsettled-15`. */
export const UNSETTLED_SHARDS = Array.from({ length: 16 }, (_, i) => `unsettled-${i}`);

/** The shard of an order id: a small, stable spread over UNSETTLED_SHARDS. */
export function unsettledShard(orderId: string): string {
  let h = 0;
  for (let i = 0; i < orderId.length; i++) h = (h * 31 + orderId.charCodeAt(i)) >>> 0;
  return UNSETTLED_SHARDS[h % UNSETTLED_SHARDS.length];
}

/** The attribute definitions DynamoDB's CreateTable wants: every key attribute once. */
export function attributeDefinitions(table: TableDefinition = ORDERS_TABLE) {
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...table.localIndexes.map((i) => i.sortKey),
    ...table.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const seen = new Set<string>();
  return keys
    .filter((k) => !seen.has(k.name) && seen.add(k.name))
    .map((k) => ({ AttributeName: k.name, AttributeType: k.type }));
}

/** The CreateTable input (on-demand), for the local store and tests; infra builds the same from ORDERS_TABLE. */
export function createTableInput(tableName: string, table: TableDefinition = ORDERS_TABLE) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributeDefinitions(table),
    KeySchema: [
      { AttributeName: table.partitionKey.name, KeyType: 'HASH' as const },
      { AttributeName: table.sortKey.name, KeyType: 'RANGE' as const },
    ],
    LocalSecondaryIndexes: table.localIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: table.partitionKey.name, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: index.projection },
    })),
    GlobalSecondaryIndexes: table.globalIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: index.projection },
    })),
  };
}

/**
 * The idempotency store of the workflow's provider steps: the table Powertools' idempotency
 * utility (DynamoDBPersistenceLayer) expects with its default attribute names. Records expire
 * through DynamoDB's TTL on `expiration`.
 */
export const IDEMPOTENCY_TABLE = {
  logicalName: 'idempotency',
  partitionKey: { name: 'id', type: 'S' },
  ttlAttribute: 'expiration',
  /** How long a provider step's result is remembered. */
  recordTtlSeconds: 24 * 3600,
} as const;

export function createIdempotencyTableInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_TABLE.partitionKey.name, AttributeType: IDEMPOTENCY_TABLE.partitionKey.type }],
    KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE.partitionKey.name, KeyType: 'HASH' as const }],
  };
}
