import { Container } from 'inversify';
import { ORDERS_TOKENS, systemClock, UpdateMyOrder, type Clock, type OrderRepository } from '@serverless-orders/orders-application';
import { dynamoDbOrderRepository } from '@serverless-orders/adapters-dynamodb';
import { configFrom, type Observability } from '@serverless-orders/platform-lambda';

/** The composition root: the one place that chooses adapters, from configuration. */
export function createContainer(obs: Observability, env = process.env): Container {
  const tableName = configFrom(env).required('ORDERS_TABLE_NAME');

  const container = new Container({ defaultScope: 'Singleton' });
  container
    .bind<OrderRepository>(ORDERS_TOKENS.OrderRepository)
    .toConstantValue(dynamoDbOrderRepository(tableName, (client) => obs.tracer.captureAWSv3Client(client)));
  container.bind<Clock>(ORDERS_TOKENS.Clock).toConstantValue(systemClock);
  container.bind(UpdateMyOrder).toSelf();
  return container;
}
