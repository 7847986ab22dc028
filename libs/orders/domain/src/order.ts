import { OrderConflictError, ValidationError } from './order.errors';

export const ORDER_STATUSES = ['PENDING', 'PAID', 'SUCCESS', 'FAILURE'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const QUANTITY_MIN = 1;
export const QUANTITY_MAX = 100;
export const TEXT_MAX_LENGTH = 200;

/** A page of a customer's orders: at most PAGE_LIMIT_MAX, PAGE_LIMIT_DEFAULT unless asked. */
export const PAGE_LIMIT_MAX = 100;
export const PAGE_LIMIT_DEFAULT = 20;

/**
 * Text a client sends (an item, a restaurant, an id in a path) holds no control character: C0
 * (U+0000 to U+001F: NUL, BEL, CR, LF, ESC, …), DEL and C1 (U+007F to U+009F: CSI, …). Stored,
 * they would come back to split a log line or a mail header, or reach a terminal as a command.
 */
export const CONTROL_CHARACTER_PROBLEM = 'must not contain control characters (U+0000 to U+001F, U+007F to U+009F)';

/**
 * The rule as the pattern a whole text must match, the one the request schemas and so API
 * Gateway's request validator carry. Every engine that reads it agrees on it: ECMA 262 (zod,
 * ajv) and Java. It ends in `(?![\s\S])`, "nothing follows", rather than `$`, which in Java
 * also matches before a final line terminator: `$` would let "pizza\n" through there.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f-\u009f]*(?![\s\S])/;

function hasControlCharacter(text: string): boolean {
  return !NO_CONTROL_CHARACTERS.test(text);
}

/** An order id is a UUID (8-4-4-4-12 hexadecimal digits). */
export const ORDER_ID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isOrderId(value: unknown): value is string {
  return typeof value === 'string' && ORDER_ID_PATTERN.test(value);
}

/** An order as stored and as the API shows it: snake_case, the fields existing tables and clients read (README, Compatibility). */
export interface Order {
  readonly id: string;
  /** The owner: the `sub` of the principal who placed it. */
  readonly user_id: string;
  readonly restaurant_id: string;
  readonly item: string;
  readonly quantity: number;
  readonly order_status: OrderStatus;
  /** Why the order failed; present only when order_status is FAILURE. */
  readonly error_message?: string;
  readonly created_at: string;
  readonly updated_at: string;
  /**
   * 1 when placed, one more on every change (the customer's or a status change). What was
   * charged and sent is keyed on (id, version), so a retried step never charges twice, and a
   * changed order is charged again; writes are conditional on it.
   */
  readonly version: number;
}

/** What a customer chooses when placing an order. */
export interface OrderDetails {
  readonly restaurant_id: string;
  readonly item: string;
  readonly quantity: number;
}

/** What a customer may change while the order is PENDING. */
export type OrderChanges = Partial<OrderDetails>;

/**
 * The legal status transitions. PENDING → PAID → SUCCESS is the happy path; payment
 * fails from PENDING, the restaurant step from PAID. SUCCESS and FAILURE are final.
 */
const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['PAID', 'FAILURE'],
  PAID: ['SUCCESS', 'FAILURE'],
  SUCCESS: [],
  FAILURE: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isFinal(status: OrderStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

function checkDetails(details: OrderChanges): void {
  const problems = [];
  if (details.quantity !== undefined) {
    const q = details.quantity;
    if (!Number.isInteger(q) || q < QUANTITY_MIN || q > QUANTITY_MAX) {
      problems.push({ field: 'quantity', problem: `must be a whole number from ${QUANTITY_MIN} to ${QUANTITY_MAX}` });
    }
  }
  for (const field of ['restaurant_id', 'item'] as const) {
    const value = details[field];
    if (value !== undefined && (value.trim().length === 0 || value.length > TEXT_MAX_LENGTH)) {
      problems.push({ field, problem: `must be a non-empty string of at most ${TEXT_MAX_LENGTH} characters` });
    } else if (value !== undefined && hasControlCharacter(value)) {
      problems.push({ field, problem: CONTROL_CHARACTER_PROBLEM });
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
}

/** A new order, PENDING, owned by `owner`. */
export function newOrder(id: string, owner: string, details: OrderDetails, now: Date): Order {
  checkDetails(details);
  if (!id) throw ValidationError.of('id', 'must not be empty');
  if (!owner) throw ValidationError.of('user_id', 'must not be empty');
  const at = now.toISOString();
  return {
    id,
    user_id: owner,
    restaurant_id: details.restaurant_id,
    item: details.item,
    quantity: details.quantity,
    order_status: 'PENDING',
    created_at: at,
    updated_at: at,
    version: 1,
  };
}

/** The order with the customer's changes applied; only a PENDING order can change. */
export function changeOrder(order: Order, changes: OrderChanges, now: Date): Order {
  if (Object.values(changes).every((v) => v === undefined)) {
    throw ValidationError.of('body', 'name at least one of quantity, restaurant_id, item');
  }
  checkDetails(changes);
  if (order.order_status !== 'PENDING') {
    throw new OrderConflictError(`order ${order.id} is ${order.order_status}; only a PENDING order can change`);
  }
  return {
    ...order,
    restaurant_id: changes.restaurant_id ?? order.restaurant_id,
    item: changes.item ?? order.item,
    quantity: changes.quantity ?? order.quantity,
    updated_at: now.toISOString(),
    version: order.version + 1,
  };
}

/** The order moved to `to`; an illegal transition is a conflict and changes nothing. */
export function transitionOrder(order: Order, to: OrderStatus, now: Date, reason?: string): Order {
  if (!canTransition(order.order_status, to)) {
    throw new OrderConflictError(`order ${order.id} cannot go from ${order.order_status} to ${to}`);
  }
  if (to === 'FAILURE' && !reason) throw ValidationError.of('error_message', 'a failure needs a reason');
  const { error_message: _previous, ...rest } = order;
  return {
    ...rest,
    order_status: to,
    ...(to === 'FAILURE' ? { error_message: reason } : {}),
    updated_at: now.toISOString(),
    version: order.version + 1,
  };
}

/** Whether two orders ask for the same thing: restaurant, item and quantity. */
export function sameDetails(a: OrderDetails, b: OrderDetails): boolean {
  return a.restaurant_id === b.restaurant_id && a.item === b.item && a.quantity === b.quantity;
}
