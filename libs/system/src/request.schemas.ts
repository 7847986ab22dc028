import { z } from 'zod';
import {
  ORDER_STATUSES,
  QUANTITY_MAX,
  QUANTITY_MIN,
  TEXT_MAX_LENGTH,
  ValidationError,
  type FieldProblem,
} from '@serverless-orders/orders-domain';

/**
 * Request and response schemas, defined once. Handlers validate with them; the OpenAPI
 * document (and so API Gateway's request validator and the local gateway) is emitted from them.
 */

/** An order id: the SQS message id of the POST that placed it, a UUID. */
export const OrderId = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be an order id (a UUID)');

const QUANTITY_PROBLEM = `must be a whole number from ${QUANTITY_MIN} to ${QUANTITY_MAX}`;

/**
 * A whole number from 1 to 100; the original clients send it as a string, so "3" reads as 3.
 * Both branches carry the range, so the emitted JSON Schema (API Gateway's validator) is exact.
 */
export const Quantity = z.union(
  [
    z.number().int().min(QUANTITY_MIN).max(QUANTITY_MAX),
    // "1" to "100" (leading zeros and blanks allowed), the same range as the number branch.
    z
      .string()
      .regex(/^\s*0*(100|[1-9]\d?)\s*$/)
      .transform(Number),
  ],
  { error: QUANTITY_PROBLEM },
);

const Text = z.string().trim().min(1, 'must not be empty').max(TEXT_MAX_LENGTH, `must be at most ${TEXT_MAX_LENGTH} characters`);

/** POST /orders: what a customer orders. The owner comes from the authorizer, never from here. */
export const PlaceOrderBody = z.strictObject({
  restaurant_id: Text,
  item: Text,
  quantity: Quantity,
});

/** PUT /orders/{id}: at least one of the three. */
export const UpdateOrderBody = z
  .strictObject({
    restaurant_id: Text.optional(),
    item: Text.optional(),
    quantity: Quantity.optional(),
  })
  .refine((b) => b.restaurant_id !== undefined || b.item !== undefined || b.quantity !== undefined, {
    message: 'name at least one of quantity, restaurant_id, item',
  });

/** PUT /orders (the original's form): the id travels in the body. */
export const LegacyUpdateOrderBody = z
  .strictObject({
    id: OrderId,
    restaurant_id: Text.optional(),
    item: Text.optional(),
    quantity: Quantity.optional(),
  })
  .refine((b) => b.restaurant_id !== undefined || b.item !== undefined || b.quantity !== undefined, {
    message: 'name at least one of quantity, restaurant_id, item',
  });

/** GET /orders query string. */
export const ListOrdersQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number from 1 to 100')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be a whole number from 1 to 100').max(100, 'must be a whole number from 1 to 100'))
    .optional(),
  next_token: z.string().min(1).max(2048).optional(),
});

export const OrderSchema = z.object({
  id: OrderId,
  user_id: z.string(),
  restaurant_id: z.string(),
  item: z.string(),
  quantity: z.number().int(),
  order_status: z.enum(ORDER_STATUSES),
  error_message: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const OrderPageSchema = z.object({
  items: z.array(OrderSchema),
  next_token: z.string().optional(),
});

export const PlacedOrderSchema = z.object({ order_id: OrderId });

export const ErrorSchema = z.object({
  message: z.string(),
  errors: z.array(z.object({ field: z.string(), problem: z.string() })).optional(),
});

/**
 * Parses `input` with `schema`, or throws a ValidationError naming each field at fault
 * (`location` prefixes the field: `quantity` in a body, `path.id`, `query.limit`).
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, location?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(toFieldProblems(result.error, location));
}

function toFieldProblems(error: z.ZodError, location?: string): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    const at = (path: PropertyKey[]) => [location, ...path.map(String)].filter(Boolean).join('.') || 'body';
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: at([...issue.path, key]), problem: 'is not a known field' }));
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return [{ field: at(issue.path), problem: 'is required' }];
    }
    return [{ field: at(issue.path), problem: issue.message }];
  });
}
