import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand, DescribeUserPoolClientCommand, ListUserPoolClientsCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoTokenVerifier } from '@serverless-orders/auth-cognito';
import { FUNCTIONS, functionDefinition, type FunctionDefinition } from '@serverless-orders/function-catalogue';
import { openApiDocument } from '@serverless-orders/http-contract';
import { orderWorkflowDefinition } from '@serverless-orders/order-workflow';
import { localCredentials } from './aws-clients';
import { formatLogLine } from './function-logs';
import { apiRequestHandler, DEFAULT_CORS_ALLOW_ORIGIN } from './gateway/api';
import { cognitoClaimsVerifier, CognitoUserPoolAuthorizer, lambdaAuthorizerIdentityHeader, LambdaRequestAuthorizer, type GatewayAuthorizer } from './gateway/authorizers';
import { serveDocs } from './gateway/docs';
import { close, httpServer, listen, LOOPBACK } from './http/http-util';
import { startIdentityProvider } from './identity/identity-provider';
import { functionEnvironment, type StackResources } from './lambda/function-environment';
import { FunctionRuntime } from './lambda/function-runtime';
import { functionInvoker } from './lambda/invoke-result';
import type { StackOptions } from './options';
import { EventSourceMapping } from './queue/event-source-mapping';
import { ensureMessaging, sqsQueue, startMessaging } from './queue/messaging';
import { acquireLock, writeOutputs, type StackOutputs } from './state-files';
import { ensureTable, startStore } from './store/store';
import { sfnRequestHandler } from './workflow/sfn-endpoint';
import { LocalStepFunctions } from './workflow/step-functions';

export const ACCOUNT_ID = '000000000000';
export const API_ID = 'ordlocal01';
const PREFIX = 'serverless-orders-local';
export const NAMES = {
  userPool: `${PREFIX}-users`,
  userPoolClient: `${PREFIX}-client`,
  table: `${PREFIX}-orders`,
  queue: `${PREFIX}-orders`,
  deadLetterQueue: `${PREFIX}-orders-dlq`,
  topic: `${PREFIX}-notifications`,
  notificationQueue: `${PREFIX}-notifications-inbox`,
  stateMachine: `${PREFIX}-order-workflow`,
};
const MAX_RECEIVE_COUNT = 3;

export interface RunningStack {
  readonly outputs: StackOutputs;
  readonly outputsFile: string;
  stop(): Promise<void>;
  /** Initialises one environment of every function in the background, so first requests are warm. */
  prewarm(): void;
}

export interface StackEnvironment {
  /** The workspace root: dist/apps/* and the data directory are found from it. */
  readonly root: string;
  readonly log: (line: string) => void;
}

/** The pool (email as username, passwords of at least 8) and its app client with a secret: created once, then reused. */
async function ensureUserPool(endpoint: string, region: string) {
  const cognito = new CognitoIdentityProviderClient({ endpoint, region, credentials: localCredentials });
  try {
    const pools = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    let poolId = pools.UserPools?.find((p) => p.Name === NAMES.userPool)?.Id;
    const created = !poolId;
    if (!poolId) {
      const { UserPool } = await cognito.send(
        new CreateUserPoolCommand({
          PoolName: NAMES.userPool,
          UsernameAttributes: ['email'],
          AutoVerifiedAttributes: ['email'],
          Policies: { PasswordPolicy: { MinimumLength: 8, RequireLowercase: false, RequireUppercase: false, RequireNumbers: false, RequireSymbols: false } },
          Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
        }),
      );
      poolId = UserPool?.Id ?? '';
    }
    const clients = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }));
    let clientId = clients.UserPoolClients?.find((c) => c.ClientName === NAMES.userPoolClient)?.ClientId;
    if (!clientId) {
      const { UserPoolClient } = await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: NAMES.userPoolClient,
          GenerateSecret: true,
          ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      );
      clientId = UserPoolClient?.ClientId ?? '';
    }
    const { UserPoolClient } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    return { poolId, clientId, clientSecret: UserPoolClient?.ClientSecret ?? '', created };
  } finally {
    cognito.destroy();
  }
}

function bundleOf(root: string, app: string): string {
  return join(root, 'dist', 'apps', app, 'main.js');
}

/**
 * Copies each function's bundle (and source map) from dist/apps into the data directory. A bundle
 * that is missing is waited for a little (a build may be rewriting dist/ right now), then named.
 */
