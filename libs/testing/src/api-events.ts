import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface ApiEventInput {
  method: string;
  /** The concrete path, e.g. /orders/abc. */
  path: string;
  /** The OpenAPI resource, e.g. /orders/{id}. */
  resource?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** The caller as a Cognito user-pool authorizer reports it (claims.sub), or a Lambda authorizer (principalId). */
  caller?: { sub: string; via?: 'cognito' | 'lambda' };
}

/** A Lambda proxy event shaped as API Gateway REST builds it. */
export function apiEvent(input: ApiEventInput): APIGatewayProxyEvent {
  const authorizer = !input.caller
    ? null
    : input.caller.via === 'lambda'
      ? { principalId: input.caller.sub, sub: input.caller.sub, integrationLatency: 1 }
      : { claims: { sub: input.caller.sub, token_use: 'id' } };
  return {
    resource: input.resource ?? input.path,
    path: input.path,
    httpMethod: input.method,
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: input.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: input.pathParameters ?? null,
    stageVariables: null,
    body: input.body === undefined ? null : typeof input.body === 'string' ? input.body : JSON.stringify(input.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      authorizer,
      protocol: 'HTTP/1.1',
      httpMethod: input.method,
      identity: {} as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/dev${input.path}`,
      stage: 'dev',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: input.resource ?? input.path,
    },
  };
}
