import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  gatewayAnswer,
  PAYLOAD_TOO_LARGE,
  renderTemplate,
  responseHeaders,
  type GatewayResponseType,
  type IntegrationResponse,
  type placeOrderIntegration,
  type TemplateVariables,
} from '@serverless-orders/api-gateway';
import { preflightHeaders } from '@serverless-orders/http-contract';
import type { InvokeResult } from '@serverless-orders/local-aws';
import type { Authorization, GatewayAuthorizer } from './authorizers';
import { headerMaps, headerValue, proxyEvent, queryMaps, requestContext, type GatewayRequest, type StageInfo } from './events';
import type { ServiceAnswer } from './sqs-query-protocol';
import { proxyAnswer, type HttpAnswer } from './proxy-result';
import { declaresTooLarge, PayloadTooLargeError, readBoundedBody } from './request-body';
import { compileModels, validateBody } from './request-validator';
import { matchGatewayResource, matchGatewayRoute, routesFromDocument, type GatewayRoute } from './routes';
import type { StageThrottle } from './throttle';

export interface ApiDependencies {
  readonly stage: StageInfo;
  /** The route table; default: the shared OpenAPI document's. */
  readonly routes?: readonly GatewayRoute[];
  readonly authorizer: GatewayAuthorizer;
  /** Runs a Lambda proxy integration's function. */
  invokeFunction(name: string, event: unknown): Promise<InvokeResult>;
  /**
   * POST /orders' direct SQS integration, as infra deploys it: its templates and integration
   * responses, and the call of the local SQS with what the request template rendered.
   */
  readonly queue: {
    readonly integration: Pick<ReturnType<typeof placeOrderIntegration>, 'requestTemplates' | 'passthroughBehavior' | 'responses'>;
    call(form: string, requestId: string): Promise<ServiceAnswer>;
  };
  /**
   * The origin browsers may call the API from (infra's corsAllowOrigin): the gateway's own
   * answers (errors, the CORS preflight) carry it. Default DEFAULT_CORS_ALLOW_ORIGIN.
   */
  readonly corsAllowOrigin?: string;
  /** The stage's throttling (a token bucket per method); none: nothing is throttled. */
  readonly throttle?: StageThrottle;
  log?(line: string): void;
}

/** The local gateway's CORS origin unless told otherwise, as the functions' CORS_ALLOW_ORIGIN default. */
export const DEFAULT_CORS_ALLOW_ORIGIN = '*';


