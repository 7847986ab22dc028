import { attributeDefinitions, createTableInput, ORDERS_TABLE } from './table.definition';

describe('the orders table', () => {
  it('keeps the original keys: partition user_id, sort id', () => {
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

  it('defines each key attribute once', () => {
    expect(attributeDefinitions().map((a) => a.AttributeName)).toEqual(['user_id', 'id', 'created_at']);
  });
});
