import {
  attributeDefinitions,
  createIdempotencyTableInput,
  createTableInput,
  ORDERS_TABLE,
  UNSETTLED_SHARDS,
  unsettledShard,
} from './table.definition';

describe('the orders table', () => {
  it('keys the table by partition user_id, sort id, which existing tables have', () => {
    expect(createTableInput('t').KeySchema).toEqual([
      { AttributeName: 'user_id', KeyType: 'HASH' },
      { AttributeName: 'id', KeyType: 'RANGE' },
    ]);
  });

  it('lists newest first through a local index on the same partition', () => {
    const [index] = createTableInput('t').LocalSecondaryIndexes;
    expect(index.KeySchema[0]).toEqual({ AttributeName: ORDERS_TABLE.partitionKey.name, KeyType: 'HASH' });
    expect(index.KeySchema[1]).toEqual({ AttributeName: 'created_at', KeyType: 'RANGE' });
  });

  it('finds unsettled orders through a sparse global index, oldest change first', () => {
    const [index] = createTableInput('t').GlobalSecondaryIndexes;
    expect(index.KeySchema).toEqual([
      { AttributeName: 'unsettled_shard', KeyType: 'HASH' },
      { AttributeName: 'updated_at', KeyType: 'RANGE' },
    ]);
  });

  it('defines each key attribute once', () => {
    expect(attributeDefinitions().map((a) => a.AttributeName)).toEqual(['user_id', 'id', 'created_at', 'unsettled_shard', 'updated_at']);
  });

  it('spreads order ids over every shard of the unsettled index, the same id always on the same one', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `6f1c2a8e-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(unsettledShard(id), (counts.get(unsettledShard(id)) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...UNSETTLED_SHARDS].sort());
    for (const n of counts.values()) expect(n).toBeGreaterThan(2000 / 16 / 3);
    expect(unsettledShard(ids[7])).toBe(unsettledShard(ids[7]));
  });
});

describe('the idempotency table', () => {
  it('has the key Powertools’ DynamoDB persistence layer writes by default', () => {
    expect(createIdempotencyTableInput('i').KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
  });
});