/** API Gateway's own answers: the gateway response infra configures for the type (libs/api-gateway), with its CORS headers. */
export function gatewayResponse(type: GatewayResponseType, origin = DEFAULT_CORS_ALLOW_ORIGIN): HttpAnswer {
  const { status, errorType, body } = gatewayAnswer(type);
  return { status, headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': origin, 'x-amzn-ErrorType': errorType }, body: Buffer.from(body) };
}

/**
 * The CORS preflight of a resource, as infra deploys it (a MOCK integration on OPTIONS): 200,
 * no body, the resource's methods, the allowed headers and the origin. No authorizer runs: a
 * browser sends no token with a preflight.
 */
export function preflightAnswer(resource: string, origin = DEFAULT_CORS_ALLOW_ORIGIN): HttpAnswer {
  return { status: 200, headers: { 'Content-Type': 'application/json', ...preflightHeaders(resource, origin) }, body: Buffer.alloc(0) };
}

/** What API Gateway answers a request over its payload limit: 413, plain text, no CORS header (no gateway response applies). */
export function payloadTooLarge(): HttpAnswer {
  return { status: PAYLOAD_TOO_LARGE.status, headers: { 'Content-Type': PAYLOAD_TOO_LARGE.contentType }, body: Buffer.from(PAYLOAD_TOO_LARGE.body) };
}

let documentRoutes: GatewayRoute[] | undefined;
const DOCUMENT_ROUTES = () => {
  if (!documentRoutes) {
    documentRoutes = routesFromDocument();
    compileModels(documentRoutes);
  }
  return documentRoutes;
};

/**
 * A request's body as the gateway gets it: already read (tests), or read when the gateway asks,
 * after the authorizer, rejecting with PayloadTooLargeError past the limit.
 */
export type BodySource = string | null | (() => Promise<string | null>);

export const MISSING_AUTHENTICATION_TOKEN = (origin = DEFAULT_CORS_ALLOW_ORIGIN) => gatewayResponse('MISSING_AUTHENTICATION_TOKEN', origin);

/**
 * One API request through the gateway, as API Gateway REST serves it: OPTIONS on any resource
 * is the CORS preflight (200, no authorizer); otherwise the route from the shared OpenAPI
 * document (routes.ts) (unknown → 403 Missing Authentication Token), the stage's throttling
 * (429), the authorizer (401/403/500), and only then the body, read up to the payload limit
 * (413), checked by the request validator against the method's model (400), and the
 * integration: a Lambda proxy, or for POST /orders the queue (body plus principal; 202 with the
 * order id). The authorizer never waits for the body: an unauthenticated request is refused
 * without it being read.
 */
export async function handleApiRequest(
  input: Omit<GatewayRequest, 'resource' | 'pathParameters' | 'body'> & { readonly body: BodySource },
  deps: ApiDependencies,
): Promise<{ answer: HttpAnswer; route?: GatewayRoute }> {
  const routes = deps.routes ?? DOCUMENT_ROUTES();
  const origin = deps.corsAllowOrigin ?? DEFAULT_CORS_ALLOW_ORIGIN;
  if (input.method.toUpperCase() === 'OPTIONS') {
    const resource = matchGatewayResource(routes, input.path);
    if (resource === undefined) return { answer: MISSING_AUTHENTICATION_TOKEN(origin) };
    if (deps.throttle && !deps.throttle.take('OPTIONS', resource)) return { answer: gatewayResponse('THROTTLED', origin) };
    return { answer: preflightAnswer(resource, origin) };
  }
  const matched = matchGatewayRoute(routes, input.method, input.path);
  if (!matched) return { answer: MISSING_AUTHENTICATION_TOKEN(origin) };
  const { route, pathParameters } = matched;
  if (deps.throttle && !deps.throttle.take(route.method, route.path)) return { route, answer: gatewayResponse('THROTTLED', origin) };

  // The authorizer sees the request's method, path, headers and query, never its body.
  const { body: source, ...head } = input;
  const unread: GatewayRequest = { ...head, resource: route.path, pathParameters, body: null };
  const auth: Authorization = await deps.authorizer.authorize(unread, deps.stage);
  if (!auth.ok) return { route, answer: gatewayResponse(auth.responseType, origin) };

  let body: string | null;
  try {
    body = typeof source === 'function' ? await source() : source;
  } catch (error) {
    if (error instanceof PayloadTooLargeError) return { route, answer: payloadTooLarge() };
    throw error;
  }
  const req: GatewayRequest = { ...unread, body };

  // API Gateway validates a body against its method's model when the body is JSON (the model's content type).
  if (mediaType(req.rawHeaders) === 'application/json') {
    const validation = validateBody(route, req.body);
    if (!validation.ok) {
      // The client gets infra's BAD_REQUEST_BODY answer, the log the validator's details.
      deps.log?.(`request validator: ${validation.problems}`);
      return { route, answer: gatewayResponse('BAD_REQUEST_BODY', origin) };
    }
  }

  if (route.integration.kind === 'queue') return { route, answer: await serviceIntegration(req, deps, auth, origin) };

  const result = await deps.invokeFunction(route.integration.function, proxyEvent(req, deps.stage, auth.authorizer));
  if (!result.ok) deps.log?.(`${route.integration.function} failed: ${result.errorType}: ${result.errorMessage}`);
  return { route, answer: proxyAnswer(result) };
}

/** The media type a request's Content-Type names (API Gateway assumes application/json when there is none). */
export function mediaType(rawHeaders: readonly string[]): string {
  return (headerValue(rawHeaders, 'content-type') ?? 'application/json').split(';')[0].trim().toLowerCase();
}

/** The integration response for an AWS service's status: the first whose selection pattern (its key) matches it whole, else the default. */
export function selectIntegrationResponse(responses: Readonly<Record<string, IntegrationResponse>>, status: number): IntegrationResponse {
  const matching = Object.entries(responses).find(([pattern]) => pattern !== 'default' && new RegExp(`^(?:${pattern})$`).test(String(status)));
  return matching?.[1] ?? responses.default;
}

/**
 * An AWS service integration, as API Gateway runs it: the request template for the request's
 * content type (none, with passthroughBehavior never: 415), rendered with $input, $context and
 * $util; the service called with what it rendered; the integration response its status selects,
 * its template rendered over the service's answer.
 */
async function serviceIntegration(req: GatewayRequest, deps: ApiDependencies, auth: Extract<Authorization, { ok: true }>, origin: string): Promise<HttpAnswer> {
  const { integration, call } = deps.queue;
  const template = (integration.requestTemplates as Record<string, string>)[mediaType(req.rawHeaders)];
  if (template === undefined && integration.passthroughBehavior === 'never') {
    return gatewayResponse('UNSUPPORTED_MEDIA_TYPE', origin);
  }
  const context = requestContext(req, deps.stage, auth.authorizer);
  const variables = (body: string): TemplateVariables => ({
    input: {
      body,
      params: { path: { ...req.pathParameters }, querystring: queryMaps(req.query).queryStringParameters ?? {}, header: headerMaps(req.rawHeaders).headers },
    },
    context,
  });
  let service: ServiceAnswer;
  try {
    service = await call(renderTemplate(template ?? '', variables(req.body ?? '')), req.requestId);
  } catch (error) {
    deps.log?.(`the integration request failed: ${(error as Error).message}`);
    return gatewayResponse('INTEGRATION_FAILURE', origin);
  }
  if (service.status >= 300) deps.log?.(`SQS answered ${service.status}: ${service.body}`);
  const response = selectIntegrationResponse(integration.responses, service.status);
  const rendered = renderTemplate(response.responseTemplates['application/json'], variables(service.body));
  // The headers the integration response sets (no-store, nosniff), and the CORS origin infra adds to each.
  const headers = { 'Content-Type': 'application/json', ...responseHeaders(response.responseParameters), 'Access-Control-Allow-Origin': origin };
  return { status: Number(response.statusCode), headers, body: Buffer.from(rendered) };
}

/** The order id a 202 of POST /orders names, for the log line; undefined for any other answer. */
function placedOrderId(route: GatewayRoute | undefined, answer: HttpAnswer): string | undefined {
  if (route?.integration.kind !== 'queue' || answer.status !== 202) return undefined;
  try {
    const id = (JSON.parse(answer.body.toString('utf8')) as { order_id?: unknown }).order_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The HTTP side: the payload limit first (a declared Content-Length over it is refused before
 * anything else, its body never read), the stage prefix, the request id, raw headers, and the
 * body handed over unread, for handleApiRequest to read after the authorizer. An answer sent
 * while the body is still unread closes the connection, so that it is not read after all.
 */
export function apiRequestHandler(deps: ApiDependencies, notFound: (path: string, res: ServerResponse) => Promise<boolean>) {
  const prefix = `/${deps.stage.stage}`;
  return async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://local');
    const requestId = randomUUID();
    let answer: HttpAnswer;
    let route: GatewayRoute | undefined;
    let requestIdHeader = true;
    if (declaresTooLarge(req)) {
      // Refused at API Gateway's front door: no request id, no route.
      answer = payloadTooLarge();
      requestIdHeader = false;
    } else if (url.pathname === prefix || url.pathname.startsWith(`${prefix}/`)) {
      ({ answer, route } = await handleApiRequest(
        {
          requestId,
          method: (req.method ?? 'GET').toUpperCase(),
          path: url.pathname.slice(prefix.length) || '/',
          rawHeaders: req.rawHeaders,
          query: url.search.replace(/^\?/, ''),
          body: async () => {
            const body = await readBoundedBody(req);
            return body === '' ? null : body;
          },
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          time: new Date(),
        },
        deps,
      ));
    } else {
      if (await notFound(url.pathname, res)) return;
      answer = MISSING_AUTHENTICATION_TOKEN(deps.corsAllowOrigin);
    }
    res.writeHead(answer.status, {
      ...answer.headers,
      ...(requestIdHeader ? { 'x-amzn-RequestId': requestId } : {}),
      ...(req.complete ? {} : { Connection: 'close' }),
      'Content-Length': answer.body.length,
    });
    res.end(answer.body);
    const order = placedOrderId(route, answer);
    deps.log?.(`${req.method} ${url.pathname} → ${answer.status}${order ? ` order ${order}` : ''} (${Date.now() - started} ms)`);
  };
}
