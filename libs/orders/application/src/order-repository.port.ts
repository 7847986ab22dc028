import type { Order } from '@serverless-orders/orders-domain';

/** One page of a customer's orders, newest first. */
export interface OrderPage {
  readonly items: readonly Order[];
  /** Opaque; present when there are more orders. It can only continue the same owner's listing. */
  readonly nextToken?: string;
}

export interface PageRequest {
  readonly limit: number;
  readonly nextToken?: string;
}

/** What `create` found: the order was new, or one with that id already existed (a redelivery). */
export type CreateOutcome = 'created' | 'exists';

/**
 * Where orders live. Every read and write is scoped to an owner: an order of another
 * owner behaves exactly like one that does not exist.
 */
export interface OrderRepository {
  get(owner: string, id: string): Promise<Order | undefined>;
  /** Newest first. A malformed or foreign nextToken is a ValidationError on `next_token`. */
  listByOwner(owner: string, page: PageRequest): Promise<OrderPage>;
  /** Stores a new order; never overwrites an existing one. */
  create(order: Order): Promise<CreateOutcome>;
  /**
   * Replaces a stored order if it still is the version that was read; otherwise a
   * ConcurrentChangeError, or OrderNotFoundError when it is gone.
   */
  replace(order: Order, expected: Pick<Order, 'version'>): Promise<void>;
  /**
   * Orders of any owner that are not final (PENDING or PAID) and were last changed before
   * `updatedBefore`, oldest first, at most `limit`: what the reconciler looks at.
   */
  listUnsettled(updatedBefore: Date, limit: number): Promise<Order[]>;
  /** Removes the order; false when there was none for that owner. */
  delete(owner: string, id: string): Promise<boolean>;
}

/** The order changed between read and write. */
export class ConcurrentChangeError extends Error {
  constructor(readonly orderId: string) {
    super(`order ${orderId} changed while it was being updated`);
    this.name = 'ConcurrentChangeError';
  }
}
