import { newOrder, sameDetails, type Order, type OrderDetails } from '@serverless-orders/orders-domain';
import type { OrderRepository } from './order-repository.port';
import type { OrderWorkflow, StartOutcome } from './order-workflow.port';

export interface QueuedOrder {
  /** The order id, derived from the message that carried it (see the HTTP contract's order message). */
  readonly id: string;
  /** The principal who placed it (the authorizer's sub), never a field of the body. */
  readonly owner: string;
  readonly details: OrderDetails;
  /** When it was placed (the message's sent time): the same on every redelivery. */
  readonly placedAt: Date;
}

/** What placing found and did. */
export interface Placement {
  /** The order as stored: this one, or the one stored before under the same id. */
  readonly order: Order;
  /** 'exists' on a redelivery or a client's retry; 'deleted' when its owner deleted it meanwhile. */
  readonly stored: 'created' | 'exists' | 'deleted';
  /** Whether the stored order asks for something else than this message (an idempotency key reused for another order). */
  readonly differs: boolean;
  readonly workflow?: StartOutcome;
}

/** The order could not be stored: nothing was promised to the workflow. */
export class OrderNotStoredError extends Error {
  constructor(
    readonly orderId: string,
    override readonly cause: unknown,
  ) {
    super(`order ${orderId} not stored: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'OrderNotStoredError';
  }
}

/** The order is stored PENDING but its workflow did not start (yet): starting again is safe. */
export class WorkflowNotStartedError extends Error {
  constructor(
    readonly order: Order,
    override readonly cause: unknown,
  ) {
    super(`workflow of order ${order.id} not started: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'WorkflowNotStartedError';
  }
}

/**
 * Place a queued order: persist before you promise. The order is checked and stored PENDING
 * (a conditional write on its id, so a redelivery or a client's retry stores nothing new),
 * then its workflow is started under its id (so a second start starts nothing). An invalid
 * order is a ValidationError; a failed store an OrderNotStoredError; a failed start a
 * WorkflowNotStartedError, with the order already stored.
 */
export class PlaceOrder {
  constructor(
    private readonly orders: OrderRepository,
    private readonly workflow: OrderWorkflow,
  ) {}

  async execute(queued: QueuedOrder): Promise<Placement> {
    const order = newOrder(queued.id, queued.owner, queued.details, queued.placedAt);
    let stored: Placement;
    try {
      stored = await this.store(order);
    } catch (error) {
      throw new OrderNotStoredError(order.id, error);
    }
    if (stored.stored === 'deleted') return stored;
    try {
      return { ...stored, workflow: await this.workflow.start(stored.order) };
    } catch (error) {
      throw new WorkflowNotStartedError(stored.order, error);
    }
  }

  private async store(order: Order): Promise<Placement> {
    if ((await this.orders.create(order)) === 'created') return { order, stored: 'created', differs: false };
    const existing = await this.orders.get(order.user_id, order.id);
    if (!existing) return { order, stored: 'deleted', differs: false };
    return { order: existing, stored: 'exists', differs: !sameDetails(existing, order) && existing.version === 1 };
  }
}
