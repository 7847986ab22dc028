import * as path from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { FunctionDefinition } from '@serverless-orders/function-catalogue';
import { assumeRolePolicy, functionPolicy, schedulerPolicy, type SystemArns } from '../iam';
import type { Architecture } from '../stack-settings';

export interface OrderFunctionArgs {
  readonly prefix: string;
  readonly definition: FunctionDefinition;
  /** Directory that holds <app>/main.js (the Nx build output, dist/apps). */
  readonly artifactsDir: string;
  readonly architecture: Architecture;
  readonly logRetentionDays: number;
  readonly environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** ARNs of what the function's permissions name (only those it has are needed). */
  readonly arns: { readonly [K in keyof SystemArns]?: pulumi.Input<string> };
  /** For a queue-triggered function: the queue to consume. */
  readonly eventSourceArn?: pulumi.Input<string>;
}

const RUNTIME = 'nodejs22.x';
const HANDLER = 'main.handler';

/**
 * One function of the catalogue: its bundle, its log group (with retention), its own role
 * granting exactly what the catalogue says it uses, active tracing, and its trigger when that
 * is a queue (partial batch responses on).
 */
export class OrderFunction extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly policy: aws.iam.RolePolicy;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly eventSourceMapping?: aws.lambda.EventSourceMapping;
  /** For a scheduled function: its schedule, and the role EventBridge Scheduler invokes it with. */
  readonly schedule?: { readonly schedule: aws.scheduler.Schedule; readonly role: aws.iam.Role; readonly policy: aws.iam.RolePolicy };

  constructor(name: string, args: OrderFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('serverless-orders:compute:OrderFunction', name, {}, opts);
    const { prefix, definition } = args;
    const functionName = `${prefix}-${definition.app}`;

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${functionName}-logs`,
      { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays },
      { parent: this },
    );

    this.role = new aws.iam.Role(
      `${functionName}-role`,
      {
        description: `${functionName}: only what the function uses`,
        assumeRolePolicy: JSON.stringify(assumeRolePolicy('lambda.amazonaws.com')),
      },
      { parent: this },
    );

    const arns = pulumi.output(args.arns);
    this.policy = new aws.iam.RolePolicy(
      `${functionName}-policy`,
      {
        role: this.role.id,
        policy: pulumi.all([this.logGroup.arn, arns]).apply(([logGroupArn, resolved]) =>
          JSON.stringify(
            functionPolicy(definition, logGroupArn, resolved),
          ),
        ),
      },
      { parent: this },
    );

    this.function = new aws.lambda.Function(
      functionName,
      {
        name: functionName,
        description: definition.description,
        code: new pulumi.asset.FileArchive(path.resolve(args.artifactsDir, definition.app)),
        handler: HANDLER,
        runtime: RUNTIME,
        architectures: [args.architecture],
        memorySize: definition.memoryMb,
        timeout: definition.timeoutSeconds,
        role: this.role.arn,
        tracingConfig: { mode: 'Active' },
        loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
        environment: { variables: args.environment },
      },
      // The role's policy must exist before the function can log, or its trigger be created.
      { parent: this, dependsOn: [this.policy, this.logGroup] },
    );

    if (definition.trigger.kind === 'queue') {
      if (!args.eventSourceArn) throw new Error(`${definition.app} is triggered by a queue: it needs eventSourceArn`);
      this.eventSourceMapping = new aws.lambda.EventSourceMapping(
        `${functionName}-queue`,
        {
          eventSourceArn: args.eventSourceArn,
          functionName: this.function.arn,
          batchSize: definition.trigger.batchSize,
          maximumBatchingWindowInSeconds: definition.trigger.maxBatchingWindowSeconds,
          // The function reports the records that failed; the others of the batch are done.
          functionResponseTypes: ['ReportBatchItemFailures'],
        },
        { parent: this, dependsOn: [this.policy] },
      );
    }

    if (definition.trigger.kind === 'schedule') {
      // EventBridge Scheduler invokes the function with its own role, allowed exactly that.
      const schedulerRole = new aws.iam.Role(
        `${functionName}-schedule-role`,
        { description: `${functionName}: EventBridge Scheduler invokes it`, assumeRolePolicy: JSON.stringify(assumeRolePolicy('scheduler.amazonaws.com')) },
        { parent: this },
      );
      const schedulerRolePolicy = new aws.iam.RolePolicy(
        `${functionName}-schedule-policy`,
        { role: schedulerRole.id, policy: this.function.arn.apply((arn) => JSON.stringify(schedulerPolicy(arn))) },
        { parent: this },
      );
      const schedule = new aws.scheduler.Schedule(
        `${functionName}-schedule`,
        {
          name: functionName,
          scheduleExpression: `rate(${definition.trigger.everyMinutes} minutes)`,
          flexibleTimeWindow: { mode: 'OFF' },
          target: { arn: this.function.arn, roleArn: schedulerRole.arn, retryPolicy: { maximumRetryAttempts: 0 } },
        },
        { parent: this, dependsOn: [schedulerRolePolicy] },
      );
      this.schedule = { schedule, role: schedulerRole, policy: schedulerRolePolicy };
    }

    this.registerOutputs({ functionArn: this.function.arn, roleArn: this.role.arn });
  }
}
