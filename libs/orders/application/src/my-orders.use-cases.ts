import {
  changeOrder,
  OrderConflictError,
  OrderNotFoundError,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
  ValidationError,
  type Order,
  type OrderChanges,
} from '@serverless-orders/orders-domain';
import type { Clock } from './clock.port';
import {
  ConcurrentChangeError,
  type OrderPage,
  type OrderRepository,
  type PageRequest,
} from './order-repository.port';

/** List my orders, newest first, a page at a time. */
export class ListMyOrders {
  constructor(private readonly orders: OrderRepository) {}

  async execute(owner: string, page: Partial<PageRequest> = {}): Promise<OrderPage> {
    const limit = page.limit ?? PAGE_LIMIT_DEFAULT;
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMIT_MAX) {
      throw ValidationError.of('limit', `must be a whole number from 1 to ${PAGE_LIMIT_MAX}`);
    }
    return this.orders.listByOwner(owner, { limit, nextToken: page.nextToken });
  }
}

/** Get one of my orders; someone else's is not found. */
export class GetMyOrder {
  constructor(private readonly orders: OrderRepository) {}

  async execute(owner: string, id: string): Promise<Order> {
    const order = await this.orders.get(owner, id);
    if (!order) throw new OrderNotFoundError(id);
    return order;
  }
}

/** Change quantity, restaurant or item of my order while it is PENDING. */
export class UpdateMyOrder {
  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
  ) {}

  async execute(owner: string, id: string, changes: OrderChanges): Promise<Order> {
    const current = await this.orders.get(owner, id);
    if (!current) throw new OrderNotFoundError(id);
    const next = changeOrder(current, changes, this.clock.now());
    try {
      await this.orders.replace(next, current);
    } catch (error) {
      // The workflow moved it on (or another update won) between our read and write.
      if (error instanceof ConcurrentChangeError) {
        throw new OrderConflictError(`order ${id} changed meanwhile; read it again`);
      }
      throw error;
    }
    return next;
  }
}

/** Cancel (delete) my order. */
export class DeleteMyOrder {
  constructor(private readonly orders: OrderRepository) {}

  async execute(owner: string, id: string): Promise<void> {
    if (!(await this.orders.delete(owner, id))) throw new OrderNotFoundError(id);
  }
}
