import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { ServerlessOrders } from './serverless-orders';
import { ACCOUNT, installMocks, REGION, valueOf, type RegisteredResource } from './test/pulumi-mocks';
import { testSettings } from './test/topology';

/**
 * infra/deployer-policy.json, the policy README.md gives whoever runs `nx run infra:deploy`,
 * evaluated by an IAM policy simulator: it allows creating every kind of resource the program
 * creates, and IAM only for the stack's own roles, passed only to the services they serve.
 */

const policy = JSON.parse(readFileSync(path.resolve(__dirname, '../deployer-policy.json'), 'utf8'));
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:user/deployer`;

/**
 * API Gateway's deployments and stages collections: the simulator's data gives two ARN forms
 * for their resource types (HTTP and REST APIs) in one string, and matches neither, so these
 * are simulated without its input validation.
 */
const UNVALIDATED = /^arn:aws:apigateway:[^:]*::\/restapis\/[^/]+\/(deployments|stages)$/;

async function decide(action: string, resource: string, contextVariables: Record<string, string> = {}): Promise<string> {
  const simulation: Simulation = {
    request: { principal: DEPLOYER, action, resource: { resource, accountId: ACCOUNT }, contextVariables },
    identityPolicies: [{ name: 'orders-deployer', policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  if (UNVALIDATED.test(resource)) return runUnsafeSimulation(simulation, {});
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') throw new Error(`cannot simulate ${action} on ${resource}: ${JSON.stringify(response.errors)}`);
  return response.overallResult;
}

const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const api = (resourcePath: string) => `arn:aws:apigateway:${REGION}::${resourcePath}`;
/** What Pulumi's auto-naming appends to a logical name. */
const physical = (name: string) => `${name}-a1b2c3d`;

/**
 * The call that creates each type of resource the program registers, on a resource as the
 * program names it. A type missing here fails the test: add its call, and its service to
 * deployer-policy.json.
 */
const CREATED_BY: Record<string, (name: string) => [action: string, resource: string]> = {
  'aws:apigateway/account:Account': () => ['apigateway:PATCH', api('/account')],
  'aws:apigateway/methodSettings:MethodSettings': () => ['apigateway:PATCH', api('/restapis/a1b2c3d4e5/stages/dev')],
  'aws:apigateway/deployment:Deployment': () => ['apigateway:POST', api('/restapis/a1b2c3d4e5/deployments')],
  'aws:apigateway/restApi:RestApi': () => ['apigateway:POST', api('/restapis')],
  'aws:apigateway/stage:Stage': () => ['apigateway:POST', api('/restapis/a1b2c3d4e5/stages')],
  'aws:cloudwatch/logGroup:LogGroup': (name) => ['logs:CreateLogGroup', arn('logs', `log-group:${name}`)],
  'aws:cloudwatch/metricAlarm:MetricAlarm': (name) => ['cloudwatch:PutMetricAlarm', arn('cloudwatch', `alarm:${physical(name)}`)],
  'aws:scheduler/schedule:Schedule': (name) => ['scheduler:CreateSchedule', arn('scheduler', `schedule/default/${name.replace(/-schedule$/, '')}`)],
  'aws:cognito/userPool:UserPool': () => ['cognito-idp:CreateUserPool', '*'],
  'aws:cognito/userPoolClient:UserPoolClient': () => ['cognito-idp:CreateUserPoolClient', arn('cognito-idp', `userpool/${REGION}_AbCdEf123`)],
  'aws:dynamodb/table:Table': (name) => ['dynamodb:CreateTable', arn('dynamodb', `table/${physical(name)}`)],
  'aws:iam/role:Role': (name) => ['iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/${physical(name)}`],
  'aws:iam/rolePolicy:RolePolicy': (name) => ['iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/${physical(name.replace(/-policy$/, '-role'))}`],
  'aws:lambda/eventSourceMapping:EventSourceMapping': () => ['lambda:CreateEventSourceMapping', '*'],
  'aws:lambda/function:Function': (name) => ['lambda:CreateFunction', arn('lambda', `function:${name}`)],
  'aws:lambda/permission:Permission': () => ['lambda:AddPermission', arn('lambda', 'function:orders-dev-get-orders')],
  'aws:sfn/stateMachine:StateMachine': (name) => ['states:CreateStateMachine', arn('states', `stateMachine:${name}`)],
  'aws:sns/topic:Topic': (name) => ['sns:CreateTopic', arn('sns', physical(name))],
  'aws:sns/topicSubscription:TopicSubscription': () => ['sns:Subscribe', arn('sns', physical('orders-dev-order-notifications'))],
  'aws:sqs/queue:Queue': (name) => ['sqs:CreateQueue', arn('sqs', physical(name))],
};

