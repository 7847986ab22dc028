import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { Container, type Newable } from 'inversify';
import {
  CompleteOrder,
  FailOrder,
  ORDERS_TOKENS,
  RecordPayment,
  SaveOrder,
  systemClock,
  type Clock,
  type OrderNotifier,
  type OrderRepository,
} from '@serverless-orders/orders-application';
import { DynamoDbOrderRepository, documentClient } from '@serverless-orders/adapters-dynamodb';
import { SnsOrderNotifier } from '@serverless-orders/adapters-sns';
import { configFrom, type Observability } from '@serverless-orders/platform-lambda';

/** The composition root: the one place that chooses adapters, from configuration. */
export function createContainer(obs: Observability, env = process.env): Container {
  const config = configFrom(env);
  const tableName = config.required('ORDERS_TABLE_NAME');
  const topicArn = config.required('ORDER_TOPIC_ARN');
  const dynamodb = obs.tracer.captureAWSv3Client(new DynamoDBClient({}));
  const sns = obs.tracer.captureAWSv3Client(new SNSClient({}));

  const container = new Container({ defaultScope: 'Singleton' });
  container
    .bind<OrderRepository>(ORDERS_TOKENS.OrderRepository)
    .toConstantValue(new DynamoDbOrderRepository(documentClient(dynamodb), tableName));
  container.bind<OrderNotifier>(ORDERS_TOKENS.OrderNotifier).toConstantValue(new SnsOrderNotifier(sns, topicArn));
  container.bind<Clock>(ORDERS_TOKENS.Clock).toConstantValue(systemClock);
  const useCases: Newable[] = [SaveOrder, RecordPayment, CompleteOrder, FailOrder];
  for (const useCase of useCases) container.bind(useCase).toSelf();
  return container;
}
