import * as z from 'zod/mini';
import type { FunctionName } from '@serverless-orders/function-catalogue';
import {
  ErrorSchema,
  LegacyUpdateOrderBody,
  ListOrdersQuery,
  OrderId,
  OrderPageSchema,
  OrderSchema,
  PlaceOrderBody,
  PlacedOrderSchema,
  UpdateOrderBody,
  UserIdParameter,
  LIMIT_PARAMETER,
} from './request.schemas';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN } from './order-identity';

/**
 * How API Gateway (or the local gateway) serves an operation: a Lambda proxy integration
 * to a function of the catalogue, or the direct SQS SendMessage integration of POST /orders.
 */
export type Integration = { readonly kind: 'lambda'; readonly function: FunctionName } | { readonly kind: 'queue'; readonly queue: 'orders' };

export const INTEGRATION_EXTENSION = 'x-orders-integration';
/** The one security scheme every operation requires; infra and the local gateway bind it to the chosen authorizer. */
export const AUTHORIZER_SCHEME = 'ordersAuthorizer';

/** The document's groups: the API itself, and the aliases kept for older clients. */
const TAGS = [
  { name: 'orders', description: 'Place, list, change and cancel my orders' },
  { name: 'compatibility', description: 'Aliases of the orders operations kept for older clients (see the README, "Compatibility")' },
] as const;

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly tag: (typeof TAGS)[number]['name'];
  /** OpenAPI path, with {params}. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly integration: Integration;
  readonly body?: z.core.$ZodType;
  readonly query?: z.ZodMiniObject;
  readonly success: { readonly status: number; readonly schema?: z.core.$ZodType; readonly description: string };
}

const lambda = (fn: FunctionName): Integration => ({ kind: 'lambda', function: fn });

/** Every route of the API. PUT /orders and DELETE /order/{userId}/id/{id} are compatibility aliases. */
export const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    tag: 'orders',
    path: '/orders',
    operationId: 'placeOrder',
    summary: 'Place an order. It is queued and processed asynchronously; the answer carries its id.',
    integration: { kind: 'queue', queue: 'orders' },
    body: PlaceOrderBody,
    success: { status: 202, schema: PlacedOrderSchema, description: 'Accepted: the order is queued' },
  },
  {
    method: 'GET',
    tag: 'orders',
    path: '/orders',
    operationId: 'listOrders',
    summary: 'List my orders, newest first.',
    integration: lambda('get-orders'),
    query: ListOrdersQuery,
    success: { status: 200, schema: OrderPageSchema, description: 'A page of my orders' },
  },
  {
    method: 'GET',
    tag: 'orders',
    path: '/orders/{id}',
    operationId: 'getOrder',
    summary: 'Get one of my orders.',
    integration: lambda('get-orders'),
    success: { status: 200, schema: OrderSchema, description: 'The order' },
  },
  {
    method: 'PUT',
    tag: 'orders',
    path: '/orders/{id}',
    operationId: 'updateOrder',
    summary: 'Change quantity, restaurant or item of a PENDING order.',
    integration: lambda('update-order'),
    body: UpdateOrderBody,
    success: { status: 200, schema: OrderSchema, description: 'The changed order' },
  },
  {
    method: 'PUT',
    tag: 'compatibility',
    path: '/orders',
    operationId: 'updateOrderLegacy',
    summary: 'Change a PENDING order, the id in the body (an alias of PUT /orders/{id}).',
    integration: lambda('update-order'),
    body: LegacyUpdateOrderBody,
    success: { status: 200, schema: OrderSchema, description: 'The changed order' },
  },
  {
    method: 'DELETE',
    tag: 'orders',
    path: '/orders/{id}',
    operationId: 'deleteOrder',
    summary: 'Cancel (delete) one of my orders.',
    integration: lambda('delete-order'),
    success: { status: 204, description: 'Deleted' },
  },
  {
    method: 'DELETE',
    tag: 'compatibility',
    path: '/order/{userId}/id/{id}',
    operationId: 'deleteOrderLegacy',
    summary: 'Cancel one of my orders (an alias of DELETE /orders/{id}); {userId} must be the caller.',
    integration: lambda('delete-order'),
    success: { status: 204, description: 'Deleted' },
  },
];

const jsonSchema = (schema: z.core.$ZodType) => z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });

/** An error answer, with an example of its real body. */
const errorResponse = (description: string, example: Record<string, unknown>) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example } },
});

const EXAMPLE_ID = '3f1c2a4e-9b7d-4c1e-8a2f-5d6e7f809a1b';

