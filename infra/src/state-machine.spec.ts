import { orderWorkflowDefinition, type WorkflowResources } from '@serverless-orders/order-workflow';
import { DEFAULTS } from './stack-settings';
import { aslProblems } from './test/asl';

/** The ARNs the program substitutes for the workflow's resources: its task functions. */
const resources: WorkflowResources = {
  'manage-order-state': 'arn:aws:lambda:eu-west-1:123456789012:function:orders-dev-manage-order-state',
  'process-payment': 'arn:aws:lambda:eu-west-1:123456789012:function:orders-dev-process-payment',
  'send-order': 'arn:aws:lambda:eu-west-1:123456789012:function:orders-dev-send-order',
};

describe("the state machine's definition, as Step Functions' validator would take it", () => {
  // The wait settings a stack can choose: none, the default, the longest (stack-settings: 0–3600).
  it.each([0, DEFAULTS.waitSeconds, 3600])('is valid States Language with a %i s wait (asl-validator)', (waitSeconds) => {
    expect(aslProblems(orderWorkflowDefinition({ waitSeconds, resources }))).toEqual([]);
  });

  it('is checked for real: a transition to no state, a Task with no resource are refused', () => {
    const definition = JSON.parse(JSON.stringify(orderWorkflowDefinition({ waitSeconds: 30, resources })));
    const [first] = Object.keys(definition.States);
    definition.States[first].Next = 'NoSuchState';
    expect(aslProblems(definition)).toEqual(expect.arrayContaining([expect.stringMatching(/MISSING_TRANSITION_TARGET: .*NoSuchState/)]));
    const task = Object.values(definition.States as Record<string, Record<string, unknown>>).find((s) => s['Type'] === 'Task');
    if (task) delete task['Resource'];
    expect(aslProblems(definition)).toEqual(expect.arrayContaining([expect.stringMatching(/^SCHEMA_VALIDATION_FAILED/)]));
  });
});
