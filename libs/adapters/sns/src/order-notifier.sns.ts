import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { notificationDeduplicationId, type OrderNotifier } from '@serverless-orders/orders-application';
import type { Order } from '@serverless-orders/orders-domain';

/** SNS allows subjects of at most 100 printable ASCII characters, without line breaks. */
const SUBJECT_MAX = 100;

export interface OrderNotification {
  readonly subject: string;
  readonly message: string;
}

/**
 * A customer's text as it may appear in the message: C0 and C1 control characters (line
 * breaks, escape sequences) are shown as \u escapes, so no field can add lines to the message
 * or drive a terminal. The API refuses them already; this is defence in depth.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The notification for an order's final status: a subject, and a message naming order, owner, status and reason. */
export function orderNotification(order: Order): OrderNotification {
  const outcome = order.order_status === 'SUCCESS' ? 'is on its way' : order.order_status === 'FAILURE' ? 'failed' : `is ${order.order_status}`;
  const subject = `Your order ${outcome} (${order.order_status})`.replace(/[^\x20-\x7e]/g, '?').slice(0, SUBJECT_MAX);
  const message = [
    `Order ${printable(order.id)} ${outcome}.`,
    '',
    `Order:  ${printable(order.id)}`,
    `Owner:  ${printable(order.user_id)}`,
    `Status: ${order.order_status}`,
    ...(order.error_message ? [`Reason: ${printable(order.error_message)}`] : []),
    `Item:   ${order.quantity} × ${printable(order.item)} from ${printable(order.restaurant_id)}`,
  ].join('\n');
  return { subject, message };
}

/**
 * Notifications on an SNS topic (its subscribers: an email address, in AWS). The status
 * also travels as a message attribute, so that subscribers can filter on it, and so does a
 * deduplication id (order id and final status), the same on every repeat of a notification.
 */
export class SnsOrderNotifier implements OrderNotifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async notifyFinalStatus(order: Order): Promise<void> {
    const { subject, message } = orderNotification(order);
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: subject,
        Message: message,
        MessageAttributes: {
          order_id: { DataType: 'String', StringValue: order.id },
          order_status: { DataType: 'String', StringValue: order.order_status },
          deduplication_id: { DataType: 'String', StringValue: notificationDeduplicationId(order) },
        },
      }),
    );
  }
}
