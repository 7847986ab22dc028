import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Container } from 'inversify';
import { UpdateMyOrder, systemClock } from '@serverless-orders/orders-application';
import { dynamoDbOrderRepository } from '@serverless-orders/adapters-dynamodb';
import { awsClient, configFrom, provide, token, type Observability } from '@serverless-orders/platform-lambda';

export const TOKENS = {
  UpdateMyOrder: token<UpdateMyOrder>('update-order.UpdateMyOrder'),
};

/** The composition root: the one place that chooses adapters, from configuration. */
export function createContainer(obs: Observability, env = process.env): Container {
  const tableName = configFrom(env).required('ORDERS_TABLE_NAME');
  const orders = dynamoDbOrderRepository(tableName, awsClient(obs, DynamoDBClient));

  const container = new Container({ defaultScope: 'Singleton' });
  provide(container, TOKENS.UpdateMyOrder, new UpdateMyOrder(orders, systemClock));
  return container;
}
