import type { Context } from 'aws-lambda';
import type { Order } from '@serverless-orders/orders-domain';
import { ProviderTaskInput, WORKFLOW_ERRORS, WorkflowTaskError, type ProviderTaskResult } from '@serverless-orders/order-workflow';
import { instrumented, type Observability } from '@serverless-orders/platform-lambda';

/** A use case that hands an order to an outside provider (payment, restaurant). */
export interface ProviderStep {
  execute(order: Pick<Order, 'id' | 'user_id' | 'restaurant_id' | 'item' | 'quantity'>): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: string }>;
}

/**
 * A workflow task that calls one provider (ProcessPayment, SendOrderToRestaurant; see
 * order-workflow.contract.ts): the task input in, a ProviderTaskResult out. A provider's
 * refusal is a result the Choice state reads, not an error; input that breaks the contract
 * is an InvalidTaskInput error, which the workflow catches and does not retry.
 */
export function providerTaskHandler(obs: Observability, step: ProviderStep) {
  const { logger } = obs;
  return (event: unknown, context?: Context): Promise<ProviderTaskResult> =>
    instrumented(obs, context, undefined, async () => {
      const parsed = ProviderTaskInput.safeParse(event);
      if (!parsed.success) {
        logger.error('task input does not match the workflow contract', { issues: parsed.error.issues });
        throw new WorkflowTaskError(WORKFLOW_ERRORS.invalidTaskInput, parsed.error.message);
      }
      const { order } = parsed.data;
      logger.appendKeys({ order_id: order.order_id });
      const outcome = await step.execute({
        id: order.order_id,
        user_id: order.user_id,
        restaurant_id: order.restaurant_id,
        item: order.item,
        quantity: order.quantity,
      });
      if (outcome.ok) {
        logger.info('provider accepted the order');
        return { status: 'ok' };
      }
      logger.info('provider refused the order', { reason: outcome.reason });
      return { status: 'error', error_message: outcome.reason };
    });
}
