import { SFNClient } from '@aws-sdk/client-sfn';
import { Container } from 'inversify';
import { ORDERS_TOKENS, PlaceOrder, type OrderWorkflow } from '@serverless-orders/orders-application';
import { StepFunctionsOrderWorkflow } from '@serverless-orders/adapters-step-functions';
import { configFrom, type Observability } from '@serverless-orders/platform-lambda';

/** The composition root: the one place that chooses adapters, from configuration. */
export function createContainer(obs: Observability, env = process.env): Container {
  const config = configFrom(env);
  const stateMachineArn = config.required('STATE_MACHINE_ARN');
  const sfn = obs.tracer.captureAWSv3Client(new SFNClient({}));

  const container = new Container({ defaultScope: 'Singleton' });
  container.bind<OrderWorkflow>(ORDERS_TOKENS.OrderWorkflow).toConstantValue(new StepFunctionsOrderWorkflow(sfn, stateMachineArn));
  container.bind(PlaceOrder).toSelf();
  return container;
}
