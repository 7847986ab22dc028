import type { Context } from 'aws-lambda';
import { ConcurrentChangeError, type CompleteOrder, type FailOrder, type RecordPayment, type SaveOrder } from '@serverless-orders/orders-application';
import {
  FAILURE_REASONS,
  failureReason,
  OrderConflictError,
  OrderNotFoundError,
  ValidationError,
  type Order,
} from '@serverless-orders/orders-domain';
import { instrumented, type Observability } from '@serverless-orders/platform-lambda';
import { ManageOrderStateInput, ProviderTaskResult, WORKFLOW_ERRORS, WorkflowTaskError, type WorkflowOrder } from '@serverless-orders/order-workflow';

export interface OrderStateUseCases {
  readonly save: Pick<SaveOrder, 'execute'>;
  readonly recordPayment: Pick<RecordPayment, 'execute'>;
  readonly complete: Pick<CompleteOrder, 'execute'>;
  readonly fail: Pick<FailOrder, 'execute'>;
}

export function toWorkflowOrder(order: Order): WorkflowOrder {
  return {
    order_id: order.id,
    user_id: order.user_id,
    restaurant_id: order.restaurant_id,
    item: order.item,
    quantity: order.quantity,
    order_status: order.order_status,
    ...(order.error_message ? { error_message: order.error_message } : {}),
  };
}

/** The provider's words from a ProviderTaskResult, if it is one and has any. */
function providerReason(result: unknown): string | undefined {
  const parsed = ProviderTaskResult.safeParse(result);
  return parsed.success && parsed.data.status === 'error' ? parsed.data.error_message : undefined;
}

/** SDK errors that are worth another try: throttling and the service's own faults. */
function isTransient(error: unknown): boolean {
  if (error instanceof ConcurrentChangeError) return true;
  const e = error as { $retryable?: unknown; $fault?: unknown; name?: unknown } | null;
  return !!e && (e.$retryable !== undefined || e.$fault === 'server' || /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded/.test(String(e.name)));
}

/**
 * The errors the workflow must tell apart, under the contract's names: the order is gone
 * (its owner deleted it), the change is illegal, the input is wrong, or a dependency was
 * briefly unavailable (retried). Anything else keeps its own name and is permanent.
 */
function asTaskError(error: unknown): unknown {
  if (error instanceof OrderNotFoundError) return new WorkflowTaskError(WORKFLOW_ERRORS.orderGone, error.message);
  if (error instanceof OrderConflictError) return new WorkflowTaskError(WORKFLOW_ERRORS.illegalTransition, error.message);
  if (error instanceof ValidationError) return new WorkflowTaskError(WORKFLOW_ERRORS.invalidTaskInput, error.message);
  if (isTransient(error)) return new WorkflowTaskError(WORKFLOW_ERRORS.transient, (error as Error).message);
  return error;
}

/** The manage-order-state task: saves the order and records each status change (see order-workflow.contract.ts). */
export function createManageOrderStateHandler(obs: Observability, useCases: OrderStateUseCases) {
  const { logger } = obs;

  async function run(input: ManageOrderStateInput): Promise<Order> {
    switch (input.action) {
      case 'save': {
        const { order } = input;
        return useCases.save.execute({
          id: order.order_id,
          owner: order.user_id,
          details: { restaurant_id: order.restaurant_id, item: order.item, quantity: order.quantity },
          placedAt: new Date(order.placed_at),
        });
      }
      case 'payment-success': {
        const { restaurant_id, item, quantity } = input.paid;
        return useCases.recordPayment.execute(input.user_id, input.order_id, { restaurant_id, item, quantity });
      }
      case 'success':
        return useCases.complete.execute(input.user_id, input.order_id);
      case 'payment-failure':
        return useCases.fail.execute(input.user_id, input.order_id, failureReason('payment', providerReason(input.result)));
      case 'restaurant-failure':
        return useCases.fail.execute(input.user_id, input.order_id, failureReason('restaurant', providerReason(input.result)));
      case 'failure':
        logger.error('a workflow step failed; the order fails', { order_id: input.order_id, error: input.error });
        return useCases.fail.execute(input.user_id, input.order_id, `${FAILURE_REASONS.processing} (${input.error.Error})`);
    }
  }

  return (event: unknown, context?: Context): Promise<WorkflowOrder> =>
    instrumented(obs, context, undefined, async () => {
      const parsed = ManageOrderStateInput.safeParse(event);
      if (!parsed.success) {
        logger.error('task input does not match the workflow contract', { issues: parsed.error.issues });
        throw new WorkflowTaskError(WORKFLOW_ERRORS.invalidTaskInput, parsed.error.message);
      }
      const input = parsed.data;
      const order_id = input.action === 'save' ? input.order.order_id : input.order_id;
      logger.appendKeys({ order_id, action: input.action });
      try {
        const order = await run(input);
        logger.info('order state recorded', { order_status: order.order_status });
        return toWorkflowOrder(order);
      } catch (error) {
        const taskError = asTaskError(error);
        if (taskError instanceof WorkflowTaskError && taskError.name === WORKFLOW_ERRORS.orderGone) {
          logger.warn('the order is gone: its owner deleted it while the workflow ran');
        } else {
          logger.error('order state not recorded', error as Error);
        }
        throw taskError;
      }
    });
}
