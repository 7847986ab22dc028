import { DomainError, ValidationError } from '@serverless-orders/orders-domain';

const STATUS_OF: Record<DomainError['kind'], number> = { invalid: 400, 'not-found': 404, conflict: 409 };

/**
 * The HTTP answer to each error the orders use cases throw: a ValidationError → 400 naming each
 * field at fault; not found → 404; a conflict (the order is no longer PENDING) → 409. Anything
 * else is not the client's doing: undefined, which the functions answer with a generic 500.
 */
export function domainErrorAnswer(error: unknown): { statusCode: number; body: Record<string, unknown> } | undefined {
  if (error instanceof ValidationError) return { statusCode: 400, body: { message: 'Invalid request', errors: error.problems } };
  if (error instanceof DomainError) return { statusCode: STATUS_OF[error.kind], body: { message: error.message } };
  return undefined;
}
