import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Container } from 'inversify';
import { GetMyOrder, ListMyOrders } from '@serverless-orders/orders-application';
import { dynamoDbOrderRepository } from '@serverless-orders/adapters-dynamodb';
import { awsClient, configFrom, provide, token, type Observability } from '@serverless-orders/platform-lambda';

export const TOKENS = {
  ListMyOrders: token<ListMyOrders>('get-orders.ListMyOrders'),
  GetMyOrder: token<GetMyOrder>('get-orders.GetMyOrder'),
};

/** The composition root: the one place that chooses adapters, from configuration. */
export function createContainer(obs: Observability, env = process.env): Container {
  const tableName = configFrom(env).required('ORDERS_TABLE_NAME');
  const orders = dynamoDbOrderRepository(tableName, awsClient(obs, DynamoDBClient));

  const container = new Container({ defaultScope: 'Singleton' });
  provide(container, TOKENS.ListMyOrders, new ListMyOrders(orders));
  provide(container, TOKENS.GetMyOrder, new GetMyOrder(orders));
  return container;
}
