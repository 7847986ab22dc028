import {
  failureReason,
  FAILURE_REASONS,
  isFinal,
  OrderNotFoundError,
  transitionOrder,
  type Order,
  type OrderStatus,
} from '@serverless-orders/orders-domain';
import type { Clock } from './clock.port';
import type { OrderNotifier } from './order-notifier.port';
import { providerIdempotencyKey, type OrderToFulfil, type ProviderOutcome } from './order-providers.port';
import { ConcurrentChangeError, type OrderRepository } from './order-repository.port';
import type { PaymentGateway } from './payment-gateway.port';
import type { RestaurantGateway } from './restaurant-gateway.port';

/**
 * The workflow's steps, one use case per step, named as the workflow names the step. Each may
 * run more than once (the workflow retries a task whose result it did not get), so each is
 * idempotent: a status change that finds its work done returns the order as it is; a provider
 * call carries the order version's idempotency key; a notification may repeat with the same
 * deduplication id. An order its owner deleted meanwhile is an OrderNotFoundError, which the
 * workflow treats as the end of the road, not as an error to retry.
 */

/** How often a status change is tried again when the order changed between read and write. */
export const STATUS_CHANGE_ATTEMPTS = 3;

async function moveOrder(
  orders: OrderRepository,
  clock: Clock,
  target: Pick<Order, 'user_id' | 'id'>,
  to: OrderStatus,
  reason?: string,
  /** Checked on every read, before the change: true when the order must stay as it is (it is returned as read). */
  hold: (current: Order) => boolean = () => false,
): Promise<Order> {
  for (let attempt = 1; ; attempt++) {
    const current = await orders.get(target.user_id, target.id);
    if (!current) throw new OrderNotFoundError(target.id);
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

/** Settles an order as FAILURE with `reason` (unless it is already final), then notifies its final status. */
async function settleAsFailure(orders: OrderRepository, clock: Clock, notifier: OrderNotifier, target: Order, reason: string): Promise<Order> {
  const current = await orders.get(target.user_id, target.id);
  if (!current) throw new OrderNotFoundError(target.id);
  const order = isFinal(current.order_status) ? current : await moveOrder(orders, clock, target, 'FAILURE', reason);
  await notifier.notifyFinalStatus(order);
  return order;
}

/** The provider's words from a ProviderTaskResult-like value, if it is one and has any. */
function providerReason(result: unknown): string | undefined {
  const r = result as { status?: unknown; error_message?: unknown } | null | undefined;
  return r?.status === 'error' && typeof r.error_message === 'string' ? r.error_message : undefined;
}

/** ProcessPayment: charges the order as it is now, once per order version. A refusal is an outcome, not an error. */
export class ProcessPayment {
  constructor(private readonly payments: PaymentGateway) {}

  execute(order: OrderToFulfil): Promise<ProviderOutcome> {
    return this.payments.charge(order, providerIdempotencyKey(order));
  }
}

/**
 * RecordPayment: PENDING → PAID once the payment went through, for the order version that was
 * charged. A customer may change a PENDING order, also while it is being charged; if the stored
 * order is no longer the version charged, it stays PENDING and is returned as it now is, so that
 * the workflow charges that version (the restaurant never gets something other than what was paid).
 */
export class RecordPayment {
  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
  ) {}

  execute(charged: Order): Promise<Order> {
    return moveOrder(this.orders, this.clock, charged, 'PAID', undefined, (current) => current.version !== charged.version);
  }
}

/** SendOrderToRestaurant: hands the paid order to its restaurant, once per order version. A refusal is an outcome. */
export class SendOrderToRestaurant {
  constructor(private readonly restaurants: RestaurantGateway) {}

  execute(order: OrderToFulfil): Promise<ProviderOutcome> {
    return this.restaurants.send(order, providerIdempotencyKey(order));
  }
}

/** CompleteOrder: PAID → SUCCESS, then the notification (again, with the same deduplication id, on a retry). */
export class CompleteOrder {
  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
    private readonly notifier: OrderNotifier,
  ) {}

  async execute(paid: Order): Promise<Order> {
    const order = await moveOrder(this.orders, this.clock, paid, 'SUCCESS');
    await this.notifier.notifyFinalStatus(order);
    return order;
  }
}

/** RecordPaymentRefusal: PENDING → FAILURE with the payment provider's reason; notifies. */
export class RecordPaymentRefusal {
  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
    private readonly notifier: OrderNotifier,
  ) {}

  execute(order: Order, result: unknown): Promise<Order> {
    return settleAsFailure(this.orders, this.clock, this.notifier, order, failureReason('payment', providerReason(result)));
  }
}

/** RecordRestaurantRefusal: PAID → FAILURE with the restaurant's reason; notifies. */
export class RecordRestaurantRefusal {
  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
    private readonly notifier: OrderNotifier,
  ) {}

  execute(order: Order, result: unknown): Promise<Order> {
    return settleAsFailure(this.orders, this.clock, this.notifier, order, failureReason('restaurant', providerReason(result)));
  }
}

/**
 * FailOrder: PENDING or PAID → FAILURE after a permanent error, with a reason naming the error;
 * notifies. An order that already reached a final status keeps it (the failure came after it
 * settled, for example while notifying); its final status is notified again.
 */
export class FailOrder {
  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
    private readonly notifier: OrderNotifier,
  ) {}

  execute(order: Order, error: string): Promise<Order> {
    return settleAsFailure(this.orders, this.clock, this.notifier, order, failureReason('processing', `${FAILURE_REASONS.processing} (${error})`));
  }
}
