import { OrderConflictError, OrderNotFoundError, ValidationError } from '@serverless-orders/orders-domain';
import { WORKFLOW_ERRORS, WorkflowTaskError } from '@serverless-orders/order-workflow';
import { isTransient } from '@serverless-orders/platform-lambda';

/** Powertools idempotency: another attempt of the same step holds the record right now; try again shortly. */
const IN_PROGRESS = new Set(['IdempotencyAlreadyInProgressError', 'IdempotencyInconsistentStateError']);

/**
 * Any error of a workflow task under the contract's name (order-workflow.contract.ts), so that
 * the ASL's Retry and Catch read it: the order is gone (its owner deleted it), the change is
 * illegal, the input is wrong, the failure is transient (retried), or it is permanent (caught
 * into FailOrder). One mapping for every task function.
 */
export function toWorkflowTaskError(error: unknown): WorkflowTaskError {
  if (error instanceof WorkflowTaskError) return error;
  const message = (error as Error)?.message ?? String(error);
  if (error instanceof OrderNotFoundError) return new WorkflowTaskError(WORKFLOW_ERRORS.orderGone, message);
  if (error instanceof OrderConflictError) return new WorkflowTaskError(WORKFLOW_ERRORS.illegalTransition, message);
  if (error instanceof ValidationError) return new WorkflowTaskError(WORKFLOW_ERRORS.invalidTaskInput, message);
  if (IN_PROGRESS.has((error as Error)?.name) || isTransient(error)) return new WorkflowTaskError(WORKFLOW_ERRORS.transient, message);
  const name = (error as Error)?.name;
  return new WorkflowTaskError(WORKFLOW_ERRORS.permanent, name && name !== 'Error' ? `${name}: ${message}` : message);
}
