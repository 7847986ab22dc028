import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_STAGE_THROTTLING, placeOrderIntegration } from '@serverless-orders/api-gateway';
import { CognitoTokenVerifier } from '@serverless-orders/auth-cognito';
import { openApiDocument } from '@serverless-orders/http-contract';
import { close, functionInvoker, httpServer, listen, LOOPBACK } from '@serverless-orders/local-aws';
import { redactLine } from '../redaction';
import { ACCOUNT_ID, API_ID, type Started } from '../started';
import { apiRequestHandler, DEFAULT_CORS_ALLOW_ORIGIN } from './api';
import { cognitoClaimsVerifier, CognitoUserPoolAuthorizer, lambdaAuthorizerIdentityHeader, LambdaRequestAuthorizer, type GatewayAuthorizer } from './authorizers';
import { serveDocs } from './docs';
import { assertLoopbackOnly } from './loopback-only';
import { OrderAdmission } from './order-admission';
import { compileModels } from './request-validator';
import { routesFromDocument } from './routes';
import { sqsQueryAction } from './sqs-query-protocol';
import { StageThrottle } from './throttle';

/** Orders the workflow may hold before POST /orders waits: per unit of a function's concurrency. */
const ORDERS_IN_FLIGHT_PER_UNIT = 2;
/** The longest POST /orders waits for room (well under a client's usual 10 s timeout). */
const ADMISSION_MAX_HOLD_MS = 5_000;

// API Gateway's step of the start-up (step 5): the stage, its authorizer and /docs.

/** The API's authorizer, as the stack's mode says: API Gateway's Cognito user-pool authorizer, or the Lambda REQUEST authorizer. */
function gatewayAuthorizer(s: Started, invoke: Started['invoke']): GatewayAuthorizer {
  const log = (l: string) => s.env.log(`[gateway] ${redactLine(l)}`);
  if (s.options.authorizer === 'lambda') {
    // The identity source, as infra derives it from the authorizer's settings (SHARED_SECRET_HEADER …).
    const identityHeader = lambdaAuthorizerIdentityHeader(s.environments.get('authorizer') ?? {});
    return new LambdaRequestAuthorizer((event) => invoke('authorizer', event), s.options.authorizerTtlSeconds, log, Date, identityHeader);
  }
  const verifier = new CognitoTokenVerifier({
    userPoolId: s.pool.poolId,
    clientIds: [s.pool.clientId],
    tokenUse: 'id',
    jwksUri: s.idp.jwksUri(s.pool.poolId),
    jwksTimeoutMs: 3000,
  });
  return new CognitoUserPoolAuthorizer(cognitoClaimsVerifier(verifier, log));
}

/**
 * Step 5: the API gateway (routes, throttling, authorizer, request validator, integrations as
 * infra deploys them) and /docs. It is the last server to start: once it listens, the process is
 * checked to listen on loopback alone (the identity provider's signing key is public).
 */
export async function startGateway(s: Started): Promise<void> {
  const { options, env } = s;
  // API Gateway sends to the queue with its own role (queueSendPolicy).
  const queueClient = new SQSClient({ region: options.region, endpoint: s.messaging.endpoint, credentials: s.roles.api });
  s.cleanups.push(() => queueClient.destroy());
  const docsAssets = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const routes = routesFromDocument();
  compileModels(routes);
  // The stage's throttling as infra deploys it by default; --throttle-rate and --throttle-burst override it.
  const throttling = { rateLimit: options.throttle?.rate ?? DEFAULT_STAGE_THROTTLING.rateLimit, burstLimit: options.throttle?.burst ?? DEFAULT_STAGE_THROTTLING.burstLimit };
  // The gateway's synchronous calls wait for a free environment (FunctionRuntime.invokeWaiting).
  const waiting = new Map([...s.functions].map(([name, fn]) => [name, { invoke: (event: unknown) => fn.invokeWaiting(event) }]));
  const invokeFromApi = functionInvoker(waiting, options.region, ACCOUNT_ID);
  // The machine's pace, not AWS's: orders wait at the door while the workflow is full (order-admission.ts).
  const admission = new OrderAdmission(() => s.sfn.runningCount(), ORDERS_IN_FLIGHT_PER_UNIT * options.functionConcurrency, ADMISSION_MAX_HOLD_MS, 50, 500, (l) =>
    env.log(`[gateway] ${l}`),
  );
  s.cleanups.push(() => admission.close());
  const api = apiRequestHandler(
      {
        stage: { apiId: API_ID, stage: options.stage, accountId: ACCOUNT_ID, region: options.region, domainName: `${LOOPBACK}:${options.ports.api}` },
        routes,
        authorizer: gatewayAuthorizer(s, invokeFromApi),
        corsAllowOrigin: DEFAULT_CORS_ALLOW_ORIGIN,
        throttle: new StageThrottle(throttling),
        invokeFunction: invokeFromApi,
        queue: {
          integration: placeOrderIntegration(options.authorizer),
          call: async (form, requestId) => {
            await admission.admit();
            return sqsQueryAction(queueClient, s.queues.orderQueueUrl, form, requestId);
          },
        },
        log: options.quiet ? undefined : (l) => env.log(`[gateway] ${redactLine(l)}`),
      },
      async (path, res) => {
        if (path === '/' || path === '') {
          res.writeHead(302, { Location: '/docs' });
          res.end();
          return true;
        }
        return serveDocs(path, res, docsAssets, () => openApiDocument({ title: 'Serverless Orders API (local)', serverUrl: s.apiUrl }));
      },
  );
  const gateway = httpServer(unlessStopping(s, api), env.log);
  const port = await listen(gateway, options.ports.api, 'API gateway', '--port');
  s.cleanups.push(() => close(gateway));
  assertLoopbackOnly();
  s.apiUrl = `http://${LOOPBACK}:${port}/${options.stage}`;
  s.docsUrl = `http://${LOOPBACK}:${port}/docs`;
}

/**
 * While the stack stops, the gateway takes no new request: 503 (as API Gateway answers when what
 * is behind it is unavailable), so no client gets a 202 for an order that no consumer will read.
 */
function unlessStopping(s: Started, handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  return (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!s.stopping) return handler(req, res);
    req.resume();
    res.writeHead(503, { 'Content-Type': 'application/json', Connection: 'close' });
    res.end(JSON.stringify({ message: 'Service Unavailable' }));
    return Promise.resolve();
  };
}