async function snapshotBundles(root: string, dataDir: string, fns: readonly FunctionDefinition[], log: (line: string) => void) {
  const deadline = Date.now() + 30_000;
  let warned = false;
  for (;;) {
    const missing = fns.filter((f) => !existsSync(bundleOf(root, f.app)));
    if (missing.length === 0) break;
    if (Date.now() > deadline) {
      throw Object.assign(
        new Error(`no bundle for ${missing.map((f) => f.app).join(', ')} in dist/apps: build them first (npx nx run-many -t build)`),
        { name: 'BundleMissingError' },
      );
    }
    if (!warned) log(`waiting for the bundles of ${missing.map((f) => f.app).join(', ')} in dist/apps…`);
    warned = true;
    await new Promise((r) => setTimeout(r, 500));
  }
  const files: Record<string, string> = {};
  for (const fn of fns) {
    const target = join(dataDir, 'functions', fn.app);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    for (const name of ['main.js', 'main.js.map']) {
      const from = join(root, 'dist', 'apps', fn.app, name);
      if (existsSync(from)) copyFileSync(from, join(target, name));
    }
    files[fn.app] = join(target, 'main.js');
  }
  return files;
}

/** The functions this mode needs: all of them, the authorizer only with --authorizer lambda. */
function neededFunctions(options: StackOptions): FunctionDefinition[] {
  return FUNCTIONS.filter((f) => f.trigger.kind !== 'authorizer' || options.authorizer === 'lambda');
}

