import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Container } from 'inversify';
import { PlaceOrder } from '@serverless-orders/orders-application';
import { dynamoDbOrderRepository } from '@serverless-orders/adapters-dynamodb';
import { StepFunctionsOrderWorkflow } from '@serverless-orders/adapters-step-functions';
import { awsClient, configFrom, provide, type Observability } from '@serverless-orders/platform-lambda';
import { SqsDeadLetterQueue } from './dead-letter-queue';
import { CREATE_ORDER_TOKENS } from './tokens';

/** The composition root: the one place that chooses adapters, from configuration. */
export function createContainer(obs: Observability, env = process.env): Container {
  const config = configFrom(env);
  const tableName = config.required('ORDERS_TABLE_NAME');
  const stateMachineArn = config.required('STATE_MACHINE_ARN');
  const deadLetterQueueUrl = config.required('DEAD_LETTER_QUEUE_URL');
  const sfn = awsClient(obs, SFNClient);
  const sqs = awsClient(obs, SQSClient);

  const container = new Container({ defaultScope: 'Singleton' });
  const orders = dynamoDbOrderRepository(tableName, awsClient(obs, DynamoDBClient));
  provide(container, CREATE_ORDER_TOKENS.PlaceOrder, new PlaceOrder(orders, new StepFunctionsOrderWorkflow(sfn, stateMachineArn)));
  provide(container, CREATE_ORDER_TOKENS.DeadLetterQueue, new SqsDeadLetterQueue(sqs, deadLetterQueueUrl));
  return container;
}
