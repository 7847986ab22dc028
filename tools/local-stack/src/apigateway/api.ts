import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValidationError } from '@serverless-orders/orders-domain';
import { orderMessageBody, parseWith, preflightHeaders } from '@serverless-orders/http-contract';
import type { InvokeResult } from '../lambda/invoke-result';
import { readBody } from '../http/http-util';
import type { Authorization, GatewayAuthorizer } from './authorizers';
import { proxyEvent, type GatewayRequest, type StageInfo } from './events';
import { proxyAnswer, type HttpAnswer } from './proxy-result';
import { matchGatewayResource, matchGatewayRoute, routesFromDocument, type GatewayRoute } from './routes';

export interface ApiDependencies {
  readonly stage: StageInfo;
  /** The route table; default: the shared OpenAPI document's. */
  readonly routes?: readonly GatewayRoute[];
  readonly authorizer: GatewayAuthorizer;
  /** Runs a Lambda proxy integration's function. */
  invokeFunction(name: string, event: unknown): Promise<InvokeResult>;
  /** SendMessage to the order queue; resolves the MessageId. */
  sendOrder(body: string): Promise<string>;
  /**
   * The origin browsers may call the API from (infra's corsAllowOrigin): the gateway's own
   * answers (errors, the CORS preflight) carry it. Default DEFAULT_CORS_ALLOW_ORIGIN.
   */
  readonly corsAllowOrigin?: string;
  log?(line: string): void;
}

/** The local gateway's CORS origin unless told otherwise, as the functions' CORS_ALLOW_ORIGIN default. */
export const DEFAULT_CORS_ALLOW_ORIGIN = '*';

function json(status: number, body: unknown, headers: Record<string, string> = {}, origin = DEFAULT_CORS_ALLOW_ORIGIN): HttpAnswer {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': origin, ...headers },
    body: Buffer.from(JSON.stringify(body)),
  };
}

/** API Gateway's own answers (gateway responses), with CORS headers as infra configures them. */
export function gatewayError(status: number, message: string | null, errorType: string, origin = DEFAULT_CORS_ALLOW_ORIGIN): HttpAnswer {
  return json(status, { message }, { 'x-amzn-ErrorType': errorType }, origin);
}

/**
 * The CORS preflight of a resource, as infra deploys it (a MOCK integration on OPTIONS): 200,
 * no body, the resource's methods, the allowed headers and the origin. No authorizer runs: a
 * browser sends no token with a preflight.
 */
export function preflightAnswer(resource: string, origin = DEFAULT_CORS_ALLOW_ORIGIN): HttpAnswer {
  return { status: 200, headers: { 'Content-Type': 'application/json', ...preflightHeaders(resource, origin) }, body: Buffer.alloc(0) };
}

let documentRoutes: GatewayRoute[] | undefined;
const DOCUMENT_ROUTES = () => (documentRoutes ??= routesFromDocument());

export const MISSING_AUTHENTICATION_TOKEN = (origin = DEFAULT_CORS_ALLOW_ORIGIN) =>
  gatewayError(403, 'Missing Authentication Token', 'MissingAuthenticationTokenException', origin);

/**
 * One API request through the gateway, as API Gateway REST serves it: OPTIONS on any resource
 * is the CORS preflight (200, no authorizer); otherwise the route from the shared
 * OpenAPI document (routes.ts) (unknown → 403 Missing Authentication Token), the authorizer (401/403/500),
 * the request validator on bodies (400), then the integration: a Lambda proxy, or for
 * POST /orders the queue (body plus principal; 202 with the message id as order id).
 */
export async function handleApiRequest(
  input: Omit<GatewayRequest, 'resource' | 'pathParameters'>,
  deps: ApiDependencies,
): Promise<{ answer: HttpAnswer; route?: GatewayRoute }> {
  const routes = deps.routes ?? DOCUMENT_ROUTES();
  const origin = deps.corsAllowOrigin ?? DEFAULT_CORS_ALLOW_ORIGIN;
  if (input.method.toUpperCase() === 'OPTIONS') {
    const resource = matchGatewayResource(routes, input.path);
    return { answer: resource === undefined ? MISSING_AUTHENTICATION_TOKEN(origin) : preflightAnswer(resource, origin) };
  }
  const matched = matchGatewayRoute(routes, input.method, input.path);
  if (!matched) return { answer: MISSING_AUTHENTICATION_TOKEN(origin) };
  const { route, pathParameters } = matched;
  const req: GatewayRequest = { ...input, resource: route.path, pathParameters };

  const auth: Authorization = await deps.authorizer.authorize(req, deps.stage);
  if (!auth.ok) return { route, answer: gatewayError(auth.status, auth.message, auth.errorType, origin) };

  let body: unknown;
  if (route.body) {
    try {
      body = req.body ? JSON.parse(req.body) : undefined;
      parseWith(route.body, body);
    } catch (error) {
      const errors = error instanceof ValidationError ? error.problems : [{ field: 'body', problem: 'is not valid JSON' }];
      return { route, answer: json(400, { message: 'Invalid request body', errors }, { 'x-amzn-ErrorType': 'BadRequestException' }, origin) };
    }
  }

  if (route.integration.kind === 'queue') {
    // As infra's mapping template does: the client's body as it came, and the caller's sub
    // (claims.sub for the Cognito authorizer, principalId for the Lambda authorizer).
    let messageId: string;
    try {
      messageId = await deps.sendOrder(orderMessageBody(body as never, { sub: auth.principal.sub }));
    } catch (error) {
      deps.log?.(`SendMessage failed: ${(error as Error).message}`);
      return { route, answer: json(500, { message: 'the order could not be queued; try again' }, {}, origin) };
    }
    return { route, answer: json(route.successStatus, { order_id: messageId }, {}, origin) };
  }

  const result = await deps.invokeFunction(route.integration.function, proxyEvent(req, deps.stage, auth.authorizer));
  if (!result.ok) deps.log?.(`${route.integration.function} failed: ${result.errorType}: ${result.errorMessage}`);
  return { route, answer: proxyAnswer(result) };
}

/** The HTTP side: stage prefix, request id, raw headers and body in; the answer out. */
export function apiRequestHandler(deps: ApiDependencies, notFound: (path: string, res: ServerResponse) => Promise<boolean>) {
  const prefix = `/${deps.stage.stage}`;
  return async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://local');
    const requestId = randomUUID();
    let answer: HttpAnswer;
    if (url.pathname === prefix || url.pathname.startsWith(`${prefix}/`)) {
      const body = await readBody(req);
      ({ answer } = await handleApiRequest(
        {
          requestId,
          method: (req.method ?? 'GET').toUpperCase(),
          path: url.pathname.slice(prefix.length) || '/',
          rawHeaders: req.rawHeaders,
          query: url.search.replace(/^\?/, ''),
          body: body === '' ? null : body,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          time: new Date(),
        },
        deps,
      ));
    } else {
      if (await notFound(url.pathname, res)) return;
      answer = MISSING_AUTHENTICATION_TOKEN(deps.corsAllowOrigin);
    }
    res.writeHead(answer.status, { ...answer.headers, 'x-amzn-RequestId': requestId, 'Content-Length': answer.body.length });
    res.end(answer.body);
    deps.log?.(`${req.method} ${url.pathname} → ${answer.status} (${Date.now() - started} ms)`);
  };
}