/** Starts everything; on any failure, stops what was started and rethrows. */
export async function startStack(options: StackOptions, environment: StackEnvironment): Promise<RunningStack> {
  const { root, log } = environment;
  const dataDir = resolve(root, options.dataDir);
  const cleanups: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log(`while stopping: ${(error as Error).message}`);
      }
    }
  };

  try {
    const lock = acquireLock(dataDir);
    cleanups.push(() => lock.release());
    // Like a deployment: each function runs from its own copy of its bundle, so a rebuild of
    // dist/ while the stack runs changes nothing until the next start.
    const bundles = await snapshotBundles(root, dataDir, neededFunctions(options), log);
    const region = options.region;

    // Stores and services, each on its own port.
    const store = await startStore({ port: options.ports.dynamodb, path: options.persist ? join(dataDir, 'dynamodb') : undefined });
    cleanups.push(() => store.close());
    const messaging = await startMessaging({ port: options.ports.messaging, region });
    cleanups.push(() => messaging.close());
    const idp = await startIdentityProvider({ port: options.ports.cognito, dataDir, region, accountId: ACCOUNT_ID, verbose: options.verbose, log });
    cleanups.push(() => idp.close());

    const functions = new Map<string, FunctionRuntime>();
    const invoke = functionInvoker(functions, region, ACCOUNT_ID);
    const sfn = new LocalStepFunctions({ region, accountId: ACCOUNT_ID, invoke, log: (l) => log(`[workflow] ${l}`) });
    cleanups.push(() => sfn.stopAll());
    const sfnServer = httpServer(sfnRequestHandler(sfn, log), log);
    const sfnPort = await listen(sfnServer, options.ports.sfn, 'Step Functions', '--sfn-port');
    cleanups.push(() => close(sfnServer));
    const sfnEndpoint = `http://${LOOPBACK}:${sfnPort}`;

    // Resources: created on the first start, reused later.
    await ensureTable(store.endpoint, region, NAMES.table);
    const createOrder = functionDefinition('create-order');
    const visibilityTimeout = options.visibilityTimeoutSeconds ?? 6 * createOrder.timeoutSeconds;
    const queues = await ensureMessaging(messaging.endpoint, region, NAMES, { visibilityTimeoutSeconds: visibilityTimeout, maxReceiveCount: MAX_RECEIVE_COUNT });
    const pool = await ensureUserPool(idp.endpoint, region);
    const lambdaArn = (app: string) => `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${app}`;
    const stateMachineArn = sfn.createStateMachine(
      NAMES.stateMachine,
      orderWorkflowDefinition({
        waitSeconds: options.waitSeconds,
        resources: { 'manage-order-state': lambdaArn('manage-order-state'), 'process-payment': lambdaArn('process-payment'), 'send-order': lambdaArn('send-order') },
      }) as unknown as Record<string, unknown>,
    );

    // The functions, each with its own environment.
    const resources: StackResources = {
      region,
      tableName: NAMES.table,
      stateMachineArn,
      topicArn: queues.topicArn,
      endpoints: { dynamodb: store.endpoint, sqs: messaging.endpoint, sns: messaging.endpoint, sfn: sfnEndpoint, cognito: idp.endpoint },
    };
    const authorizerEnv: Record<string, string> = {
      AUTH_SCHEME: 'cognito',
      COGNITO_USER_POOL_ID: pool.poolId,
      COGNITO_CLIENT_ID: pool.clientId,
      COGNITO_TOKEN_USE: 'id',
      COGNITO_JWKS_URI: idp.jwksUri(pool.poolId),
    };
    // One origin for the gateway's own answers (errors, the CORS preflight) and the functions'
    // CORS_ALLOW_ORIGIN, as infra's corsAllowOrigin.
    const corsAllowOrigin = DEFAULT_CORS_ALLOW_ORIGIN;
    const environments = new Map<string, Record<string, string>>();
    for (const fn of neededFunctions(options)) {
      const extra = { ...(fn.app === 'authorizer' ? authorizerEnv : {}), ...(options.functionEnv[fn.app] ?? {}) };
      const env = functionEnvironment(fn, resources, { CORS_ALLOW_ORIGIN: corsAllowOrigin }, extra, options.logLevel);
      environments.set(fn.app, env);
      const width = Math.max(...FUNCTIONS.map((f) => f.app.length));
      const runtime = new FunctionRuntime({
        name: fn.app,
        file: bundles[fn.app],
        env,
        timeoutSeconds: fn.timeoutSeconds,
        memoryMb: fn.memoryMb,
        region,
        accountId: ACCOUNT_ID,
        output: options.quiet ? undefined : (line) => log(`[${fn.app.padEnd(width)}] ${formatLogLine(line, options.verbose)}`),
      });
      functions.set(fn.app, runtime);
      cleanups.push(() => runtime.close());
    }

    // The API gateway, with the chosen authorizer.
    let authorizer: GatewayAuthorizer;
    if (options.authorizer === 'lambda') {
      // The identity source, as infra derives it from the authorizer's settings (SHARED_SECRET_HEADER …).
      const identityHeader = lambdaAuthorizerIdentityHeader(environments.get('authorizer') ?? {});
      authorizer = new LambdaRequestAuthorizer(
        (event) => invoke('authorizer', event),
        options.authorizerTtlSeconds,
        (l) => log(`[gateway] ${l}`),
        Date,
        identityHeader,
      );
    } else {
      const verifier = new CognitoTokenVerifier({
        userPoolId: pool.poolId,
        clientIds: [pool.clientId],
        tokenUse: 'id',
        jwksUri: idp.jwksUri(pool.poolId),
        jwksTimeoutMs: 3000,
      });
      authorizer = new CognitoUserPoolAuthorizer(cognitoClaimsVerifier(verifier, (l) => log(`[gateway] ${l}`)));
    }
    const orderQueue = sqsQueue(messaging.endpoint, region, queues.orderQueueUrl);
    cleanups.push(() => orderQueue.close());
    const requireHere = createRequire(import.meta.url);
    const docsAssets = dirname(requireHere.resolve('swagger-ui-dist/package.json'));
    let apiUrl = '';
    const gateway = httpServer(
      apiRequestHandler(
        {
          stage: { apiId: API_ID, stage: options.stage, accountId: ACCOUNT_ID, region, domainName: `${LOOPBACK}:${options.ports.api}` },
          authorizer,
          corsAllowOrigin,
          invokeFunction: invoke,
          sendOrder: (body) => orderQueue.send(body),
          log: options.quiet ? undefined : (l) => log(`[gateway] ${l}`),
        },
        async (path, res) => {
          if (path === '/' || path === '') {
            res.writeHead(302, { Location: '/docs' });
            res.end();
            return true;
          }
          return serveDocs(path, res, docsAssets, () => openApiDocument({ title: 'Serverless Orders API (local)', serverUrl: apiUrl }));
        },
      ),
      log,
    );
    const apiPort = await listen(gateway, options.ports.api, 'API gateway', '--port');
    cleanups.push(() => close(gateway));
    apiUrl = `http://${LOOPBACK}:${apiPort}/${options.stage}`;

    // The SQS → create-order event source mapping.
    const trigger = createOrder.trigger as { batchSize: number };
    const mapping = new EventSourceMapping({
      queue: sqsQueue(messaging.endpoint, region, queues.orderQueueUrl),
      queueArn: queues.orderQueueArn,
      region,
      batchSize: trigger.batchSize,
      reportBatchItemFailures: true,
      concurrency: 2,
      invoke: (event) => invoke('create-order', event),
      log: (l) => log(`[event-source-mapping] ${l}`),
    });
    mapping.start();
    cleanups.push(() => mapping.stop());

    const outputs: StackOutputs = {
      apiUrl,
      userPoolId: pool.poolId,
      userPoolClientId: pool.clientId,
      userPoolClientSecret: pool.clientSecret,
      region,
      tableName: NAMES.table,
      orderQueueUrl: queues.orderQueueUrl,
      deadLetterQueueUrl: queues.deadLetterQueueUrl,
      topicArn: queues.topicArn,
      cognitoEndpoint: idp.endpoint,
      dynamodbEndpoint: store.endpoint,
      sqsEndpoint: messaging.endpoint,
      snsEndpoint: messaging.endpoint,
      stepFunctionsEndpoint: sfnEndpoint,
      stateMachineArn,
      notificationQueueUrl: queues.notificationQueueUrl,
      docsUrl: `http://${LOOPBACK}:${apiPort}/docs`,
      authorizer: options.authorizer,
      stage: options.stage,
    };
    const outputsFile = join(dataDir, 'outputs.json');
    writeOutputs(outputsFile, outputs);
    return { outputs, outputsFile, stop, prewarm: () => functions.forEach((f) => f.prewarm()) };
  } catch (error) {
    await stop();
    throw error;
  }
}
