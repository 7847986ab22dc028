import { createHash } from 'node:crypto';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StageThrottling } from '@serverless-orders/api-gateway';
import { ROUTES } from '@serverless-orders/http-contract';
import { type FunctionName } from '@serverless-orders/function-catalogue';
import { apiGatewayDocument, routeSourceArn, type ApiAuthorizer } from '../api-document';
import { apiGatewayLoggingPolicy, assumeRolePolicy, queueSendPolicy } from '../iam';

/** The API's one stage: its name is in every client's URL (README, Compatibility). */
export const STAGE_NAME = 'dev';

export type OrdersApiAuthorizer =
  | { readonly mode: 'cognito'; readonly userPool: aws.cognito.UserPool }
  | {
      readonly mode: 'lambda';
      readonly function: aws.lambda.Function;
      readonly ttlSeconds: number;
      readonly identityHeader: string;
    };

export interface OrdersApiArgs {
  readonly prefix: string;
  /** Every function a route names. */
  readonly functions: Readonly<Partial<Record<FunctionName, aws.lambda.Function>>>;
  readonly queue: aws.sqs.Queue;
  readonly authorizer: OrdersApiAuthorizer;
  readonly corsAllowOrigin: string;
  /** The stage's default method throttling: each method of the stage gets this token bucket. */
  readonly throttling: StageThrottling;
  readonly logRetentionDays: number;
  /** Set the region's API Gateway CloudWatch role (an account setting that access logs need). */
  readonly manageAccount: boolean;
}

/** JSON access log line: who called what, with which outcome, and why a call failed. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  principal: '$context.authorizer.principalId',
  sub: '$context.authorizer.claims.sub',
  authorizerError: '$context.authorizer.error',
  integrationError: '$context.integration.error',
  integrationStatus: '$context.integration.status',
  latency: '$context.responseLatency',
  xrayTraceId: '$context.xrayTraceId',
});

/**
 * The REST API, imported from the shared OpenAPI document with API Gateway's extensions,
 * the chosen authorizer on every method, its stage with access logs and tracing, and the
 * permissions that let API Gateway call exactly the functions and the queue it integrates.
 */
export class OrdersApi extends pulumi.ComponentResource {
  readonly restApi: aws.apigateway.RestApi;
  readonly stage: aws.apigateway.Stage;
  readonly throttling: aws.apigateway.MethodSettings;
  readonly deployment: aws.apigateway.Deployment;
  readonly queueRole: aws.iam.Role;
  readonly queuePolicy: aws.iam.RolePolicy;
  readonly accessLogGroup: aws.cloudwatch.LogGroup;
  readonly permissions: aws.lambda.Permission[] = [];
  readonly body: pulumi.Output<string>;
  readonly accountRole?: aws.iam.Role;
  readonly accountPolicy?: aws.iam.RolePolicy;

