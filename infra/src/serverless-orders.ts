import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { FUNCTIONS, functionDefinition, type FunctionName } from '@serverless-orders/function-catalogue';
import { WORKFLOW_TASK_FUNCTIONS, type WorkflowResources } from '@serverless-orders/order-workflow';
import { Notifications } from './components/notifications.component';
import { Operations } from './components/operations.component';
import { OrderFunction } from './components/order-function.component';
import { OrderQueue } from './components/order-queue.component';
import { OrdersApi } from './components/orders-api.component';
import { OrdersTable } from './components/orders-table.component';
import { OrderWorkflow } from './components/order-workflow.component';
import { UserPool } from './components/user-pool.component';
import {
  authorizerIdentityHeader,
  authorizerSchemeEnvironment,
  checkDeploymentSettings,
  configSettingValues,
  deployedFunctions,
  functionEnvironment,
  type ResourceValues,
} from './function-environment';
import type { StackSettings } from './stack-settings';

/** What a deployed stack tells its users (the CLI and the local stack write the same keys). */
export interface SystemOutputs {
  readonly apiUrl: pulumi.Output<string>;
  readonly userPoolId: pulumi.Output<string>;
  readonly userPoolClientId: pulumi.Output<string>;
  /** A secret output: `pulumi stack output --show-secrets userPoolClientSecret`. */
  readonly userPoolClientSecret: pulumi.Output<string>;
  readonly region: pulumi.Output<string>;
  readonly tableName: pulumi.Output<string>;
  readonly orderQueueUrl: pulumi.Output<string>;
  readonly deadLetterQueueUrl: pulumi.Output<string>;
  /** For `aws sqs start-message-move-task --source-arn …`: the dead-letter redrive. */
  readonly deadLetterQueueArn: pulumi.Output<string>;
  readonly topicArn: pulumi.Output<string>;
  readonly operationsTopicArn: pulumi.Output<string>;
  readonly stateMachineArn: pulumi.Output<string>;
  readonly authorizer: pulumi.Output<string>;
}

/** The reconciler's metric, as apps/reconcile-orders publishes it (Powertools Metrics, service dimension). */
const RECONCILER_METRIC = { namespace: 'ServerlessOrders', metric: 'OrdersReconciled', service: 'reconcile-orders' };

/**
 * The whole system, one component per concern, in dependency order: data and messaging,
 * then the workflow's task functions, the workflow, the queue consumer, the HTTP functions
 * and the authorizer, and the API in front of them.
 */
export class ServerlessOrders extends pulumi.ComponentResource {
  readonly table: OrdersTable;
  readonly queue: OrderQueue;
  readonly notifications: Notifications;
  readonly operations: Operations;
  readonly userPool: UserPool;
  readonly workflow: OrderWorkflow;
  /** Every function the stack deploys (the Lambda authorizer in lambda mode only). */
  readonly functions: Readonly<Partial<Record<FunctionName, OrderFunction>>>;
  readonly api: OrdersApi;
  readonly outputs: SystemOutputs;

