import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Container } from 'inversify';
import { GetMyOrder, ListMyOrders, ORDERS_TOKENS, type OrderRepository } from '@serverless-orders/orders-application';
import { DynamoDbOrderRepository, documentClient } from '@serverless-orders/adapters-dynamodb';
import { configFrom, type Observability } from '@serverless-orders/platform-lambda';

/** The composition root: the one place that chooses adapters, from configuration. */
export function createContainer(obs: Observability, env = process.env): Container {
  const config = configFrom(env);
  const tableName = config.required('ORDERS_TABLE_NAME');
  const dynamodb = obs.tracer.captureAWSv3Client(new DynamoDBClient({}));

  const container = new Container({ defaultScope: 'Singleton' });
  container
    .bind<OrderRepository>(ORDERS_TOKENS.OrderRepository)
    .toConstantValue(new DynamoDbOrderRepository(documentClient(dynamodb), tableName));
  container.bind(ListMyOrders).toSelf();
  container.bind(GetMyOrder).toSelf();
  return container;
}
