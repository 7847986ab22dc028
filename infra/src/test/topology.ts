import * as pulumi from '@pulumi/pulumi';
import { renderGatewayResponse } from '@serverless-orders/api-gateway';
import { AUTHORIZER_SCHEME, CORS_MAX_AGE_SECONDS, ROUTES } from '@serverless-orders/http-contract';
import { FUNCTIONS, type FunctionName } from '@serverless-orders/function-catalogue';
import { ORDERS_TABLE } from '@serverless-orders/order-table';
import { orderWorkflowDefinition, WORKFLOW_STEPS, WORKFLOW_TASK_FUNCTIONS, type WorkflowResources, type WorkflowStep } from '@serverless-orders/order-workflow';
import type { ApiGatewayDocument } from '../api-document';
import { checkApiGatewayImport } from '../api-gateway-import-rules';
import { deployedFunctions } from '../function-environment';
import { STAGE_NAME } from '../components/orders-api.component';
import type { PolicyDocument } from '../iam';
import type { ServerlessOrders } from '../serverless-orders';
import { DEFAULTS, resourcePrefix, type AuthorizerMode, type StackSettings } from '../stack-settings';
import { aslProblems } from './asl';
import { gatewayVariableValues } from './gateway-variables';
import { ACCOUNT, installMocks, REGION, valueOf, type RegisteredResource } from './pulumi-mocks';

/**
 * The whole topology, built under Pulumi mocks and read back: shared by the spec of each
 * authorizer mode, so both modes pass the same checks.
 */

export interface Topology {
  readonly system: ServerlessOrders;
  readonly settings: StackSettings;
  readonly registered: RegisteredResource[];
  /** The options each resource was created with (what the engine, not the mocks, acts on). */
  readonly options: readonly { readonly type: string; readonly name: string; readonly opts: pulumi.CustomResourceOptions }[];
}

const PERMISSIONS_BY_FUNCTION: Record<FunctionName, { actions: string[]; resources: (t: TopologyArns) => string[] }> = {
  'get-orders': {
    actions: ['dynamodb:GetItem', 'dynamodb:Query'],
    // GetItem on the table; Query only on the index it lists by.
    resources: (t) => [t.table, `${t.table}/index/${ORDERS_TABLE.localIndexes[0].name}`],
  },
  'update-order': {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    resources: (t) => [t.table],
  },
  'delete-order': {
    actions: ['dynamodb:DeleteItem'],
    resources: (t) => [t.table],
  },
  authorizer: { actions: [], resources: () => [] },
  'create-order': {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:SendMessage', 'states:StartExecution'],
    resources: (t) => [t.table, t.queue, t.deadLetterQueue, t.stateMachine],
  },
  'manage-order-state': {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'sns:Publish'],
    resources: (t) => [t.table, t.topic],
  },
  'process-payment': {
    actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    resources: (t) => [t.idempotencyTable],
  },
  'send-order': {
    actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    resources: (t) => [t.idempotencyTable],
  },
  'reconcile-orders': {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'sns:Publish', 'states:DescribeExecution', 'states:RedriveExecution', 'states:StartExecution'],
    // Query only on the sparse unsettled index; executions by their state machine's name.
    resources: (t) => [t.table, `${t.table}/index/${ORDERS_TABLE.globalIndexes[0].name}`, t.stateMachine, `${t.stateMachine.replace(':stateMachine:', ':execution:')}:*`, t.topic],
  },
};

export interface TopologyArns {
  readonly table: string;
  readonly idempotencyTable: string;
  readonly deadLetterQueue: string;
  readonly queue: string;
  readonly stateMachine: string;
  readonly topic: string;
}

export function testSettings(authorizer: AuthorizerMode, stack: string): StackSettings {
  return {
    ...DEFAULTS,
    prefix: resourcePrefix(stack),
    authorizer,
    notificationEmail: 'orders@example.com',
    waitSeconds: 7,
    architecture: 'x86_64',
    logRetentionDays: 30,
    authorizerTtlSeconds: 120,
    // Not the default '*': the checks see that the configured origin reaches every answer.
    corsAllowOrigin: 'https://app.example.com',
    // Not the defaults either: the stage's throttling is the stack's.
    throttleRateLimit: 25,
    throttleBurstLimit: 40,
    settings: { PAYMENT_FAILURE_RATE: '0.25' },
    secretSettings: {},
    artifactsDir: '/artifacts/apps',
  };
}

const json = <T>(output: pulumi.Output<string>) => valueOf(output).then((s) => JSON.parse(s) as T);

