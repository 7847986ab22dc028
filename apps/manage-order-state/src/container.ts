import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { Container } from 'inversify';
import {
  CompleteOrder,
  FailOrder,
  RecordPayment,
  RecordPaymentRefusal,
  RecordRestaurantRefusal,
  systemClock,
  type Clock,
  type OrderNotifier,
  type OrderRepository,
} from '@serverless-orders/orders-application';
import { DynamoDbOrderRepository, documentClient } from '@serverless-orders/adapters-dynamodb';
import { SnsOrderNotifier } from '@serverless-orders/adapters-sns';
import { awsClient, configFrom, provide, provideFrom, token, type Observability } from '@serverless-orders/platform-lambda';
import type { OrderStateSteps } from './handler';

export const TOKENS = {
  Orders: token<OrderRepository>('manage-order-state.OrderRepository'),
  Notifier: token<OrderNotifier>('manage-order-state.OrderNotifier'),
  Clock: token<Clock>('manage-order-state.Clock'),
  Steps: token<OrderStateSteps>('manage-order-state.Steps'),
};

/** The composition root: the one place that chooses adapters, from configuration. */
export function createContainer(obs: Observability, env = process.env): Container {
  const config = configFrom(env);
  const tableName = config.required('ORDERS_TABLE_NAME');
  const topicArn = config.required('ORDER_TOPIC_ARN');
  const dynamodb = awsClient(obs, DynamoDBClient);
  const sns = awsClient(obs, SNSClient);

  const container = new Container({ defaultScope: 'Singleton' });
  provide(container, TOKENS.Orders, new DynamoDbOrderRepository(documentClient(dynamodb), tableName));
  provide(container, TOKENS.Notifier, new SnsOrderNotifier(sns, topicArn));
  provide(container, TOKENS.Clock, systemClock);
  provideFrom(container, TOKENS.Steps, [TOKENS.Orders, TOKENS.Clock, TOKENS.Notifier], (orders, clock, notifier) => ({
    RecordPayment: new RecordPayment(orders, clock),
    CompleteOrder: new CompleteOrder(orders, clock, notifier),
    RecordPaymentRefusal: new RecordPaymentRefusal(orders, clock, notifier),
    RecordRestaurantRefusal: new RecordRestaurantRefusal(orders, clock, notifier),
    FailOrder: new FailOrder(orders, clock, notifier),
  }));
  return container;
}
