/**
 * Errors the order domain and its use cases raise. Driving adapters map them to
 * responses (400, 404, 409); anything else is unexpected and becomes a 500.
 *
 * Each names itself explicitly: the bundles are minified without keeping class names, and
 * the name is what logs, traces and Lambda's errorType (which Step Functions matches) show.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'invalid' | 'not-found' | 'conflict';
  constructor(message: string, name: string) {
    super(message);
    this.name = name;
  }
}

/** One problem with one field of the input. */
export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

/** The input is not acceptable: nothing was changed. */
export class ValidationError extends DomainError {
  readonly kind = 'invalid' as const;
  constructor(readonly problems: readonly FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.problem}`).join('; ') || 'invalid input', 'ValidationError');
  }

  static of(field: string, problem: string): ValidationError {
    return new ValidationError([{ field, problem }]);
  }
}

/** The order does not exist, or belongs to someone else: the two are indistinguishable. */
export class OrderNotFoundError extends DomainError {
  readonly kind = 'not-found' as const;
  constructor(readonly orderId: string) {
    super(`order ${orderId} not found`, 'OrderNotFoundError');
  }
}

/** The order exists but its state forbids the change (for example, it is no longer PENDING). */
export class OrderConflictError extends DomainError {
  readonly kind = 'conflict' as const;
  constructor(message: string) {
    super(message, 'OrderConflictError');
  }
}