/** The checks every stack passes, whichever authorizer it has. */
export function describeTopology(mode: AuthorizerMode) {
  const stack = `test-${mode}`;
  let topology: Topology;
  let arns: TopologyArns;
  let api: ApiGatewayDocument;

  beforeAll(async () => {
    const registered = installMocks(stack);
    // Imported after the mocks are in place, as Pulumi's testing guide asks.
    const { ServerlessOrders } = await import('../serverless-orders');
    // Each mode takes one side of the region-wide API Gateway account setting, so both are built.
    const settings = { ...testSettings(mode, stack), manageApiGatewayAccount: mode === 'lambda' };
    const options: Topology['options'][number][] = [];
    const system = new ServerlessOrders(settings.prefix, settings, {
      // Resource options reach the engine, not the mocks: a transformation sees them.
      transformations: [({ type, name, opts }) => void options.push({ type, name, opts })],
    });
    topology = { system, settings, registered, options };
    arns = {
      table: await valueOf(system.table.table.arn),
      idempotencyTable: await valueOf(system.table.idempotencyTable.arn),
      queue: await valueOf(system.queue.queue.arn),
      deadLetterQueue: await valueOf(system.queue.deadLetterQueue.arn),
      stateMachine: await valueOf(system.workflow.stateMachine.arn),
      topic: await valueOf(system.notifications.topic.arn),
    };
    api = await json<ApiGatewayDocument>(system.api.restApi.body as pulumi.Output<string>);
    // Every resource registered: the alarms are the last ones the program creates.
    await valueOf(system.api.stage.urn);
    await Promise.all(system.operations.alarms.map((alarm) => valueOf(alarm.urn)));
  });

  /** The functions this mode deploys: the Lambda authorizer only in lambda mode. */
  const deployed = deployedFunctions({ authorizer: mode });
  const fn = (app: FunctionName) => {
    const deployedFunction = topology.system.functions[app];
    if (!deployedFunction) throw new Error(`${app} is not deployed in ${mode} mode`);
    return deployedFunction;
  };
  const allOperations = () =>
    Object.entries(api.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
  /** Every operation but the preflights. */
  const operations = () => allOperations().filter((o) => o.method !== 'options');
  const preflights = () => allOperations().filter((o) => o.method === 'options');
  const paths = [...new Set(ROUTES.map((r) => r.path))];

  describe(`${mode} authorizer: the API`, () => {
    it('has every route of the shared document, an OPTIONS preflight on each path, and nothing else', () => {
      const served = operations().map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
      expect(served).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
      expect(preflights().map((o) => o.path).sort()).toEqual([...paths].sort());
      expect(Object.keys(api.paths).sort()).toEqual([...paths].sort());
    });

    it("is a document API Gateway's import takes as it is", () => {
      expect(checkApiGatewayImport(api).errors).toEqual([]);
    });

    it('puts the chosen authorizer on every method but OPTIONS, and leaves none open', () => {
      expect(Object.keys(api.components.securitySchemes)).toEqual([AUTHORIZER_SCHEME]);
      expect(operations()).toHaveLength(ROUTES.length);
      for (const { op } of operations()) expect(op['security']).toEqual([{ [AUTHORIZER_SCHEME]: [] }]);
      // No document-wide default that could reach OPTIONS (or spare a method).
      expect((api as Record<string, unknown>)['security']).toBeUndefined();
    });

    it('answers every preflight itself (MOCK, no authorizer): the path\'s methods, the headers, the configured origin', () => {
      const origin = topology.settings.corsAllowOrigin;
      expect(preflights().map((o) => o.path).sort()).toEqual([...paths].sort());
      for (const { path, op } of preflights()) {
        const methods = [...ROUTES.filter((r) => r.path === path).map((r) => r.method), 'OPTIONS'];
        // A browser sends no token with a preflight: an explicitly empty security, no validator.
        expect(op['security']).toEqual([]);
        expect(op['x-amazon-apigateway-request-validator']).toBeUndefined();
        expect(op['requestBody']).toBeUndefined();
        const integration = op['x-amazon-apigateway-integration'] as {
          type: string;
          requestTemplates: Record<string, string>;
          responses: Record<string, { statusCode: string; responseParameters: Record<string, string> }>;
        };
        expect(integration.type).toBe('mock');
        expect(JSON.parse(integration.requestTemplates['application/json'])).toEqual({ statusCode: 200 });
        expect(Object.keys(integration.responses)).toEqual(['default']);
        expect(integration.responses['default'].statusCode).toBe('200');
        const parameters = integration.responses['default'].responseParameters;
        expect(parameters).toEqual({
          'method.response.header.Access-Control-Allow-Origin': `'${origin}'`,
          'method.response.header.Access-Control-Allow-Methods': expect.any(String),
          'method.response.header.Access-Control-Allow-Headers': "'Authorization,Content-Type'",
          'method.response.header.Access-Control-Max-Age': `'${CORS_MAX_AGE_SECONDS}'`,
        });
        const answered = parameters['method.response.header.Access-Control-Allow-Methods'].replace(/'/g, '').split(',');
        expect([...answered].sort()).toEqual([...methods].sort());
        // Each header the integration sets is declared on the method's 200 response.
        const declared = (op['responses'] as Record<string, { headers?: Record<string, unknown> }>)['200']?.headers ?? {};
        expect(Object.keys(declared).map((h) => `method.response.header.${h}`).sort()).toEqual(Object.keys(parameters).sort());
      }
    });

    it('invokes no function for a preflight', async () => {
      const invokeArns = await Promise.all(deployed.map((f) => valueOf(fn(f.app).function.invokeArn)));
      expect(preflights()).toHaveLength(paths.length);
      for (const { op } of preflights()) {
        const serialized = JSON.stringify(op);
        for (const arn of invokeArns) expect(serialized).not.toContain(arn);
      }
    });

    it(`binds the scheme to the ${mode} authorizer`, async () => {
      const scheme = api.components.securitySchemes[AUTHORIZER_SCHEME] as Record<string, unknown>;
      if (mode === 'cognito') {
        expect(scheme['x-amazon-apigateway-authtype']).toBe('cognito_user_pools');
        expect(scheme['x-amazon-apigateway-authorizer']).toEqual({
          type: 'cognito_user_pools',
          providerARNs: [await valueOf(topology.system.userPool.pool.arn)],
        });
      } else {
        expect(scheme['x-amazon-apigateway-authtype']).toBe('custom');
        expect(scheme['x-amazon-apigateway-authorizer']).toEqual({
          type: 'request',
          identitySource: 'method.request.header.Authorization',
          authorizerUri: await valueOf(fn('authorizer').function.invokeArn),
          authorizerResultTtlInSeconds: 120,
        });
      }
    });

    it('proxies GET, PUT and DELETE to the function each route names', async () => {
      for (const route of ROUTES.filter((r) => r.integration.kind === 'lambda')) {
        const op = (api.paths as Record<string, Record<string, Record<string, unknown>>>)[route.path][route.method.toLowerCase()];
        const app = (route.integration as { function: FunctionName }).function;
        expect(op['x-amazon-apigateway-integration']).toEqual({
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: await valueOf(fn(app).function.invokeArn),
          passthroughBehavior: 'when_no_match',
        });
      }
    });

    it('sends POST /orders straight to the order queue, with the caller from the authorizer in the template', async () => {
      const op = api.paths['/orders']['post'] as Record<string, unknown>;
      const integration = op['x-amazon-apigateway-integration'] as Record<string, unknown> & {
        requestTemplates: Record<string, string>;
        responses: Record<string, { statusCode: string; responseTemplates: Record<string, string> }>;
      };
      const queueName = await valueOf(topology.system.queue.queue.name);
      expect(integration['type']).toBe('aws');
      expect(integration['uri']).toBe(`arn:aws:apigateway:${REGION}:sqs:path/${ACCOUNT}/${queueName}`);
      expect(integration['credentials']).toBe(await valueOf(topology.system.api.queueRole.arn));
      expect(integration['passthroughBehavior']).toBe('never');
      const template = integration.requestTemplates['application/json'];
      expect(template).toContain('Action=SendMessage');
      expect(template).toContain(mode === 'cognito' ? '$!context.authorizer.claims.sub' : '$!context.authorizer.principalId');
      expect(template).not.toContain(mode === 'cognito' ? 'principalId' : 'claims');
      expect(integration.responses['2\\d{2}'].statusCode).toBe('202');
      expect(integration.responses['2\\d{2}'].responseTemplates['application/json']).toContain('"order_id"');
      expect(Object.keys(op['responses'] as object)).toEqual(expect.arrayContaining(['202', '500']));
    });

    it('answers POST /orders, whatever SQS says, with no-store, nosniff and the CORS origin, each header declared by its method response', () => {
      const op = api.paths['/orders']['post'] as Record<string, unknown> & { responses: Record<string, { headers?: Record<string, unknown> }> };
      const integration = op['x-amazon-apigateway-integration'] as { responses: Record<string, { statusCode: string; responseParameters: Record<string, string> }> };
      expect(Object.keys(integration.responses)).toHaveLength(3);
      for (const response of Object.values(integration.responses)) {
        expect(response.responseParameters).toEqual({
          'method.response.header.Cache-Control': "'no-store'",
          'method.response.header.X-Content-Type-Options': "'nosniff'",
          'method.response.header.Access-Control-Allow-Origin': `'${topology.settings.corsAllowOrigin}'`,
        });
        expect(Object.keys(op.responses[response.statusCode].headers ?? {}).sort()).toEqual(['Access-Control-Allow-Origin', 'Cache-Control', 'X-Content-Type-Options']);
      }
    });

    it('validates request bodies and parameters of every method but OPTIONS against the document', () => {
      const validators: Record<string, unknown> = api['x-amazon-apigateway-request-validators'];
      // No document-wide default: it would validate the preflights too.
      expect((api as Record<string, unknown>)['x-amazon-apigateway-request-validator']).toBeUndefined();
      for (const { op } of operations()) {
        const validator = op['x-amazon-apigateway-request-validator'] as string;
        expect(validators[validator]).toEqual({ validateRequestBody: true, validateRequestParameters: true });
      }
      for (const route of ROUTES.filter((r) => r.body)) {
        const op = (api.paths as Record<string, Record<string, Record<string, unknown>>>)[route.path][route.method.toLowerCase()];
        expect(op['requestBody']).toMatchObject({ required: true, content: { 'application/json': { schema: expect.any(Object) } } });
      }
    });

    it('answers 401 and 403 itself, and every other error of its own, with CORS headers', () => {
      const responses = api['x-amazon-apigateway-gateway-responses'];
      expect(responses.UNAUTHORIZED.statusCode).toBe('401');
      expect(responses.ACCESS_DENIED.statusCode).toBe('403');
      for (const type of Object.keys(responses) as (keyof typeof responses)[]) {
        expect(responses[type].responseParameters['gatewayresponse.header.Access-Control-Allow-Origin']).toBe(
          `'${topology.settings.corsAllowOrigin}'`,
        );
        expect(responses[type].responseParameters['gatewayresponse.header.Access-Control-Allow-Headers']).toBe(
          "'Authorization,Content-Type'",
        );
        expect(responses[type].responseTemplates['application/json']).toContain('"message"');
      }
    });

    it('answers each error of its own with a JSON body, whatever API Gateway substitutes into it', () => {
      const responses = Object.entries(api['x-amazon-apigateway-gateway-responses']);
      expect(responses.map(([type]) => type)).toEqual(expect.arrayContaining(['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS', 'DEFAULT_4XX', 'DEFAULT_5XX']));
      for (const [type, response] of responses) {
        const template = (response as { responseTemplates: Record<string, string> }).responseTemplates['application/json'];
        for (const value of gatewayVariableValues(template)) {
          const body = renderGatewayResponse(template, value);
          expect({ type, body, json: isJson(body) }).toEqual({ type, body, json: true });
          expect(JSON.parse(body)).toEqual(expect.objectContaining({ message: expect.any(String) }));
        }
      }
    });

    it('serves stage "dev" with access logs and tracing', async () => {
      const stage = topology.system.api.stage;
      expect(await valueOf(stage.stageName)).toBe(STAGE_NAME);
      expect(await valueOf(stage.xrayTracingEnabled)).toBe(true);
      const logs = await valueOf(stage.accessLogSettings);
      expect(logs?.destinationArn).toBe(await valueOf(topology.system.api.accessLogGroup.arn));
      expect(JSON.parse(logs?.format ?? '{}')).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
      expect(await valueOf(topology.system.api.accessLogGroup.retentionInDays)).toBe(30);
    });

    it("throttles each method of the stage (*/*) with the stack's rate and burst", async () => {
      const throttling = topology.registered.filter((r) => r.type === 'aws:apigateway/methodSettings:MethodSettings');
      expect(throttling).toHaveLength(1);
      expect(throttling[0].inputs).toMatchObject({
        restApi: await valueOf(topology.system.api.restApi.id),
        stageName: STAGE_NAME,
        methodPath: '*/*',
        settings: { throttlingRateLimit: 25, throttlingBurstLimit: 40 },
      });
    });

    it('lets API Gateway invoke each function only for its own routes, and the authorizer only in lambda mode', async () => {
      const permissions = topology.registered.filter((r) => r.type === 'aws:lambda/permission:Permission');
      const executionArn = await valueOf(topology.system.api.restApi.executionArn);
      const expected = ROUTES.filter((r) => r.integration.kind === 'lambda').map((r) => ({
        function: `${topology.settings.prefix}-${(r.integration as { function: string }).function}`,
        sourceArn: `${executionArn}/${STAGE_NAME}/${r.method}${r.path.replace(/\{[^}]+\}/g, '*')}`,
      }));
      const authorizer = { function: `${topology.settings.prefix}-authorizer`, sourceArn: `${executionArn}/authorizers/*` };
      const actual = permissions.map((p) => ({ function: p.inputs['function'], sourceArn: p.inputs['sourceArn'] }));
      expect(actual.sort(byJson)).toEqual((mode === 'lambda' ? [...expected, authorizer] : expected).sort(byJson));
    });
  });

  describe(`${mode} authorizer: roles`, () => {
    const policyOf = (role: { policy: pulumi.Output<string> }) => json<PolicyDocument>(role.policy);

    it.each(deployed.map((f) => f.app))('%s may do exactly what it uses, on its own resources', async (app) => {
      const f = fn(app);
      const policy = await policyOf(f.policy);
      const logGroupArn = await valueOf(f.logGroup.arn);
      const actions = policy.Statement.flatMap((s) => s.Action);
      const resources = policy.Statement.flatMap((s) => s.Resource);
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
      for (const s of policy.Statement) {
        if (s.Resource.includes('*')) expect(s.Action.every((a) => a.startsWith('xray:'))).toBe(true);
      }
      const expected = PERMISSIONS_BY_FUNCTION[app];
      expect([...new Set(actions)].sort()).toEqual(
        ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments', ...expected.actions].sort(),
      );
      expect([...new Set(resources)].sort()).toEqual(['*', `${logGroupArn}:*`, ...expected.resources(arns)].sort());
      const trust = JSON.parse(await valueOf(f.role.assumeRolePolicy));
      expect(trust.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    });

    it('the state machine invokes exactly its three task functions', async () => {
      const policy = await policyOf(topology.system.workflow.policy);
      const tasks = await Promise.all(
        (['manage-order-state', 'process-payment', 'send-order'] as const).map((app) => valueOf(fn(app).function.arn)),
      );
      const invoke = policy.Statement.filter((s) => s.Action.includes('lambda:InvokeFunction'));
      expect(invoke).toHaveLength(1);
      expect(invoke[0].Action).toEqual(['lambda:InvokeFunction']);
      expect([...invoke[0].Resource].sort()).toEqual([...tasks].sort());
      for (const s of policy.Statement) {
        expect(s.Action.filter((a) => a.includes('*'))).toEqual([]);
        // "*" only where AWS takes nothing narrower: log delivery and X-Ray.
        if (s.Resource.includes('*')) expect(s.Action.every((a) => a.startsWith('xray:') || a.startsWith('logs:'))).toBe(true);
      }
    });

    it('API Gateway may only send to the order queue', async () => {
      const policy = await policyOf(topology.system.api.queuePolicy);
      expect(policy.Statement).toEqual([{ Sid: 'SendOrder', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [arns.queue] }]);
    });

    if (mode === 'lambda') {
      it("API Gateway's logging role has no wildcard action or resource", async () => {
        const policy = await policyOf(topology.system.api.accountPolicy as aws_iam_RolePolicy);
        for (const s of policy.Statement) {
          expect(s.Action.filter((a) => a.includes('*'))).toEqual([]);
          expect(s.Resource).not.toContain('*');
          for (const r of s.Resource) expect(r.startsWith(`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:`)).toBe(true);
        }
      });
    }

    it(
      mode === 'lambda'
        ? "sets the region's API Gateway logging role when asked, and leaves it in place when the stack is destroyed"
        : "leaves the region's API Gateway account setting alone by default",
      () => {
        const accountResources = topology.options.filter(
          (o) => o.type === 'aws:apigateway/account:Account' || /-cloudwatch-(role|policy)$/.test(o.name),
        );
        if (!topology.settings.manageApiGatewayAccount) {
          expect(accountResources).toEqual([]);
          return;
        }
        expect(accountResources.map((o) => o.type).sort()).toEqual([
          'aws:apigateway/account:Account',
          'aws:iam/role:Role',
          'aws:iam/rolePolicy:RolePolicy',
        ]);
        // Every API of the region logs through this role: destroying this stack must not take it away.
        for (const o of accountResources) expect({ name: o.name, retainOnDelete: o.opts.retainOnDelete }).toEqual({ name: o.name, retainOnDelete: true });
      },
    );
  });

  describe(`${mode} authorizer: functions`, () => {
    it.each(deployed.map((f) => f.app))('%s runs its Nx bundle on nodejs22.x, traced, with its settings', async (app) => {
      const def = FUNCTIONS.find((f) => f.app === app);
      const f = fn(app).function;
      expect(await valueOf(f.name)).toBe(`${topology.settings.prefix}-${app}`);
      expect(await valueOf(f.runtime)).toBe('nodejs22.x');
      expect(await valueOf(f.handler)).toBe('main.handler');
      expect(await valueOf(f.architectures)).toEqual(['x86_64']);
      expect(await valueOf(f.tracingConfig)).toEqual({ mode: 'Active' });
      expect(await valueOf(f.timeout)).toBe(def?.timeoutSeconds);
      expect(await valueOf(f.memorySize)).toBe(def?.memoryMb);
      const code = (await valueOf(f.code)) as unknown as { path: Promise<string> | string };
      expect(await code.path).toBe(`/artifacts/apps/${app}`);
      expect(await valueOf(f.loggingConfig)).toMatchObject({ logGroup: `/aws/lambda/${topology.settings.prefix}-${app}` });
      expect(await valueOf(fn(app).logGroup.retentionInDays)).toBe(30);

      const env = (await valueOf(f.environment))?.variables ?? {};
      const values: Record<string, string> = {
        ORDERS_TABLE_NAME: await valueOf(topology.system.table.table.name),
        STATE_MACHINE_ARN: arns.stateMachine,
        ORDER_TOPIC_ARN: arns.topic,
        IDEMPOTENCY_TABLE_NAME: await valueOf(topology.system.table.idempotencyTable.name),
        DEAD_LETTER_QUEUE_URL: await valueOf(topology.system.queue.deadLetterQueue.url),
        PAYMENT_FAILURE_RATE: '0.25',
        AUTH_SCHEME: 'cognito',
        CORS_ALLOW_ORIGIN: topology.settings.corsAllowOrigin,
        // The workflow's Wait (7 s in these stacks) plus ten minutes.
        RECONCILE_AFTER_SECONDS: '607',
      };
      for (const setting of def?.settings ?? []) {
        if (setting.name in values) expect(env[setting.name]).toBe(values[setting.name]);
      }
      const expectedNames = (def?.settings ?? []).filter((s) => s.required || s.name in values).map((s) => s.name);
      const runtimeNames = ['POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME'];
      if (app === 'authorizer') {
        expect(env).toMatchObject({
          AUTH_SCHEME: 'cognito',
          COGNITO_USER_POOL_ID: await valueOf(topology.system.userPool.pool.id),
          COGNITO_CLIENT_ID: await valueOf(topology.system.userPool.client.id),
        });
      } else {
        expect(Object.keys(env).sort()).toEqual([...expectedNames, ...runtimeNames].sort());
      }
    });

    it('gives the HTTP functions the stack\'s corsAllowOrigin as CORS_ALLOW_ORIGIN, and no other function', async () => {
      for (const f of deployed) {
        const env = (await valueOf(fn(f.app).function.environment))?.variables ?? {};
        const settings: readonly { name: string }[] = f.settings;
        if (f.trigger.kind === 'http') expect(env['CORS_ALLOW_ORIGIN']).toBe('https://app.example.com');
        else if (!settings.some((s) => s.name === 'CORS_ALLOW_ORIGIN')) expect(env).not.toHaveProperty('CORS_ALLOW_ORIGIN');
      }
    });

    it(`deploys the Lambda authorizer ${mode === 'lambda' ? 'as the API\'s authorizer' : 'not at all: Cognito authorizes'}`, () => {
      const functions = topology.registered.filter((r) => r.type === 'aws:lambda/function:Function').map((r) => r.name);
      expect(functions.sort()).toEqual(deployed.map((f) => `${topology.settings.prefix}-${f.app}`).sort());
      expect(functions.includes(`${topology.settings.prefix}-authorizer`)).toBe(mode === 'lambda');
    });

    it('consumes the order queue with create-order: batches of 10, partial batch failures', async () => {
      const mapping = fn('create-order').eventSourceMapping;
      if (!mapping) throw new Error('create-order has no event source mapping');
      expect(await valueOf(mapping.eventSourceArn)).toBe(arns.queue);
      expect(await valueOf(mapping.functionName)).toBe(await valueOf(fn('create-order').function.arn));
      expect(await valueOf(mapping.batchSize)).toBe(10);
      expect(await valueOf(mapping.functionResponseTypes)).toEqual(['ReportBatchItemFailures']);
      const mappings = topology.registered.filter((r) => r.type === 'aws:lambda/eventSourceMapping:EventSourceMapping');
      expect(mappings).toHaveLength(1);
    });
  });

  describe(`${mode} authorizer: data, queue, workflow, identity`, () => {
    it('keys the table as the shared definition, on demand, with PITR and encryption', async () => {
      const table = topology.system.table.table;
      expect(await valueOf(table.hashKey)).toBe(ORDERS_TABLE.partitionKey.name);
      expect(await valueOf(table.rangeKey)).toBe(ORDERS_TABLE.sortKey.name);
      expect(await valueOf(table.billingMode)).toBe('PAY_PER_REQUEST');
      expect(await valueOf(table.pointInTimeRecovery)).toMatchObject({ enabled: true });
      expect(await valueOf(table.serverSideEncryption)).toMatchObject({ enabled: true });
      expect(await valueOf(table.localSecondaryIndexes)).toEqual([
        { name: 'by_created_at', rangeKey: 'created_at', projectionType: 'ALL' },
      ]);
      expect(await valueOf(table.globalSecondaryIndexes)).toEqual([
        { name: 'unsettled_by_updated_at', hashKey: 'unsettled_shard', rangeKey: 'updated_at', projectionType: 'ALL' },
      ]);
      expect(((await valueOf(table.attributes)) ?? []).map((a) => a.name).sort()).toEqual(['created_at', 'id', 'unsettled_shard', 'updated_at', 'user_id']);
      const idempotency = topology.system.table.idempotencyTable;
      expect(await valueOf(idempotency.hashKey)).toBe('id');
      expect(await valueOf(idempotency.ttl)).toEqual({ attributeName: 'expiration', enabled: true });
    });

    it('runs the reconciler every 5 minutes through EventBridge Scheduler, whose role may invoke it and nothing else', async () => {
      const reconciler = fn('reconcile-orders');
      if (!reconciler.schedule) throw new Error('the reconciler has no schedule');
      const { schedule, role, policy } = reconciler.schedule;
      const functionArn = await valueOf(reconciler.function.arn);
      expect(await valueOf(schedule.scheduleExpression)).toBe('rate(5 minutes)');
      expect(await valueOf(schedule.target)).toMatchObject({ arn: functionArn, roleArn: await valueOf(role.arn) });
      expect(JSON.parse(await valueOf(role.assumeRolePolicy)).Statement[0].Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
      expect(JSON.parse(await valueOf(policy.policy)).Statement).toEqual([
        { Sid: 'InvokeScheduledFunction', Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [functionArn] },
      ]);
      // The other functions have no schedule.
      expect(FUNCTIONS.filter((f) => topology.system.functions[f.app]?.schedule).map((f) => f.app)).toEqual(['reconcile-orders']);
    });

    it('alarms an operations topic on a dead letter, a failed or timed-out execution, and the reconciler acting', async () => {
      const { alarms, topic } = topology.system.operations;
      const metrics = await Promise.all(alarms.map(async (a) => [await valueOf(a.namespace), await valueOf(a.metricName)].join(' ')));
      expect(metrics.sort()).toEqual([
        'AWS/SQS ApproximateNumberOfMessagesVisible',
        'AWS/States ExecutionsFailed',
        'AWS/States ExecutionsTimedOut',
        'ServerlessOrders OrdersReconciled',
      ]);
      for (const alarm of alarms) {
        expect(await valueOf(alarm.threshold)).toBe(0);
        expect(await valueOf(alarm.comparisonOperator)).toBe('GreaterThanThreshold');
        expect(await valueOf(alarm.alarmActions)).toEqual([await valueOf(topic.arn)]);
      }
      const [deadLetters, failed] = alarms;
      expect(await valueOf(deadLetters.dimensions)).toEqual({ QueueName: await valueOf(topology.system.queue.deadLetterQueue.name) });
      expect(await valueOf(failed.dimensions)).toEqual({ StateMachineArn: arns.stateMachine });
    });

    it('moves a message to the dead-letter queue after 5 receives (AWS advises at least 5), and hides it 6 consumer timeouts', async () => {
      const queue = topology.system.queue.queue;
      const redrive = JSON.parse((await valueOf(queue.redrivePolicy)) ?? '{}');
      expect(redrive).toEqual({ deadLetterTargetArn: await valueOf(topology.system.queue.deadLetterQueue.arn), maxReceiveCount: 5 });
      const consumer = FUNCTIONS.find((f) => f.app === 'create-order');
      const visibility = await valueOf(queue.visibilityTimeoutSeconds);
      expect(visibility).toBeGreaterThanOrEqual(6 * (consumer?.timeoutSeconds ?? Infinity));
      expect(await valueOf(queue.sqsManagedSseEnabled)).toBe(true);
    });

    it('defines the state machine by the shared ASL, every task resolved to its function', async () => {
      const machine = topology.system.workflow.stateMachine;
      const definition = JSON.parse(await valueOf(machine.definition));
      const resources = Object.fromEntries(
        await Promise.all(WORKFLOW_TASK_FUNCTIONS.map(async (app) => [app, await valueOf(fn(app).function.arn)])),
      ) as WorkflowResources;
      expect(definition).toEqual(JSON.parse(JSON.stringify(orderWorkflowDefinition({ waitSeconds: 7, resources }))));
      // As deployed, with the functions' ARNs: valid States Language.
      expect(aslProblems(definition)).toEqual([]);
      const tasks = Object.entries(definition.States as Record<string, { Type: string; Resource?: string }>).filter(
        ([, s]) => s.Type === 'Task',
      );
      expect(tasks.map(([name]) => name).sort()).toEqual(Object.keys(WORKFLOW_STEPS).sort());
      for (const [name, state] of tasks) {
        expect(state.Resource).toBe(resources[WORKFLOW_STEPS[name as WorkflowStep]]);
      }
      expect(await valueOf(machine.loggingConfiguration)).toMatchObject({
        level: 'ALL',
        logDestination: `${await valueOf(topology.system.workflow.logGroup.arn)}:*`,
      });
      expect(await valueOf(machine.tracingConfiguration)).toEqual({ enabled: true });
    });

    it('notifies by email through the encrypted topic', async () => {
      expect(await valueOf(topology.system.notifications.topic.kmsMasterKeyId)).toBe('alias/aws/sns');
      const subscription = topology.system.notifications.subscription;
      expect(await valueOf(subscription.protocol)).toBe('email');
      expect(await valueOf(subscription.endpoint)).toBe('orders@example.com');
      expect(await valueOf(subscription.topic)).toBe(arns.topic);
    });

    it('signs users in by email, passwords of 8 or more, through a client with a secret', async () => {
      const { pool, client } = topology.system.userPool;
      expect(await valueOf(pool.usernameAttributes)).toEqual(['email']);
      expect(await valueOf(pool.passwordPolicy)).toMatchObject({ minimumLength: 8 });
      expect(await valueOf(client.generateSecret)).toBe(true);
      expect((await valueOf(client.explicitAuthFlows))?.sort()).toEqual([
        'ALLOW_ADMIN_USER_PASSWORD_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
        'ALLOW_USER_PASSWORD_AUTH',
      ]);
    });
  });

  describe(`${mode} authorizer: outputs`, () => {
    it('gives every output the CLI and the local stack use', async () => {
      const o = topology.system.outputs;
      const queueName = await valueOf(topology.system.queue.queue.name);
      expect({
        apiUrl: await valueOf(o.apiUrl),
        userPoolId: await valueOf(o.userPoolId),
        userPoolClientId: await valueOf(o.userPoolClientId),
        region: await valueOf(o.region),
        tableName: await valueOf(o.tableName),
        orderQueueUrl: await valueOf(o.orderQueueUrl),
        deadLetterQueueUrl: await valueOf(o.deadLetterQueueUrl),
        topicArn: await valueOf(o.topicArn),
        stateMachineArn: await valueOf(o.stateMachineArn),
        authorizer: await valueOf(o.authorizer),
      }).toEqual({
        apiUrl: `https://a1b2c3d4e5.execute-api.${REGION}.amazonaws.com/dev`,
        userPoolId: await valueOf(topology.system.userPool.pool.id),
        userPoolClientId: await valueOf(topology.system.userPool.client.id),
        region: REGION,
        tableName: await valueOf(topology.system.table.table.name),
        orderQueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${queueName}`,
        deadLetterQueueUrl: await valueOf(topology.system.queue.deadLetterQueue.url),
        topicArn: arns.topic,
        stateMachineArn: arns.stateMachine,
        authorizer: mode,
      });
      expect(await pulumi.isSecret(o.userPoolClientSecret)).toBe(true);
      expect(await valueOf(o.userPoolClientSecret)).toEqual(expect.any(String));
    });
  });
}

type aws_iam_RolePolicy = { policy: pulumi.Output<string> };

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
