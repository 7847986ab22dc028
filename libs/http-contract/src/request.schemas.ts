// zod/mini: the same schemas at a twentieth of the bundle size of zod's classic API, which
// matters for every function's cold start.
import * as z from 'zod/mini';
import { en } from 'zod/v4/locales';
import {
  CONTROL_CHARACTER_PROBLEM,
  NO_CONTROL_CHARACTERS,
  ORDER_ID_PATTERN,
  ORDER_STATUSES,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
  QUANTITY_MAX,
  QUANTITY_MIN,
  TEXT_MAX_LENGTH,
  ValidationError,
  type FieldProblem,
} from '@serverless-orders/orders-domain';
import { integerRangePattern } from './integer-range-pattern';

/**
 * Request and response schemas, defined once. Handlers validate with them; the OpenAPI
 * document (and so API Gateway's request validator and the local gateway) is emitted from them.
 * Their limits are the domain's constants (lengths, quantity bounds, the control-character
 * rule): every check is one JSON Schema (draft 4) can say too, so the emitted schema carries it.
 */

/** An order id: a UUID, derived from the identifying attributes of the message that placed it (order-identity.ts). */
export const OrderId = z
  .string({ error: 'must be an order id (a UUID)' })
  .check(z.regex(ORDER_ID_PATTERN, 'must be an order id (a UUID)'));

// zod/mini carries no messages of its own: English ones for whatever a schema does not word itself.
z.config(en());

const QUANTITY_PROBLEM = `must be a whole number from ${QUANTITY_MIN} to ${QUANTITY_MAX}`;

/**
 * A whole number from QUANTITY_MIN to QUANTITY_MAX, as a number or as a string: "3" reads as 3
 * (README, Compatibility). Both branches carry the range, so the emitted JSON Schema (API
 * Gateway's validator) is exact.
 */
export const Quantity = z.union(
  [
    z.int().check(z.minimum(QUANTITY_MIN, QUANTITY_PROBLEM), z.maximum(QUANTITY_MAX, QUANTITY_PROBLEM)),
    // "1" to "100" (leading zeros and blanks allowed), the same range as the number branch.
    z.pipe(z.string().check(z.regex(new RegExp(`^\\s*0*(?:${integerRangePattern(QUANTITY_MIN, QUANTITY_MAX)})\\s*$`))), z.transform(Number)),
  ],
  { error: QUANTITY_PROBLEM },
);

// Every check is one JSON Schema can say too (length, a non-blank pattern, no control
// characters), and they run before the trim, so API Gateway's validator, which sees the emitted
// schema, accepts exactly what this does.
const Text = z
  .string({ error: 'must be a string' })
  .check(
    z.maxLength(TEXT_MAX_LENGTH, `must be at most ${TEXT_MAX_LENGTH} characters`),
    z.regex(/\S/, 'must not be empty'),
    z.regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTER_PROBLEM),
    z.trim(),
  );

/**
 * A caller's id in a path (`DELETE /order/{userId}/id/{id}`): compared with the caller, never
 * stored, but refused with control characters all the same, naming the parameter.
 */
export const UserIdParameter = z
  .string({ error: 'must be a string' })
  .check(z.minLength(1, 'must not be empty'), z.maxLength(TEXT_MAX_LENGTH, `must be at most ${TEXT_MAX_LENGTH} characters`), z.regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTER_PROBLEM));

const AT_LEAST_ONE_CHANGE = 'name at least one of quantity, restaurant_id, item';
const hasAChange = (b: { restaurant_id?: string; item?: string; quantity?: number }) =>
  b.restaurant_id !== undefined || b.item !== undefined || b.quantity !== undefined;

/** POST /orders: what a customer orders. The owner comes from the authorizer, never from here. */
export const PlaceOrderBody = z.strictObject({
  restaurant_id: Text,
  item: Text,
  quantity: Quantity,
});

