import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { OrderWorkflow, StartOutcome } from '@serverless-orders/orders-application';
import type { Order } from '@serverless-orders/orders-domain';
import type { OrderWorkflowInput } from '@serverless-orders/order-workflow';

/** The execution input for an order, as the workflow's contract has it. */
export function workflowInput(order: Order): OrderWorkflowInput {
  return {
    order_id: order.id,
    user_id: order.user_id,
    restaurant_id: order.restaurant_id,
    item: order.item,
    quantity: order.quantity,
    placed_at: order.created_at,
  };
}

/**
 * The order workflow on Step Functions. The execution is named after the order id, so a
 * redelivered message cannot start a second one: for a standard workflow, the same name with
 * the same input is idempotent while the execution runs, and ExecutionAlreadyExists after
 * (or with another input). Both mean the order's run exists.
 */
export class StepFunctionsOrderWorkflow implements OrderWorkflow {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(order: Order): Promise<StartOutcome> {
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: order.id,
          input: JSON.stringify(workflowInput(order)),
        }),
      );
      return 'started';
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return 'already-started';
      throw error;
    }
  }
}
