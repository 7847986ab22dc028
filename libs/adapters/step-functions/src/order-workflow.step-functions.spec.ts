import { SFNClient } from '@aws-sdk/client-sfn';
import { StepFunctionsOrderWorkflow } from './order-workflow.step-functions';

describe('StepFunctionsOrderWorkflow', () => {
  it('names the execution of an order after its id, under the state machine', () => {
    const workflow = new StepFunctionsOrderWorkflow(new SFNClient({}), 'arn:aws:states:eu-west-1:123456789012:stateMachine:orders-dev-workflow');
    expect(workflow.executionArn('6f1c2a8e-0000-4000-8000-000000000001')).toBe(
      'arn:aws:states:eu-west-1:123456789012:execution:orders-dev-workflow:6f1c2a8e-0000-4000-8000-000000000001',
    );
  });
});
