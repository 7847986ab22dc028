import type { Context } from 'aws-lambda';
import {
  ConcurrentChangeError,
  type CompleteOrder,
  type FailOrder,
  type RecordPayment,
  type RecordPaymentRefusal,
  type RecordRestaurantRefusal,
} from '@serverless-orders/orders-application';
import type { Order } from '@serverless-orders/orders-domain';
import {
  ManageOrderStateInput,
  orderFromWorkflow,
  toWorkflowOrder,
  WORKFLOW_ERRORS,
  WorkflowTaskError,
  type WorkflowOrder,
} from '@serverless-orders/order-workflow';
import { instrumented, type Observability } from '@serverless-orders/platform-lambda';
import { toWorkflowTaskError } from '@serverless-orders/platform-workflow-tasks';

/** The use case of each step manage-order-state runs, under the step's one name. */
export interface OrderStateSteps {
  readonly RecordPayment: Pick<RecordPayment, 'execute'>;
  readonly CompleteOrder: Pick<CompleteOrder, 'execute'>;
  readonly RecordPaymentRefusal: Pick<RecordPaymentRefusal, 'execute'>;
  readonly RecordRestaurantRefusal: Pick<RecordRestaurantRefusal, 'execute'>;
  readonly FailOrder: Pick<FailOrder, 'execute'>;
}

/** The manage-order-state task: records each status change of an order (see order-workflow.contract.ts). */
export function createManageOrderStateHandler(obs: Observability, steps: OrderStateSteps) {
  const { logger } = obs;

  function run(input: ManageOrderStateInput): Promise<Order> {
    const order = orderFromWorkflow(input.order);
    switch (input.step) {
      case 'RecordPayment':
        return steps.RecordPayment.execute(order);
      case 'CompleteOrder':
        return steps.CompleteOrder.execute(order);
      case 'RecordPaymentRefusal':
        return steps.RecordPaymentRefusal.execute(order, input.result);
      case 'RecordRestaurantRefusal':
        return steps.RecordRestaurantRefusal.execute(order, input.result);
      case 'FailOrder':
        logger.error('a workflow step failed for good; the order fails', { error: input.error });
        return steps.FailOrder.execute(order, input.error.Error);
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
      logger.appendKeys({ order_id: input.order.id, step: input.step });
      try {
        const order = await run(input);
        logger.info('order state recorded', { order_status: order.order_status, version: order.version });
        return toWorkflowOrder(order);
      } catch (error) {
        // The customer changed the order between our read and write, every time we tried: try again shortly.
        const taskError =
          error instanceof ConcurrentChangeError ? new WorkflowTaskError(WORKFLOW_ERRORS.transient, error.message) : toWorkflowTaskError(error);
        if (taskError.name === WORKFLOW_ERRORS.orderGone) {
          logger.warn('the order is gone: its owner deleted it while the workflow ran');
        } else {
          logger.error('order state not recorded', { error_type: taskError.name, error: error as Error });
        }
        throw taskError;
      }
    });
}
