import { inject, injectable } from 'inversify';
import { newOrder, type Order, type OrderDetails } from '@serverless-orders/orders-domain';
import type { OrderWorkflow, StartOutcome } from './order-workflow.port';
import { ORDERS_TOKENS } from './tokens';

export interface QueuedOrder {
  /** The order id: the id of the queue message that carried it. */
  readonly id: string;
  /** The principal who placed it (the authorizer's sub), never a field of the body. */
  readonly owner: string;
  readonly details: OrderDetails;
  /** When it was placed (the message's sent time): the same on every redelivery. */
  readonly placedAt: Date;
}

/**
 * Place a queued order: check it, then start its workflow. Redelivering the same message
 * starts nothing new ('already-started'). An invalid order is a ValidationError, a permanent
 * failure of that message.
 */
@injectable()
export class PlaceOrder {
  constructor(@inject(ORDERS_TOKENS.OrderWorkflow) private readonly workflow: OrderWorkflow) {}

  async execute(queued: QueuedOrder): Promise<{ order: Order; outcome: StartOutcome }> {
    const order = newOrder(queued.id, queued.owner, queued.details, queued.placedAt);
    return { order, outcome: await this.workflow.start(order) };
  }
}
