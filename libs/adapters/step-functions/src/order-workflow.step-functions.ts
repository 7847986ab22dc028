import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  RedriveExecutionCommand,
  StartExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { OrderWorkflow, StartOutcome, WorkflowRun } from '@serverless-orders/orders-application';
import type { Order } from '@serverless-orders/orders-domain';
import { workflowInput } from '@serverless-orders/order-workflow';

const OUTCOMES = { SUCCEEDED: 'succeeded', FAILED: 'failed', TIMED_OUT: 'timed-out', ABORTED: 'aborted' } as const;

/**
 * The order workflow on Step Functions. The execution is named after the order id, so a
 * redelivered message cannot start a second one: for a standard workflow, the same name with
 * the same input is idempotent while the execution runs, and ExecutionAlreadyExists after
 * (or with another input). Both mean the order's run exists. An ended run is resumed with
 * RedriveExecution, from the state that failed, under the same name.
 */
export class StepFunctionsOrderWorkflow implements OrderWorkflow {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /** `arn:…:stateMachine:NAME` → `arn:…:execution:NAME:<order id>`. */
  executionArn(orderId: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${orderId}`;
  }

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

  async runOf(orderId: string): Promise<WorkflowRun> {
    try {
      const run = await this.sfn.send(new DescribeExecutionCommand({ executionArn: this.executionArn(orderId) }));
      if (run.status === 'RUNNING' || run.status === 'PENDING_REDRIVE' || !run.status) return { state: 'running' };
      return {
        state: 'ended',
        outcome: OUTCOMES[run.status],
        resumable: run.redriveStatus === 'REDRIVABLE',
        resumed: run.redriveCount ?? 0,
      };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return { state: 'none' };
      throw error;
    }
  }

  async resume(orderId: string): Promise<void> {
    await this.sfn.send(new RedriveExecutionCommand({ executionArn: this.executionArn(orderId) }));
  }
}
