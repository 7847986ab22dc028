import {
  ConcurrentChangeError,
  type CreateOutcome,
  type OrderPage,
  type OrderRepository,
  type PageRequest,
} from '@serverless-orders/orders-application';
import { isFinal, OrderNotFoundError, ValidationError, type Order } from '@serverless-orders/orders-domain';

/**
 * An OrderRepository in memory with the same contract as the DynamoDB adapter (owner-scoped
 * reads, conditional create and replace, newest-first pages with an opaque token), for use
 * case tests. The adapter's own integration tests pin the real behaviour against dynalite.
 */
export class InMemoryOrderRepository implements OrderRepository {
  private readonly orders = new Map<string, Order>();

  private static key(owner: string, id: string) {
    return `${owner}\u0000${id}`;
  }

  /** Every stored order, for assertions. */
  all(): Order[] {
    return [...this.orders.values()];
  }

  async get(owner: string, id: string): Promise<Order | undefined> {
    return this.orders.get(InMemoryOrderRepository.key(owner, id));
  }

  async listByOwner(owner: string, page: PageRequest): Promise<OrderPage> {
    const mine = this.all()
      .filter((o) => o.user_id === owner)
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
    let start = 0;
    if (page.nextToken !== undefined) {
      start = mine.findIndex((o) => o.id === page.nextToken) + 1;
      if (start === 0) throw ValidationError.of('next_token', 'is not a token this API issued');
    }
    const items = mine.slice(start, start + page.limit);
    const more = start + page.limit < mine.length;
    return { items, ...(more ? { nextToken: items[items.length - 1].id } : {}) };
  }

  async create(order: Order): Promise<CreateOutcome> {
    const key = InMemoryOrderRepository.key(order.user_id, order.id);
    if (this.orders.has(key)) return 'exists';
    this.orders.set(key, order);
    return 'created';
  }

  async replace(order: Order, expected: Pick<Order, 'version'>): Promise<void> {
    const key = InMemoryOrderRepository.key(order.user_id, order.id);
    const current = this.orders.get(key);
    if (!current) throw new OrderNotFoundError(order.id);
    if (current.version !== expected.version) throw new ConcurrentChangeError(order.id);
    this.orders.set(key, order);
  }

  async listUnsettled(updatedBefore: Date, limit: number): Promise<Order[]> {
    return this.all()
      .filter((o) => !isFinal(o.order_status) && o.updated_at < updatedBefore.toISOString())
      .sort((a, b) => a.updated_at.localeCompare(b.updated_at))
      .slice(0, limit);
  }

  async delete(owner: string, id: string): Promise<boolean> {
    return this.orders.delete(InMemoryOrderRepository.key(owner, id));
  }
}
