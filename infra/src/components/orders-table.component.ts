import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { attributeDefinitions, IDEMPOTENCY_TABLE, ORDERS_TABLE } from '@serverless-orders/order-table';

export interface OrdersTableArgs {
  readonly prefix: string;
}

/**
 * The orders table (keys, local index and the sparse unsettled index from the shared
 * definition) and the idempotency table of the workflow's provider steps (Powertools' key, its
 * records expiring through TTL): on-demand, encrypted; the orders with point-in-time recovery.
 */
export class OrdersTable extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;
  readonly idempotencyTable: aws.dynamodb.Table;

  constructor(name: string, args: OrdersTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super('serverless-orders:data:OrdersTable', name, {}, opts);
    this.table = new aws.dynamodb.Table(
      `${args.prefix}-${ORDERS_TABLE.logicalName}`,
      {
        billingMode: 'PAY_PER_REQUEST',
        hashKey: ORDERS_TABLE.partitionKey.name,
        rangeKey: ORDERS_TABLE.sortKey.name,
        attributes: attributeDefinitions().map((a) => ({ name: a.AttributeName, type: a.AttributeType })),
        localSecondaryIndexes: ORDERS_TABLE.localIndexes.map((index) => ({
          name: index.name,
          rangeKey: index.sortKey.name,
          projectionType: index.projection,
        })),
        globalSecondaryIndexes: ORDERS_TABLE.globalIndexes.map((index) => ({
          name: index.name,
          hashKey: index.partitionKey.name,
          rangeKey: index.sortKey.name,
          projectionType: index.projection,
        })),
        pointInTimeRecovery: { enabled: true },
        // Encrypted with the AWS managed key: no key policy or kms:* grant for the functions to carry.
        serverSideEncryption: { enabled: true },
      },
      { parent: this },
    );
    this.idempotencyTable = new aws.dynamodb.Table(
      `${args.prefix}-${IDEMPOTENCY_TABLE.logicalName}`,
      {
        billingMode: 'PAY_PER_REQUEST',
        hashKey: IDEMPOTENCY_TABLE.partitionKey.name,
        attributes: [{ name: IDEMPOTENCY_TABLE.partitionKey.name, type: IDEMPOTENCY_TABLE.partitionKey.type }],
        ttl: { attributeName: IDEMPOTENCY_TABLE.ttlAttribute, enabled: true },
        serverSideEncryption: { enabled: true },
      },
      { parent: this },
    );
    this.registerOutputs({ tableName: this.table.name, tableArn: this.table.arn, idempotencyTableName: this.idempotencyTable.name });
  }
}