describe('the deployer policy (infra/deployer-policy.json)', () => {
  let registered: RegisteredResource[];
  let system: ServerlessOrders;

  beforeAll(async () => {
    registered = installMocks('dev');
    const { ServerlessOrders } = await import('./serverless-orders');
    // The most a stack creates: the Lambda authorizer, and the region's API Gateway logging role.
    const settings = { ...testSettings('lambda', 'dev'), manageApiGatewayAccount: true };
    system = new ServerlessOrders(settings.prefix, settings);
    await valueOf(system.api.stage.urn);
  });

  it('lets the deployer create every kind of resource the program creates', async () => {
    const resources = registered.filter((r) => r.custom && r.type.startsWith('aws:'));
    expect(resources.length).toBeGreaterThan(40);
    for (const { type, name, inputs } of resources) {
      const created = CREATED_BY[type];
      expect({ type, known: created !== undefined }).toEqual({ type, known: true });
      const [action, resource] = created((inputs['name'] as string | undefined) ?? name);
      expect({ action, resource, decision: await decide(action, resource) }).toEqual({ action, resource, decision: 'Allowed' });
    }
  });

  it('lets it manage each role of the stack, and pass it only to the service that assumes it', async () => {
    const roles = registered.filter((r) => r.type === 'aws:iam/role:Role');
    expect(roles.length).toBeGreaterThan(10);
    for (const role of roles) {
      const roleArn = `arn:aws:iam::${ACCOUNT}:role/${physical(role.name)}`;
      const service = JSON.parse(role.inputs['assumeRolePolicy'] as string).Statement[0].Principal.Service as string;
      for (const action of ['iam:CreateRole', 'iam:TagRole', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:DeleteRolePolicy', 'iam:DeleteRole']) {
        expect({ action, roleArn, decision: await decide(action, roleArn) }).toEqual({ action, roleArn, decision: 'Allowed' });
      }
      expect(await decide('iam:PassRole', roleArn, { 'iam:PassedToService': service })).toBe('Allowed');
      expect(await decide('iam:PassRole', roleArn, { 'iam:PassedToService': 'ec2.amazonaws.com' })).toBe('ImplicitlyDenied');
    }
  });

  it("gives no IAM power beyond the stack's roles: no other role, no user, no managed policy", async () => {
    const admin = `arn:aws:iam::${ACCOUNT}:role/Admin`;
    const ours = `arn:aws:iam::${ACCOUNT}:role/${physical('orders-dev-get-orders-role')}`;
    expect(await decide('iam:CreateRole', admin)).toBe('ImplicitlyDenied');
    expect(await decide('iam:PutRolePolicy', admin)).toBe('ImplicitlyDenied');
    expect(await decide('iam:PassRole', admin, { 'iam:PassedToService': 'lambda.amazonaws.com' })).toBe('ImplicitlyDenied');
    expect(await decide('iam:AttachRolePolicy', ours)).toBe('ImplicitlyDenied');
    expect(await decide('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/someone`)).toBe('ImplicitlyDenied');
    expect(await decide('s3:CreateBucket', 'arn:aws:s3:::a-bucket')).toBe('ImplicitlyDenied');
  });
});
