/**
 * The orders table, defined once for the DynamoDB adapter, the Pulumi program and the
 * local store. Keys as in the original system: partition user_id, sort id. Listing a
 * customer's orders newest first is a Query on the local secondary index, never a Scan.
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
} as const;

export type TableDefinition = typeof ORDERS_TABLE;

/** The attribute definitions DynamoDB's CreateTable wants: every key attribute once. */
export function attributeDefinitions(table: TableDefinition = ORDERS_TABLE) {
  const keys = [table.partitionKey, table.sortKey, ...table.localIndexes.map((i) => i.sortKey)];
  return keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type }));
}

/** The CreateTable input (less name and billing), for the local store and tests. */
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
  };
}
