import { GATEWAY_RESPONSES, placeOrderIntegration, responseHeaders, staticValue, type GatewayResponse } from '@serverless-orders/api-gateway';
import { type FunctionName } from '@serverless-orders/function-catalogue';
import { AUTHORIZER_SCHEME, CORS_ALLOW_HEADERS, INTEGRATION_EXTENSION, openApiDocument, preflightHeaders, type Integration } from '@serverless-orders/http-contract';
import { parseArn } from './iam';

/**
 * The API Gateway definition: the shared OpenAPI document, with API Gateway's extensions added
 * here, in infra, where the ARNs are known. A pure function of resolved values, so that tests
 * read exactly what API Gateway imports.
 */

export type ApiAuthorizer =
  | { readonly mode: 'cognito'; readonly userPoolArn: string }
  | {
      readonly mode: 'lambda';
      /** The authorizer function's invoke ARN (arn:…:apigateway:…:lambda:path/…/invocations). */
      readonly invokeArn: string;
      readonly ttlSeconds: number;
      /** The header the token (or secret) travels in: the identity source. */
      readonly identityHeader: string;
    };

export interface ApiBindings {
  /** Invoke ARN of every function a route names. */
  readonly functionInvokeArns: Readonly<Partial<Record<FunctionName, string>>>;
  readonly queueArn: string;
  /** The role API Gateway assumes to call SQS SendMessage. */
  readonly queueRoleArn: string;
  readonly authorizer: ApiAuthorizer;
  readonly corsAllowOrigin: string;
  readonly title: string;
}

const REQUEST_VALIDATOR = 'body-and-parameters';

type Operation = Record<string, unknown> & { security?: unknown; responses: Record<string, unknown> };

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** `arn:aws:apigateway:<region>:sqs:path/<account>/<queue name>`, from the queue's ARN. */
export function sqsIntegrationUri(queueArn: string): string {
  const { partition, region, account, resource } = parseArn(queueArn);
  return `arn:${partition}:apigateway:${region}:sqs:path/${account}/${resource}`;
}

/** A static header value, as API Gateway's parameter mappings want it: single-quoted. */
const quoted = staticValue;

/** CORS headers on the errors API Gateway answers itself. */
function corsHeaders(origin: string) {
  return {
    'gatewayresponse.header.Access-Control-Allow-Origin': quoted(origin),
    'gatewayresponse.header.Access-Control-Allow-Headers': quoted(CORS_ALLOW_HEADERS.join(',')),
  };
}

/**
 * The CORS preflight of a path: OPTIONS answered by API Gateway itself (a MOCK integration),
 * with the path's methods, the allowed headers and the stack's origin. A browser sends no
 * token with a preflight, so this is the one operation with no security and no validator.
 */
function preflightOperation(path: string, origin: string, parameters: unknown[]): Operation {
  const headers = preflightHeaders(path, origin);
  return {
    operationId: `preflight${operationSuffix(path)}`,
    summary: `CORS preflight of ${path}: answered by API Gateway, without a token.`,
    security: [],
    ...(parameters.length ? { parameters } : {}),
    responses: {
      '200': {
        description: 'The CORS preflight answer',
        headers: Object.fromEntries(Object.keys(headers).map((name) => [name, { schema: { type: 'string' } }])),
      },
    },
    'x-amazon-apigateway-integration': {
      type: 'mock',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      passthroughBehavior: 'when_no_match',
      responses: {
        default: {
          statusCode: '200',
          responseParameters: Object.fromEntries(
            Object.entries(headers).map(([name, value]) => [`method.response.header.${name}`, quoted(value)]),
          ),
        },
      },
    },
  };
}

/** `/order/{userId}/id/{id}` → `OrderUserIdIdId`: a readable, unique operationId suffix. */
function operationSuffix(path: string): string {
  return path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

function integrationFor(integration: Integration, bindings: ApiBindings) {
  if (integration.kind === 'lambda') {
    const uri = bindings.functionInvokeArns[integration.function];
    if (!uri) throw new Error(`no function ${integration.function} for a route of the API`);
    // Lambda proxy: the function gets the whole request and the authorizer's context.
    return { type: 'aws_proxy', httpMethod: 'POST', uri, passthroughBehavior: 'when_no_match' };
  }
  // The templates and integration responses (their headers included) are API Gateway's language,
  // defined once with the local gateway that renders them (libs/api-gateway); the queue, the
  // role and CORS are infra's.
  const { responses, ...integrationOfQueue } = placeOrderIntegration(bindings.authorizer.mode);
  const cors = { 'method.response.header.Access-Control-Allow-Origin': quoted(bindings.corsAllowOrigin) };
  return {
    ...integrationOfQueue,
    uri: sqsIntegrationUri(bindings.queueArn),
    credentials: bindings.queueRoleArn,
    responses: Object.fromEntries(
      Object.entries(responses).map(([pattern, response]) => [pattern, { ...response, responseParameters: { ...response.responseParameters, ...cors } }]),
    ),
  };
}

function authorizerScheme(authorizer: ApiAuthorizer) {
  if (authorizer.mode === 'cognito') {
    return {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [authorizer.userPoolArn] },
    };
  }
  return {
    type: 'apiKey',
    name: authorizer.identityHeader,
    in: 'header',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': {
      type: 'request',
      identitySource: `method.request.header.${authorizer.identityHeader}`,
      authorizerUri: authorizer.invokeArn,
      authorizerResultTtlInSeconds: authorizer.ttlSeconds,
    },
  };
}