  constructor(name: string, settings: StackSettings, opts?: pulumi.ComponentResourceOptions) {
    // Before anything registers: a setting that cannot deploy stops the program here, named.
    checkDeploymentSettings(settings);
    super('serverless-orders:index:ServerlessOrders', name, {}, opts);
    const { prefix } = settings;
    const parent = { parent: this };

    this.table = new OrdersTable(`${prefix}-table`, { prefix }, parent);
    this.queue = new OrderQueue(`${prefix}-queue`, { prefix }, parent);
    this.notifications = new Notifications(`${prefix}-notifications`, { prefix, email: settings.notificationEmail }, parent);
    this.userPool = new UserPool(`${prefix}-user-pool`, { prefix }, parent);

    // Catalogue settings filled from config: AUTH_SCHEME is the stack's authScheme, and
    // CORS_ALLOW_ORIGIN its corsAllowOrigin (unless `settings` names it).
    const configSettings = configSettingValues(settings);
    const arns = {
      table: this.table.table.arn,
      idempotencyTable: this.table.idempotencyTable.arn,
      queue: this.queue.queue.arn,
      deadLetterQueue: this.queue.deadLetterQueue.arn,
      topic: this.notifications.topic.arn,
    };
    const resourceValues = (extra: pulumi.Input<ResourceValues> = {}) =>
      pulumi
        .all([this.table.table.name, this.table.idempotencyTable.name, this.notifications.topic.arn, this.queue.deadLetterQueue.url, extra])
        .apply(
          ([tableName, idempotencyTableName, topicArn, deadLetterQueueUrl, more]): ResourceValues => ({
            'table-name': tableName,
            'idempotency-table-name': idempotencyTableName,
            'topic-arn': topicArn,
            'dead-letter-queue-url': deadLetterQueueUrl,
            ...more,
          }),
        );

    const functions: Partial<Record<FunctionName, OrderFunction>> = {};
    const deploy = (app: FunctionName, extra: { stateMachine?: pulumi.Output<string>; environment?: pulumi.Input<Record<string, string>> } = {}) => {
      const definition = functionDefinition(app);
      const resources = resourceValues(extra.stateMachine ? extra.stateMachine.apply((arn) => ({ 'state-machine-arn': arn })) : {});
      const environment = pulumi
        .all([resources, extra.environment ?? {}])
        .apply(([values, more]) => ({ ...functionEnvironment(definition, values, configSettings, settings.logLevel), ...more }));
      functions[app] = new OrderFunction(
        `${prefix}-${app}`,
        {
          prefix,
          definition,
          artifactsDir: settings.artifactsDir,
          architecture: settings.architecture,
          logRetentionDays: settings.logRetentionDays,
          environment,
          arns: { ...arns, ...(extra.stateMachine ? { stateMachine: extra.stateMachine } : {}) },
          eventSourceArn: definition.trigger.kind === 'queue' ? this.queue.queue.arn : undefined,
        },
        parent,
      );
      return functions[app];
    };

    // The workflow's task functions first: the state machine names them.
    for (const app of WORKFLOW_TASK_FUNCTIONS) deploy(app);
    this.workflow = new OrderWorkflow(
      `${prefix}-workflow`,
      {
        prefix,
        waitSeconds: settings.waitSeconds,
        logRetentionDays: settings.logRetentionDays,
        resources: Object.fromEntries(WORKFLOW_TASK_FUNCTIONS.map((app) => [app, need(functions[app]).function.arn])) as {
          [K in keyof WorkflowResources]: pulumi.Output<string>;
        },
      },
      parent,
    );

    const authorizerEnvironment = pulumi
      .all([this.userPool.pool.id, this.userPool.client.id, pulumi.all(settings.secretSettings)])
      .apply(([poolId, clientId, secrets]) =>
        authorizerSchemeEnvironment(
          settings.authScheme,
          { ...settings.settings, ...secrets },
          { COGNITO_USER_POOL_ID: poolId, COGNITO_CLIENT_ID: clientId },
        ),
      );

    for (const definition of deployedFunctions(settings)) {
      if (functions[definition.app]) continue;
      const trigger = definition.trigger.kind;
      deploy(definition.app, {
        stateMachine: definition.settings.some((s) => s.from === 'state-machine-arn') ? this.workflow.stateMachine.arn : undefined,
        environment: trigger === 'authorizer' ? authorizerEnvironment : undefined,
      });
    }
    this.functions = functions;

    const authorizerFunction = FUNCTIONS.find((f) => f.trigger.kind === 'authorizer');
    this.api = new OrdersApi(
      `${prefix}-api`,
      {
        prefix,
        functions: Object.fromEntries(
          FUNCTIONS.filter((f) => f.trigger.kind === 'http').map((f) => [f.app, need(functions[f.app]).function]),
        ),
        queue: this.queue.queue,
        authorizer:
          settings.authorizer === 'cognito'
            ? { mode: 'cognito', userPool: this.userPool.pool }
            : {
                mode: 'lambda',
                function: need(authorizerFunction && functions[authorizerFunction.app]).function,
                ttlSeconds: settings.authorizerTtlSeconds,
                identityHeader: authorizerIdentityHeader(settings.authScheme, settings.settings),
              },
        corsAllowOrigin: settings.corsAllowOrigin,
        throttling: { rateLimit: settings.throttleRateLimit, burstLimit: settings.throttleBurstLimit },
        logRetentionDays: settings.logRetentionDays,
        manageAccount: settings.manageApiGatewayAccount,
      },
      parent,
    );

    this.operations = new Operations(
      `${prefix}-operations`,
      {
        prefix,
        email: settings.notificationEmail,
        deadLetterQueueName: this.queue.deadLetterQueue.name,
        stateMachineArn: this.workflow.stateMachine.arn,
        reconciler: RECONCILER_METRIC,
      },
      parent,
    );

    this.outputs = {
      apiUrl: this.api.stage.invokeUrl,
      userPoolId: this.userPool.pool.id,
      userPoolClientId: this.userPool.client.id,
      userPoolClientSecret: pulumi.secret(this.userPool.client.clientSecret),
      region: aws.getRegionOutput({}, { parent: this }).region,
      tableName: this.table.table.name,
      orderQueueUrl: this.queue.queue.url,
      deadLetterQueueUrl: this.queue.deadLetterQueue.url,
      deadLetterQueueArn: this.queue.deadLetterQueue.arn,
      topicArn: this.notifications.topic.arn,
      operationsTopicArn: this.operations.topic.arn,
      stateMachineArn: this.workflow.stateMachine.arn,
      authorizer: pulumi.output(settings.authorizer),
    };
    this.registerOutputs({ ...this.outputs });
  }
}

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the catalogue lacks a function the system needs');
  return value;
}
