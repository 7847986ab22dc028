import { ROUTES } from '@serverless-orders/http-contract';
import { FUNCTIONS } from '@serverless-orders/function-catalogue';
import type { AuthorizerMode } from './stack-settings';
import type { HarnessResult } from './test/program-harness';
import { programRunner, type ProgramRun } from './test/run-program';
import { REGION } from './test/pulumi-mocks';
import { STACK_OUTPUTS } from './test/stack-outputs';

/**
 * The program as Pulumi runs it: the built bundle (infra/dist/main.js), required inside
 * Pulumi's own `runInPulumiStack` in a process of its own, with Pulumi's mocks standing in
 * for the engine. What a `pulumi up` of a fresh stack would register, and what it exports.
 */


/** What one stack registers, by resource type, derived from the catalogue and the routes. */
function expectedResources(mode: AuthorizerMode, manageApiGatewayAccount = false): Record<string, number> {
  // The authorizer function exists only in lambda mode: Cognito mode has no use for it.
  const functions = FUNCTIONS.filter((f) => f.trigger.kind !== 'authorizer' || mode === 'lambda').length;
  const lambdaRoutes = ROUTES.filter((r) => r.integration.kind === 'lambda').length;
  const queueConsumers = FUNCTIONS.filter((f) => f.trigger.kind === 'queue').length;
  const scheduled = FUNCTIONS.filter((f) => f.trigger.kind === 'schedule').length;
  const accountRole = manageApiGatewayAccount ? 1 : 0;
  return {
    'pulumi:pulumi:Stack': 1,
    'serverless-orders:index:ServerlessOrders': 1,
    'serverless-orders:data:OrdersTable': 1,
    'serverless-orders:messaging:OrderQueue': 1,
    'serverless-orders:messaging:Notifications': 1,
    'serverless-orders:operations:Operations': 1,
    'serverless-orders:identity:UserPool': 1,
    'serverless-orders:workflow:OrderWorkflow': 1,
    'serverless-orders:api:OrdersApi': 1,
    'serverless-orders:compute:OrderFunction': functions,
    // The orders, and the provider steps' idempotency records.
    'aws:dynamodb/table:Table': 2,
    // The order queue and its dead-letter queue.
    'aws:sqs/queue:Queue': 2,
    // Notifications to customers, and to operations; each with its email subscription.
    'aws:sns/topic:Topic': 2,
    'aws:sns/topicSubscription:TopicSubscription': 2,
    // Dead letters, failed and timed-out executions, the reconciler acting.
    'aws:cloudwatch/metricAlarm:MetricAlarm': 4,
    'aws:scheduler/schedule:Schedule': scheduled,
    'aws:cognito/userPool:UserPool': 1,
    'aws:cognito/userPoolClient:UserPoolClient': 1,
    'aws:lambda/function:Function': functions,
    'aws:lambda/eventSourceMapping:EventSourceMapping': queueConsumers,
    // One per function, per schedule, the state machine, API Gateway's queue role, and the region's logging role if the stack manages it.
    'aws:iam/role:Role': functions + scheduled + 2 + accountRole,
    'aws:iam/rolePolicy:RolePolicy': functions + scheduled + 2 + accountRole,
    // One per function, the state machine's, the stage's access logs.
    'aws:cloudwatch/logGroup:LogGroup': functions + 2,
    'aws:sfn/stateMachine:StateMachine': 1,
    'aws:apigateway/restApi:RestApi': 1,
    'aws:apigateway/deployment:Deployment': 1,
    'aws:apigateway/stage:Stage': 1,
    'aws:apigateway/methodSettings:MethodSettings': 1,
    ...(accountRole ? { 'aws:apigateway/account:Account': accountRole } : {}),
    // One per route a function serves, and the authorizer's in lambda mode.
    'aws:lambda/permission:Permission': lambdaRoutes + (mode === 'lambda' ? 1 : 0),
  };
}

function countByType(result: HarnessResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { type } of result.registered) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