  constructor(name: string, args: OrdersApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('serverless-orders:api:OrdersApi', name, {}, opts);
    const apiName = `${args.prefix}-api`;

    this.queueRole = new aws.iam.Role(
      `${apiName}-queue-role`,
      {
        description: `${apiName}: POST /orders sends to the order queue`,
        assumeRolePolicy: JSON.stringify(assumeRolePolicy('apigateway.amazonaws.com')),
      },
      { parent: this },
    );
    this.queuePolicy = new aws.iam.RolePolicy(
      `${apiName}-queue-policy`,
      { role: this.queueRole.id, policy: args.queue.arn.apply((arn) => JSON.stringify(queueSendPolicy(arn))) },
      { parent: this },
    );

    this.accessLogGroup = new aws.cloudwatch.LogGroup(
      `${apiName}-access-logs`,
      { name: `/aws/apigateway/${apiName}/access`, retentionInDays: args.logRetentionDays },
      { parent: this },
    );

    let account: aws.apigateway.Account | undefined;
    if (args.manageAccount) {
      // The account setting serves every REST API of the region, this stack's or not. Destroying
      // this stack must not take it away (the provider resets it when the Account resource is
      // deleted, and the role would be gone): all three stay behind on `pulumi destroy`.
      const regionWide = { parent: this, retainOnDelete: true };
      this.accountRole = new aws.iam.Role(
        `${apiName}-cloudwatch-role`,
        {
          description: 'API Gateway (this region): write access and execution logs',
          assumeRolePolicy: JSON.stringify(assumeRolePolicy('apigateway.amazonaws.com')),
        },
        regionWide,
      );
      this.accountPolicy = new aws.iam.RolePolicy(
        `${apiName}-cloudwatch-policy`,
        {
          role: this.accountRole.id,
          policy: this.accessLogGroup.arn.apply((arn) => JSON.stringify(apiGatewayLoggingPolicy(arn))),
        },
        regionWide,
      );
      account = new aws.apigateway.Account(
        `${apiName}-account`,
        { cloudwatchRoleArn: this.accountRole.arn },
        { ...regionWide, dependsOn: [this.accountPolicy] },
      );
    }

    const invokeArns = pulumi.output(
      Object.fromEntries(Object.entries(args.functions).map(([app, fn]) => [app, fn.invokeArn])) as Record<string, pulumi.Output<string>>,
    );
    const authorizer: pulumi.Output<ApiAuthorizer> =
      args.authorizer.mode === 'cognito'
        ? args.authorizer.userPool.arn.apply((userPoolArn): ApiAuthorizer => ({ mode: 'cognito', userPoolArn }))
        : (() => {
            const { ttlSeconds, identityHeader } = args.authorizer;
            return args.authorizer.function.invokeArn.apply(
              (invokeArn): ApiAuthorizer => ({ mode: 'lambda', invokeArn, ttlSeconds, identityHeader }),
            );
          })();
    this.body = pulumi
      .all([invokeArns, args.queue.arn, this.queueRole.arn, authorizer])
      .apply(([functionInvokeArns, queueArn, queueRoleArn, resolvedAuthorizer]) =>
        JSON.stringify(
          apiGatewayDocument({
            functionInvokeArns,
            queueArn,
            queueRoleArn,
            authorizer: resolvedAuthorizer,
            corsAllowOrigin: args.corsAllowOrigin,
            title: apiName,
          }),
        ),
      );

    this.restApi = new aws.apigateway.RestApi(
      apiName,
      { name: apiName, body: this.body, endpointConfiguration: { types: 'REGIONAL' } },
      { parent: this },
    );

    // API Gateway may invoke each function only for the routes that name it, on this stage.
    for (const route of ROUTES) {
      if (route.integration.kind !== 'lambda') continue;
      const fn = args.functions[route.integration.function];
      if (!fn) throw new Error(`${route.method} ${route.path} names ${route.integration.function}, which is not deployed`);
      this.permissions.push(
        new aws.lambda.Permission(
          `${apiName}-${route.operationId}-invoke`,
          {
            action: 'lambda:InvokeFunction',
            function: fn.name,
            principal: 'apigateway.amazonaws.com',
            sourceArn: this.restApi.executionArn.apply((arn) => routeSourceArn(arn, STAGE_NAME, route.method, route.path)),
          },
          { parent: this },
        ),
      );
    }
    if (args.authorizer.mode === 'lambda') {
      this.permissions.push(
        new aws.lambda.Permission(
          `${apiName}-authorizer-invoke`,
          {
            action: 'lambda:InvokeFunction',
            function: args.authorizer.function.name,
            principal: 'apigateway.amazonaws.com',
            sourceArn: pulumi.interpolate`${this.restApi.executionArn}/authorizers/*`,
          },
          { parent: this },
        ),
      );
    }

    this.deployment = new aws.apigateway.Deployment(
      `${apiName}-deployment`,
      {
        restApi: this.restApi.id,
        description: `${apiName}: the imported document`,
        // A new deployment whenever the document changes.
        triggers: { redeployment: this.body.apply((b) => createHash('sha256').update(b).digest('hex')) },
      },
      { parent: this, dependsOn: [...this.permissions, this.queuePolicy] },
    );

    this.stage = new aws.apigateway.Stage(
      `${apiName}-${STAGE_NAME}`,
      {
        restApi: this.restApi.id,
        deployment: this.deployment.id,
        stageName: STAGE_NAME,
        xrayTracingEnabled: true,
        accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
      },
      { parent: this, dependsOn: account ? [account] : [] },
    );

    // Every method of the stage (`*/*`), each on its own: beyond the burst, and then the rate,
    // API Gateway answers 429 THROTTLED before the authorizer runs.
    this.throttling = new aws.apigateway.MethodSettings(
      `${apiName}-${STAGE_NAME}-throttling`,
      {
        restApi: this.restApi.id,
        stageName: this.stage.stageName,
        methodPath: '*/*',
        settings: { throttlingRateLimit: args.throttling.rateLimit, throttlingBurstLimit: args.throttling.burstLimit },
      },
      { parent: this },
    );

    this.registerOutputs({ apiUrl: this.stage.invokeUrl });
  }
}
