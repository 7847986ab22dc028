import { orderWorkflowDefinition, WORKFLOW_TASK_FUNCTIONS, type WorkflowResources } from '@serverless-orders/order-workflow';
import { httpServer, listen, close, LocalStepFunctions, sfnRequestHandler, type FunctionInvoker } from '@serverless-orders/local-aws';

export interface LocalWorkflow {
  /** The Step Functions endpoint (AWS JSON protocol) on loopback. */
  readonly endpoint: string;
  readonly sfn: LocalStepFunctions;
  /** The order workflow's state machine. */
  readonly stateMachineArn: string;
  close(): Promise<void>;
}

/**
 * The local stack's Step Functions (the order workflow's ASL run by aws-local-stepfunctions)
 * behind its HTTP endpoint, with the task functions answered by `invoke`: for tests of the
 * Step Functions adapter and of the queue consumer, through the real SDK client.
 */
export async function startLocalWorkflow(invoke: FunctionInvoker, options: { waitSeconds?: number; retryIntervalMs?: number } = {}): Promise<LocalWorkflow> {
  const sfn = new LocalStepFunctions({ region: 'us-east-1', accountId: '000000000000', invoke, retryIntervalMs: options.retryIntervalMs ?? 0 });
  const arnOf = (fn: string) => `arn:aws:lambda:us-east-1:000000000000:function:${fn}`;
  const stateMachineArn = sfn.createStateMachine(
    'order-workflow',
    orderWorkflowDefinition({
      waitSeconds: options.waitSeconds ?? 0,
      resources: Object.fromEntries(WORKFLOW_TASK_FUNCTIONS.map((fn) => [fn, arnOf(fn)])) as WorkflowResources,
    }) as unknown as Record<string, unknown>,
  );
  const server = httpServer(sfnRequestHandler(sfn));
  const port = await listen(server, 0, 'Step Functions', '--sfn-port');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    sfn,
    stateMachineArn,
    async close() {
      sfn.stopAll();
      await sfn.settle();
      await close(server);
    },
  };
}
