import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface NotificationsArgs {
  readonly prefix: string;
  readonly email: string;
}

/** The topic every final order status is published to, with an email subscription (confirmed by mail). */
export class Notifications extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly subscription: aws.sns.TopicSubscription;

  constructor(name: string, args: NotificationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('serverless-orders:messaging:Notifications', name, {}, opts);
    this.topic = new aws.sns.Topic(
      `${args.prefix}-order-notifications`,
      // Encrypted with the AWS managed key: its key policy lets SNS use it for this account's publishers.
      { kmsMasterKeyId: 'alias/aws/sns' },
      { parent: this },
    );
    this.subscription = new aws.sns.TopicSubscription(
      `${args.prefix}-order-notifications-email`,
      { topic: this.topic.arn, protocol: 'email', endpoint: args.email },
      { parent: this },
    );
    this.registerOutputs({ topicArn: this.topic.arn });
  }
}
