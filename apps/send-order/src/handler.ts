import type { Context } from 'aws-lambda';
import type { SendOrderToRestaurant } from '@serverless-orders/orders-application';
import { instrumented, type Observability } from '@serverless-orders/platform-lambda';
import { ProviderTaskInput, WORKFLOW_ERRORS, WorkflowTaskError, type ProviderTaskResult } from '@serverless-orders/system';

/** The send-order task (SendOrderToRestaurant: hands the order to its restaurant; see order-workflow.contract.ts). A refusal is a result, not an error. */
export function createSendOrderToRestaurantHandler(obs: Observability, useCase: Pick<SendOrderToRestaurant, 'execute'>) {
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
      const outcome = await useCase.execute({
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