/** The request headers an operation reads: POST /orders takes an Idempotency-Key. */
function headerParameters(route: Route) {
  if (!(route.method === 'POST' && route.path === '/orders')) return [];
  return [
    {
      name: IDEMPOTENCY_KEY_HEADER,
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: the same caller sending the same key within 24 hours gets the same order_id and one order. ' +
        'Without it every POST is a new order. A malformed key is a 400 naming the header.',
      schema: { type: 'string', minLength: 1, maxLength: 64, pattern: IDEMPOTENCY_KEY_PATTERN },
      example: 'checkout-7c9e6679',
    },
  ];
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: name === 'id' ? jsonSchema(OrderId) : name === 'userId' ? jsonSchema(UserIdParameter) : { type: 'string' },
  }));
}

/** How a query parameter is documented when its text stands for another type (`limit`: a whole number). */
const QUERY_DOCS: Record<string, Record<string, unknown>> = { limit: LIMIT_PARAMETER };

function queryParameters(query?: z.ZodMiniObject) {
  if (!query) return [];
  return Object.entries(query.shape).map(([name, schema]) => ({
    name,
    in: 'query',
    required: !z.safeParse(schema as z.core.$ZodType, undefined).success,
    schema: QUERY_DOCS[name] ?? jsonSchema(schema as z.core.$ZodType),
  }));
}

/** The OpenAPI 3.0 document of the whole API: the single source for API Gateway and the local gateway. */
export function openApiDocument(options: { title?: string; version?: string; serverUrl?: string } = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const parameters = [...pathParameters(route.path), ...queryParameters(route.query), ...headerParameters(route)];
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      security: [{ [AUTHORIZER_SCHEME]: [] }],
      ...(parameters.length ? { parameters } : {}),
      ...(route.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } }
        : {}),
      responses: {
        [route.success.status]: {
          description: route.success.description,
          ...(route.success.schema ? { content: { 'application/json': { schema: jsonSchema(route.success.schema) } } } : {}),
        },
        400: errorResponse('The request is invalid; the body names each field at fault', {
          message: 'Invalid request',
          errors: [{ field: 'quantity', problem: 'must be a whole number from 1 to 100' }],
        }),
        401: errorResponse('No token, or an invalid one', { message: 'Unauthorized' }),
        403: errorResponse('The authorizer denied the request', { message: 'User is not authorized to access this resource' }),
        ...(route.integration.kind === 'lambda' && route.path.includes('{id}')
          ? { 404: errorResponse('No such order of mine (another user’s order answers the same)', { message: `order ${EXAMPLE_ID} not found` }) }
          : {}),
        ...(route.method === 'PUT' ? { 409: errorResponse('The order is no longer PENDING', { message: `order ${EXAMPLE_ID} is PAID; only a PENDING order can change` }) } : {}),
        ...(route.integration.kind === 'queue' ? { 415: errorResponse('The body is not application/json', { message: 'Unsupported Media Type' }) } : {}),
        429: errorResponse('Too many requests: the stage’s throttling refused this one; retry with backoff', { message: 'Too Many Requests' }),
      },
      [INTEGRATION_EXTENSION]: route.integration,
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: options.title ?? 'Serverless Orders API',
      version: options.version ?? '1.0.0',
      description: 'Place, list, change and cancel food orders. Every operation needs a token in the Authorization header.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: TAGS.map((t) => ({ ...t })),
    paths,
    components: {
      schemas: { Error: jsonSchema(ErrorSchema), Order: jsonSchema(OrderSchema) },
      securitySchemes: {
        [AUTHORIZER_SCHEME]: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          description: 'A Cognito ID token (or "Bearer <token>"), or the custom authorizer’s token',
        },
      },
    },
  };
}

/**
 * CORS, defined once for API Gateway (OPTIONS preflight mock integrations and gateway
 * responses), the functions' own answers and the local gateway. A browser sends the token
 * in Authorization, so every path needs a preflight answer; preflight carries no token, so
 * OPTIONS is the one method with no authorizer.
 */
export const CORS_ALLOW_HEADERS = ['Authorization', 'Content-Type'] as const;
export const CORS_MAX_AGE_SECONDS = 600;

/** The methods a path answers, as a preflight's Access-Control-Allow-Methods lists them. */
export function allowedMethods(path: string): string[] {
  return [...ROUTES.filter((r) => r.path === path).map((r) => r.method), 'OPTIONS'];
}

/** The headers of a preflight answer for `path`. */
export function preflightHeaders(path: string, origin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': allowedMethods(path).join(','),
    'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS.join(','),
    'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
  };
}