/**
 * The answers API Gateway gives itself (refused tokens, invalid requests, unknown routes, …):
 * the shared definitions (`GATEWAY_RESPONSES`: status codes, bodies in the API's error shape
 * that stay JSON whatever API Gateway substitutes), each with the CORS headers, so that a
 * browser reads a 401 or a 400 as such rather than as a CORS failure.
 */
function gatewayResponses(origin: string): Record<keyof typeof GATEWAY_RESPONSES, GatewayResponseExtension> {
  const responseParameters: Record<string, string> = corsHeaders(origin);
  const extension = (response: GatewayResponse): GatewayResponseExtension => ({
    ...(response.statusCode ? { statusCode: response.statusCode } : {}),
    responseParameters,
    responseTemplates: { 'application/json': response.template },
  });
  return Object.fromEntries(Object.entries(GATEWAY_RESPONSES).map(([type, response]) => [type, extension(response)])) as Record<
    keyof typeof GATEWAY_RESPONSES,
    GatewayResponseExtension
  >;
}

/** x-amazon-apigateway-gateway-responses.<type> */
interface GatewayResponseExtension {
  readonly statusCode?: string;
  readonly responseParameters: Record<string, string>;
  readonly responseTemplates: Record<string, string>;
}

/**
 * The document API Gateway imports: every operation of the shared document integrated,
 * authorized and validated, and on every path an OPTIONS preflight that needs no token.
 * There is no document-wide `security` and no document-wide validator, so neither reaches
 * OPTIONS.
 */
export function apiGatewayDocument(bindings: ApiBindings) {
  const source = openApiDocument({ title: bindings.title });
  const paths: Record<string, Record<string, Operation>> = {};

  for (const [path, item] of Object.entries(source.paths)) {
    paths[path] = {};
    const pathParameters = new Map<string, unknown>();
    for (const [method, value] of Object.entries(item)) {
      if (!(HTTP_METHODS as readonly string[]).includes(method)) continue;
      // OPTIONS is the preflight, answered below; the shared document must leave it to infra.
      if (method === 'options') throw new Error(`OPTIONS ${path} is the CORS preflight: the shared document must not define it`);
      const { [INTEGRATION_EXTENSION]: integration, ...operation } = value as Operation & { [INTEGRATION_EXTENSION]?: Integration };
      if (!integration) throw new Error(`${method.toUpperCase()} ${path} names no integration`);
      // None is open: every operation requires the one scheme that is bound to the authorizer.
      const security = [{ [AUTHORIZER_SCHEME]: [] }];
      const responses = { ...operation.responses };
      const extension = integrationFor(integration, bindings);
      if ('responses' in extension) {
        responses['500'] = {
          description: 'The order could not be queued',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
        // Each status the integration answers declares the headers its integration response sets.
        for (const response of Object.values(extension.responses)) {
          responses[response.statusCode] = {
            ...(responses[response.statusCode] as object),
            headers: Object.fromEntries(Object.keys(responseHeaders(response.responseParameters)).map((name) => [name, { schema: { type: 'string' } }])),
          };
        }
      }
      for (const parameter of (operation['parameters'] ?? []) as { name: string; in: string }[]) {
        if (parameter.in === 'path') pathParameters.set(parameter.name, parameter);
      }
      paths[path][method] = {
        ...operation,
        security,
        responses,
        // Per operation, not as the document's default: the preflight must not be validated.
        'x-amazon-apigateway-request-validator': REQUEST_VALIDATOR,
        'x-amazon-apigateway-integration': extension,
      };
    }
    paths[path]['options'] = preflightOperation(path, bindings.corsAllowOrigin, [...pathParameters.values()]);
  }

  return {
    ...source,
    paths,
    components: {
      ...source.components,
      securitySchemes: { [AUTHORIZER_SCHEME]: authorizerScheme(bindings.authorizer) },
    },
    // No document-wide validator: each operation but OPTIONS names this one.
    'x-amazon-apigateway-request-validators': {
      [REQUEST_VALIDATOR]: { validateRequestBody: true, validateRequestParameters: true },
    },
    'x-amazon-apigateway-gateway-responses': gatewayResponses(bindings.corsAllowOrigin),
  };
}

export type ApiGatewayDocument = ReturnType<typeof apiGatewayDocument>;

/**
 * The execute-api source ARN pattern of a route, for the Lambda permission of its function:
 * `<api execution ARN>/<stage>/<METHOD>/<path with * for each parameter>`.
 */
export function routeSourceArn(executionArn: string, stage: string, method: string, path: string): string {
  return `${executionArn}/${stage}/${method.toUpperCase()}${path.replace(/\{[^}]+\}/g, '*')}`;
}
