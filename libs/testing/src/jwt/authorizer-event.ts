import { randomUUID } from 'node:crypto';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';

export const TEST_METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/GET/orders';

/** A REQUEST authorizer event as API Gateway REST builds it; `authorization` undefined → no header. */
export function authorizerEvent(
  authorization: string | undefined,
  options: { headerName?: string; methodArn?: string; headers?: Record<string, string> } = {},
): APIGatewayRequestAuthorizerEvent {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (authorization !== undefined) headers[options.headerName ?? 'Authorization'] = authorization;
  const methodArn = options.methodArn ?? TEST_METHOD_ARN;
  return {
    type: 'REQUEST',
    methodArn,
    resource: '/orders',
    path: '/orders',
    httpMethod: 'GET',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      stage: 'dev',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'res',
      resourcePath: '/orders',
      httpMethod: 'GET',
      path: '/dev/orders',
      protocol: 'HTTP/1.1',
      identity: {} as APIGatewayRequestAuthorizerEvent['requestContext']['identity'],
      authorizer: undefined,
    } as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}
