import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { arnMatches, functionCalls, queueSendCalls, schedulerCalls, workflowCalls, type CallContext, type RoleCall } from './function-calls';
import { FUNCTIONS, type FunctionName } from './functions.catalogue';
import { functionPolicy, queueSendPolicy, schedulerPolicy, workflowPolicy, type PolicyDocument, type SystemArns } from './role-policies';

/**
 * Each role's policy against the calls its code makes (function-calls.ts), evaluated by an IAM
 * policy simulator (@cloud-copilot/iam-simulate) as AWS evaluates an identity policy: every
 * call is allowed, and removing any one statement denies at least one call, so no statement is
 * dead weight and none can go missing without a call failing with AccessDenied.
 */

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const arns: SystemArns = {
  table: arn('dynamodb', 'table/orders-dev-orders'),
  idempotencyTable: arn('dynamodb', 'table/orders-dev-idempotency'),
  queue: arn('sqs', 'orders-dev-orders'),
  deadLetterQueue: arn('sqs', 'orders-dev-orders-dlq'),
  stateMachine: arn('states', 'stateMachine:orders-dev-order-workflow'),
  topic: arn('sns', 'orders-dev-order-notifications'),
};
const context: CallContext = {
  arns,
  region: REGION,
  accountId: ACCOUNT,
  logGroupArn: (fn) => arn('logs', `log-group:/aws/lambda/orders-dev-${fn}`),
  functionArn: (fn) => arn('lambda', `function:orders-dev-${fn}`),
};
const TASKS: FunctionName[] = ['manage-order-state', 'process-payment', 'send-order'];

/** A call made at run time names one resource: a `*` in a listed call's resource is some run-time name. */
const concrete = (resource: string) => (resource === '*' ? '*' : resource.replace(/\*/g, 'run-time-name'));

async function decide(policy: PolicyDocument, call: RoleCall): Promise<string> {
  const simulation: Simulation = {
    request: {
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/orders-dev-role/session`,
      action: call.action,
      resource: { resource: concrete(call.resource), accountId: ACCOUNT },
      contextVariables: {},
    },
    identityPolicies: [{ name: 'role', policy: policy as unknown as Simulation['identityPolicies'][number]['policy'] }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') throw new Error(`cannot simulate ${call.action} on ${call.resource}: ${JSON.stringify(response.errors)}`);
  return response.overallResult;
}

const without = (policy: PolicyDocument, sid: string): PolicyDocument => ({ ...policy, Statement: policy.Statement.filter((s) => s.Sid !== sid) });

interface Role {
  readonly name: string;
  readonly policy: PolicyDocument;
  readonly calls: RoleCall[];
}

const ROLES: Role[] = [
  ...FUNCTIONS.map((fn) => ({ name: fn.app, policy: functionPolicy(fn, context.logGroupArn(fn.app), arns), calls: functionCalls(fn.app, context) })),
  { name: 'the workflow', policy: workflowPolicy(TASKS.map(context.functionArn)), calls: workflowCalls(TASKS, context) },
  { name: 'API Gateway (POST /orders)', policy: queueSendPolicy(arns.queue), calls: queueSendCalls(context) },
  { name: 'the reconciler’s schedule', policy: schedulerPolicy(context.functionArn('reconcile-orders')), calls: schedulerCalls('reconcile-orders', context) },
];

describe.each(ROLES)('the role of $name', ({ policy, calls }) => {
  it('allows every call it makes', async () => {
    const decisions = await Promise.all(calls.map(async (call) => `${call.action} ${call.resource}: ${await decide(policy, call)}`));
    expect(decisions).toEqual(calls.map((call) => `${call.action} ${call.resource}: Allowed`));
  });

  it.each(policy.Statement.map((s) => [s.Sid]))('without %s, a call it makes is denied', async (sid) => {
    const reduced = without(policy, sid);
    const denied: string[] = [];
    for (const call of calls) if ((await decide(reduced, call)) !== 'Allowed') denied.push(`${call.action} ${call.resource}`);
    expect(denied.length).toBeGreaterThan(0);
    // …and only calls that the statement itself allowed.
    const statement = policy.Statement.find((s) => s.Sid === sid);
    for (const call of denied) {
      const [action, resource] = call.split(' ');
      expect(statement?.Action).toContain(action);
      expect(statement?.Resource.some((pattern) => arnMatches(pattern, concrete(resource)))).toBe(true);
    }
  });
});

describe('arnMatches', () => {
  it('reads * and ? as IAM does, and nothing else as a pattern', () => {
    expect(arnMatches('arn:aws:states:r:1:execution:sm:*', 'arn:aws:states:r:1:execution:sm:o-1')).toBe(true);
    expect(arnMatches('arn:aws:states:r:1:execution:sm:*', 'arn:aws:states:r:1:execution:sm2:o-1')).toBe(false);
    expect(arnMatches('arn:aws:sqs:r:1:q?', 'arn:aws:sqs:r:1:q1')).toBe(true);
    expect(arnMatches('arn:aws:dynamodb:r:1:table/t.x', 'arn:aws:dynamodb:r:1:table/tyx')).toBe(false);
  });
});