/** PUT /orders/{id}: at least one of the three. */
const changes = { restaurant_id: z.optional(Text), item: z.optional(Text), quantity: z.optional(Quantity) };

export const UpdateOrderBody = z.strictObject(changes).check(z.refine(hasAChange, AT_LEAST_ONE_CHANGE));

/** PUT /orders (the compatibility form): the id travels in the body. */
export const LegacyUpdateOrderBody = z.strictObject({ id: OrderId, ...changes }).check(z.refine(hasAChange, AT_LEAST_ONE_CHANGE));

/** GET /orders query string. */
const LIMIT_PROBLEM = `must be a whole number from 1 to ${PAGE_LIMIT_MAX}`;
/** How the API documents `limit`: a query string is text, but its value is a whole number. */
export const LIMIT_PARAMETER = { type: 'integer', minimum: 1, maximum: PAGE_LIMIT_MAX, default: PAGE_LIMIT_DEFAULT } as const;
export const ListOrdersQuery = z.strictObject({
  limit: z.optional(z.pipe(z.string().check(z.regex(new RegExp(`^0*(?:${integerRangePattern(1, PAGE_LIMIT_MAX)})$`), LIMIT_PROBLEM)), z.transform(Number))),
  // Opaque, and this API never issues one with a control character.
  next_token: z.optional(
    z.string().check(z.minLength(1), z.maxLength(2048, 'is not a token this API issued'), z.regex(NO_CONTROL_CHARACTERS, 'is not a token this API issued')),
  ),
});

export const OrderSchema = z.object({
  id: OrderId,
  user_id: z.string(),
  restaurant_id: z.string(),
  item: z.string(),
  quantity: z.int(),
  order_status: z.enum(ORDER_STATUSES),
  error_message: z.optional(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
});

export const OrderPageSchema = z.object({
  items: z.array(OrderSchema),
  next_token: z.optional(z.string()),
});

export const PlacedOrderSchema = z.object({ order_id: OrderId });

export const ErrorSchema = z.object({
  message: z.string(),
  errors: z.optional(z.array(z.object({ field: z.string(), problem: z.string() }))),
});

/**
 * Parses `input` with `schema`, or throws a ValidationError naming each field at fault
 * (`location` prefixes the field: `quantity` in a body, `path.id`, `query.limit`).
 */
export function parseWith<S extends z.core.$ZodType>(schema: S, input: unknown, location?: string): z.output<S> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  throw new ValidationError(toFieldProblems(result.error, input, location));
}

/** The value at `path` inside `input`, or undefined where the path leads nowhere. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function toFieldProblems(error: z.core.$ZodError, input: unknown, location?: string): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    const at = (path: PropertyKey[]) => [location, ...path.map(String)].filter(Boolean).join('.') || 'body';
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: at([...issue.path, key]), problem: 'is not a known field' }));
    }
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
      return [{ field: at(issue.path), problem: 'is required' }];
    }
    if (issue.code === 'invalid_type' && issue.expected === 'object') {
      return [{ field: at(issue.path), problem: 'must be a JSON object' }];
    }
    return [{ field: at(issue.path), problem: issue.message }];
  });
}

/** An order as the API shows it (OrderSchema): the domain's order less what is storage's or the workflow's business (its version). */
export type OrderRepresentation = z.output<typeof OrderSchema>;

export function orderRepresentation(order: {
  id: string;
  user_id: string;
  restaurant_id: string;
  item: string;
  quantity: number;
  order_status: OrderRepresentation['order_status'];
  error_message?: string;
  created_at: string;
  updated_at: string;
}): OrderRepresentation {
  return {
    id: order.id,
    user_id: order.user_id,
    restaurant_id: order.restaurant_id,
    item: order.item,
    quantity: order.quantity,
    order_status: order.order_status,
    ...(order.error_message !== undefined ? { error_message: order.error_message } : {}),
    created_at: order.created_at,
    updated_at: order.updated_at,
  };
}
