import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { orderWorkflowDefinition, type WorkflowResources } from '@serverless-orders/order-workflow';
import { assumeRolePolicy, workflowPolicy } from '../iam';

export interface OrderWorkflowArgs {
  readonly prefix: string;
  readonly waitSeconds: number;
  /** The task functions' ARNs, substituted into the shared ASL document. */
  readonly resources: pulumi.Input<{ readonly [K in keyof WorkflowResources]: pulumi.Input<string> }>;
  readonly logRetentionDays: number;
}

/** The order workflow: the shared ASL document with the functions' ARNs, logged and traced. */
export class OrderWorkflow extends pulumi.ComponentResource {
  readonly stateMachine: aws.sfn.StateMachine;
  readonly role: aws.iam.Role;
  readonly policy: aws.iam.RolePolicy;
  readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: OrderWorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
    super('serverless-orders:workflow:OrderWorkflow', name, {}, opts);
    const machineName = `${args.prefix}-order-workflow`;
    const resources = pulumi.output(args.resources);

    // The /aws/vendedlogs/ prefix keeps CloudWatch's resource policy for log delivery small.
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${machineName}-logs`,
      { name: `/aws/vendedlogs/states/${machineName}`, retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    this.role = new aws.iam.Role(
      `${machineName}-role`,
      {
        description: `${machineName}: invoke its task functions, log, trace`,
        assumeRolePolicy: JSON.stringify(assumeRolePolicy('states.amazonaws.com')),
      },
      { parent: this },
    );
    this.policy = new aws.iam.RolePolicy(
      `${machineName}-policy`,
      {
        role: this.role.id,
        policy: resources.apply((r) => JSON.stringify(workflowPolicy(Object.values(r)))),
      },
      { parent: this },
    );
    this.stateMachine = new aws.sfn.StateMachine(
      machineName,
      {
        name: machineName,
        type: 'STANDARD',
        roleArn: this.role.arn,
        definition: resources.apply((r) => JSON.stringify(orderWorkflowDefinition({ waitSeconds: args.waitSeconds, resources: r }))),
        loggingConfiguration: {
          logDestination: pulumi.interpolate`${this.logGroup.arn}:*`,
          includeExecutionData: true,
          level: 'ALL',
        },
        tracingConfiguration: { enabled: true },
      },
      // Step Functions checks the role's permissions (log delivery) when it creates the machine.
      { parent: this, dependsOn: [this.policy] },
    );
    this.registerOutputs({ stateMachineArn: this.stateMachine.arn });
  }
}
