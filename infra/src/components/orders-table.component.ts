import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { attributeDefinitions, ORDERS_TABLE } from '@serverless-orders/order-table';

export interface OrdersTableArgs {
  readonly prefix: string;
}

/** The orders table: keys and local index from the shared definition, on-demand, PITR, encrypted. */
export class OrdersTable extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;

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
        pointInTimeRecovery: { enabled: true },
        // Encrypted with the AWS managed key: no key policy or kms:* grant for the functions to carry.
        serverSideEncryption: { enabled: true },
      },
      { parent: this },
    );
    this.registerOutputs({ tableName: this.table.name, tableArn: this.table.arn });
  }
}
