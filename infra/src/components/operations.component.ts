import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface OperationsArgs {
  readonly prefix: string;
  /** Who is told: an email subscription of the operations topic (confirmed by mail). */
  readonly email: string;
  readonly deadLetterQueueName: pulumi.Input<string>;
  readonly stateMachineArn: pulumi.Input<string>;
  /** The reconciler's metric (CloudWatch embedded metric format): namespace, name and its service dimension. */
  readonly reconciler: { readonly namespace: string; readonly metric: string; readonly service: string };
}

/**
 * What an operator must hear about, on an operations topic: a message in the dead-letter queue
 * (an order that could not be taken, with its reason), a workflow execution that failed or timed
 * out (an order the reconciler will have to finish), and the reconciler acting at all (a
 * workflow that did not finish by itself). Each alarm fires on the first occurrence and clears
 * by itself; missing data is no news.
 */
export class Operations extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly alarms: aws.cloudwatch.MetricAlarm[];

  constructor(name: string, args: OperationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('serverless-orders:operations:Operations', name, {}, opts);
    const parent = { parent: this };
    this.topic = new aws.sns.Topic(`${args.prefix}-operations`, { kmsMasterKeyId: 'alias/aws/sns' }, parent);
    new aws.sns.TopicSubscription(`${args.prefix}-operations-email`, { topic: this.topic.arn, protocol: 'email', endpoint: args.email }, parent);

    const alarm = (id: string, description: string, metric: Pick<aws.cloudwatch.MetricAlarmArgs, 'namespace' | 'metricName' | 'dimensions' | 'statistic'>) =>
      new aws.cloudwatch.MetricAlarm(
        `${args.prefix}-${id}`,
        {
          alarmDescription: description,
          ...metric,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: 0,
          period: 60,
          evaluationPeriods: 1,
          treatMissingData: 'notBreaching',
          alarmActions: [this.topic.arn],
          okActions: [this.topic.arn],
        },
        parent,
      );

    this.alarms = [
      alarm('dead-letters', 'An order message is in the dead-letter queue: read its dead-letter-reason, fix, then redrive (see the README)', {
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: args.deadLetterQueueName },
        statistic: 'Maximum',
      }),
      alarm('executions-failed', 'An order workflow execution failed: the reconciler redrives it', {
        namespace: 'AWS/States',
        metricName: 'ExecutionsFailed',
        dimensions: { StateMachineArn: args.stateMachineArn },
        statistic: 'Sum',
      }),
      alarm('executions-timed-out', 'An order workflow execution timed out: the reconciler redrives it', {
        namespace: 'AWS/States',
        metricName: 'ExecutionsTimedOut',
        dimensions: { StateMachineArn: args.stateMachineArn },
        statistic: 'Sum',
      }),
      alarm('orders-reconciled', 'The reconciler had to start, resume or fail orders: a workflow did not finish by itself', {
        namespace: args.reconciler.namespace,
        metricName: args.reconciler.metric,
        dimensions: { service: args.reconciler.service },
        statistic: 'Sum',
      }),
    ];
    this.registerOutputs({ operationsTopicArn: this.topic.arn });
  }
}
