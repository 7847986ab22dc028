import { inject, injectable } from 'inversify';
import {
  isFinal,
  newOrder,
  OrderNotFoundError,
  sameDetails,
  transitionOrder,
  type Order,
  type OrderDetails,
  type OrderStatus,
} from '@serverless-orders/orders-domain';
import type { Clock } from './clock.port';
import type { OrderNotifier } from './order-notifier.port';
import type { OrderToFulfil, ProviderOutcome } from './order-providers.port';
import { ConcurrentChangeError, type OrderRepository } from './order-repository.port';
import type { PaymentGateway } from './payment-gateway.port';
import type { QueuedOrder } from './place-order.use-case';
import type { RestaurantGateway } from './restaurant-gateway.port';
import { ORDERS_TOKENS } from './tokens';

/**
 * The workflow's steps. Each may run more than once (the workflow retries a task whose
 * result it did not get), so each is idempotent: a step that finds its work done returns
 * the order as it is. An order its owner deleted meanwhile is an OrderNotFoundError, which
 * the workflow treats as the end of the road, not as an error to retry.
 */

/** How often a status change is tried again when the order changed between read and write. */
export const STATUS_CHANGE_ATTEMPTS = 3;

async function moveOrder(
  orders: OrderRepository,
  clock: Clock,
  owner: string,
  id: string,
  to: OrderStatus,
  reason?: string,
  /** Checked on every read, before the change: true when the order must stay as it is (it is returned as read). */
  hold: (current: Order) => boolean = () => false,
): Promise<Order> {
  for (let attempt = 1; ; attempt++) {
    const current = await orders.get(owner, id);
    if (!current) throw new OrderNotFoundError(id);
    if (current.order_status === to) return current; // this step already ran
    if (hold(current)) return current;
    const next = transitionOrder(current, to, clock.now(), reason); // an illegal change is an OrderConflictError
    try {
      await orders.replace(next, current);
      return next;
    } catch (error) {
      // The customer changed it (while PENDING) between our read and write: read it again.
      if (error instanceof ConcurrentChangeError && attempt < STATUS_CHANGE_ATTEMPTS) continue;
      throw error;
    }
  }
}

/** SaveOrder: stores the new order PENDING. A repeated save finds it and changes nothing. */
@injectable()
export class SaveOrder {
  constructor(@inject(ORDERS_TOKENS.OrderRepository) private readonly orders: OrderRepository) {}

  async execute(queued: QueuedOrder): Promise<Order> {
    const order = newOrder(queued.id, queued.owner, queued.details, queued.placedAt);
    if ((await this.orders.create(order)) === 'created') return order;
    const stored = await this.orders.get(queued.owner, queued.id);
    if (!stored) throw new OrderNotFoundError(queued.id); // saved, then deleted by its owner
    return stored;
  }
}

/**
 * RecordPayment: PENDING → PAID once the payment went through, for the order as it was paid
 * for. A customer may change a PENDING order, also while its payment is processed; if it no
 * longer matches what was paid, it stays PENDING and is returned as it now is, so that the
 * workflow charges for that (the restaurant never gets something other than what was paid).
 */
@injectable()
export class RecordPayment {
  constructor(
    @inject(ORDERS_TOKENS.OrderRepository) private readonly orders: OrderRepository,
    @inject(ORDERS_TOKENS.Clock) private readonly clock: Clock,
  ) {}

  execute(owner: string, id: string, paid: OrderDetails): Promise<Order> {
    return moveOrder(this.orders, this.clock, owner, id, 'PAID', undefined, (current) => !sameDetails(current, paid));
  }
}

/**
 * CompleteOrder: PAID → SUCCESS, then the notification. Notifying is at least once: a retried
 * step that finds the order already SUCCESS notifies again, since the first run may have
 * failed before it could.
 */
@injectable()
export class CompleteOrder {
  constructor(
    @inject(ORDERS_TOKENS.OrderRepository) private readonly orders: OrderRepository,
    @inject(ORDERS_TOKENS.Clock) private readonly clock: Clock,
    @inject(ORDERS_TOKENS.OrderNotifier) private readonly notifier: OrderNotifier,
  ) {}

  async execute(owner: string, id: string): Promise<Order> {
    const order = await moveOrder(this.orders, this.clock, owner, id, 'SUCCESS');
    await this.notifier.notifyFinalStatus(order);
    return order;
  }
}

/**
 * FailOrder: PENDING or PAID → FAILURE with its reason, then the notification. An order that
 * already reached a final status keeps it (the failure came after it settled, for example
 * while notifying); its final status is notified again.
 */
@injectable()
export class FailOrder {
  constructor(
    @inject(ORDERS_TOKENS.OrderRepository) private readonly orders: OrderRepository,
    @inject(ORDERS_TOKENS.Clock) private readonly clock: Clock,
    @inject(ORDERS_TOKENS.OrderNotifier) private readonly notifier: OrderNotifier,
  ) {}

  async execute(owner: string, id: string, reason: string): Promise<Order> {
    const current = await this.orders.get(owner, id);
    if (!current) throw new OrderNotFoundError(id);
    const order = isFinal(current.order_status)
      ? current
      : await moveOrder(this.orders, this.clock, owner, id, 'FAILURE', reason);
    await this.notifier.notifyFinalStatus(order);
    return order;
  }
}

/** ProcessPayment: asks the payment provider; a refusal is an outcome, not an error. */
@injectable()
export class TakePayment {
  constructor(@inject(ORDERS_TOKENS.PaymentGateway) private readonly payments: PaymentGateway) {}

  execute(order: OrderToFulfil): Promise<ProviderOutcome> {
    return this.payments.charge(order);
  }
}

/** SendOrderToRestaurant: hands the order to its restaurant; a refusal is an outcome, not an error. */
@injectable()
export class SendOrderToRestaurant {
  constructor(@inject(ORDERS_TOKENS.RestaurantGateway) private readonly restaurants: RestaurantGateway) {}

  execute(order: OrderToFulfil): Promise<ProviderOutcome> {
    return this.restaurants.send(order);
  }
}