describe('the built program, run by Pulumi under mocks', () => {
  let program: ProgramRun;
  beforeAll(() => {
    program = programRunner();
  });
  afterAll(() => program?.dispose());

  describe.each(['cognito', 'lambda'] as const)('%s authorizer', (mode) => {
    let result: HarnessResult;
    beforeAll(async () => {
      result = await program.run({ notificationEmail: 'ops@example.com', authorizer: mode, artifactsDir: program.artifactsDir });
    });

    it('runs to the end', () => {
      expect(result.error).toBeUndefined();
    });

    const total = Object.values(expectedResources(mode)).reduce((a, b) => a + b, 0);
    it(`registers exactly the ${total} resources of the topology (the stack, components included), by type`, () => {
      expect(countByType(result)).toEqual(expectedResources(mode));
    });

    it('exports every stack output, the client secret as a secret', () => {
      expect(Object.keys(result.outputs).sort()).toEqual(STACK_OUTPUTS);
      for (const key of STACK_OUTPUTS) expect(result.outputs[key]).toEqual(expect.stringMatching(/\S/));
      expect(result.outputs['apiUrl']).toMatch(new RegExp(`^https://\\w+\\.execute-api\\.${REGION}\\.amazonaws\\.com/dev$`));
      expect(result.outputs['region']).toBe(REGION);
      expect(result.outputs['authorizer']).toBe(mode);
      expect(result.outputs['tableName']).toMatch(/^orders-dev-/);
      expect(result.secretOutputs).toEqual(['userPoolClientSecret']);
    });
  });

  it("deploys a cognito stack whatever the unused Lambda authorizer's settings", async () => {
    const result = await program.run({
      notificationEmail: 'ops@example.com',
      authorizer: 'cognito',
      // The oidc scheme's required settings are missing: they matter only to a lambda stack.
      authScheme: 'oidc',
      artifactsDir: program.artifactsDir,
    });
    expect(result.error).toBeUndefined();
    expect(countByType(result)).toEqual(expectedResources('cognito'));
    expect(result.registered.map((r) => r.name)).not.toContain('orders-dev-authorizer');
  });

  it("sets the region's API Gateway logging role only in the stack asked to", async () => {
    const result = await program.run({
      notificationEmail: 'ops@example.com',
      manageApiGatewayAccount: 'true',
      artifactsDir: program.artifactsDir,
    });
    expect(result.error).toBeUndefined();
    expect(countByType(result)).toEqual(expectedResources('cognito', true));
  });

  describe('settings a stack cannot deploy with', () => {
    const secret = JSON.stringify({ SHARED_SECRET: 'a-shared-secret-long-enough' });
    it.each([
      ['the oidc scheme without its audience', { authScheme: 'oidc', settings: JSON.stringify({ OIDC_ISSUER: 'https://id.example.com' }) }, /OIDC_AUDIENCE/],
      ['the shared-secret scheme without its secret', { authScheme: 'shared-secret' }, /setting SHARED_SECRET\b/],
      [
        'a secret header that is no header name',
        { authScheme: 'shared-secret', settings: JSON.stringify({ SHARED_SECRET_HEADER: 'X Secret' }), secretSettings: secret },
        /settings\.SHARED_SECRET_HEADER/,
      ],
      [
        "the secret's header among the secrets, where API Gateway's identity source cannot follow it",
        { authScheme: 'shared-secret', secretSettings: JSON.stringify({ SHARED_SECRET: 'a-shared-secret-long-enough', SHARED_SECRET_HEADER: 'X-Secret' }) },
        /secretSettings\.SHARED_SECRET_HEADER/,
      ],
      ['a wait out of range', { waitSeconds: '3601' }, /config waitSeconds/],
    ])('%s: the program stops before anything registers, naming the setting', async (_, config, named) => {
      const result = await program.run(
        { notificationEmail: 'ops@example.com', authorizer: 'lambda', artifactsDir: program.artifactsDir, ...config },
        { secrets: 'secretSettings' in config ? ['secretSettings'] : [] },
      );
      expect(result.error).toMatch(named);
      // One clear message, not the serialization errors of every output that depended on it.
      expect(result.error).not.toMatch(/error serializing/);
      expect(result.registered.filter((r) => r.type !== 'pulumi:pulumi:Stack')).toEqual([]);
    });
  });
});
