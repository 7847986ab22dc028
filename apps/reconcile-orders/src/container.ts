import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Container } from 'inversify';
import { FailOrder, ReconcileOrders, systemClock } from '@serverless-orders/orders-application';
import { dynamoDbOrderRepository } from '@serverless-orders/adapters-dynamodb';
import { SnsOrderNotifier } from '@serverless-orders/adapters-sns';
import { StepFunctionsOrderWorkflow } from '@serverless-orders/adapters-step-functions';
import { awsClient, configFrom, provide, token, type Observability } from '@serverless-orders/platform-lambda';
import { RECONCILER_METRICS } from './handler';

export const TOKENS = {
  Reconcile: token<ReconcileOrders>('reconcile-orders.ReconcileOrders'),
  Metrics: token<Metrics>('reconcile-orders.Metrics'),
};

/** How long an order may go unchanged before the reconciler looks at it, unless RECONCILE_AFTER_SECONDS says. */
const DEFAULT_RECONCILE_AFTER_SECONDS = 900;

/** The composition root: the one place that chooses adapters, from configuration. */
export function createContainer(obs: Observability, env = process.env): Container {
  const config = configFrom(env);
  const tableName = config.required('ORDERS_TABLE_NAME');
  const stateMachineArn = config.required('STATE_MACHINE_ARN');
  const topicArn = config.required('ORDER_TOPIC_ARN');
  const settleAfterSeconds = config.number('RECONCILE_AFTER_SECONDS', DEFAULT_RECONCILE_AFTER_SECONDS, { min: 1 });
  const maxResumes = config.number('RECONCILE_MAX_RESUMES', 3, { min: 0, max: 100 });

  const orders = dynamoDbOrderRepository(tableName, awsClient(obs, DynamoDBClient));
  const workflow = new StepFunctionsOrderWorkflow(awsClient(obs, SFNClient), stateMachineArn);
  const failOrder = new FailOrder(orders, systemClock, new SnsOrderNotifier(awsClient(obs, SNSClient), topicArn));

  const container = new Container({ defaultScope: 'Singleton' });
  provide(container, TOKENS.Reconcile, new ReconcileOrders(orders, workflow, failOrder, systemClock, { settleAfterSeconds, maxResumes, batchSize: 100 }));
  provide(container, TOKENS.Metrics, new Metrics({ namespace: RECONCILER_METRICS.namespace, serviceName: 'reconcile-orders' }));
  return container;
}
