import { randomUUID } from 'node:crypto';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';

const TEST_METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/GET/orders';

/**
 * A REQUEST authorizer event as API Gateway REST builds it; `authorization` undefined → no
 * header. `repeated` sends more header values after it, each [name as spelled, value]: as API
 * Gateway does, `headers` keeps the last value of each name and `multiValueHeaders` all of them.
 */
export function authorizerEvent(
  authorization: string | undefined,
  options: {
    headerName?: string;
    methodArn?: string;
    headers?: Record<string, string>;
    repeated?: ReadonlyArray<readonly [name: string, value: string]>;
  } = {},
): APIGatewayRequestAuthorizerEvent {
  const sent: Array<readonly [string, string]> = Object.entries({ accept: 'application/json', ...options.headers });
  if (authorization !== undefined) sent.push([options.headerName ?? 'Authorization', authorization]);
  sent.push(...(options.repeated ?? []));
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of sent) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const methodArn = options.methodArn ?? TEST_METHOD_ARN;
  return {
    type: 'REQUEST',
    methodArn,
    resource: '/orders',
    path: '/orders',
    httpMethod: 'GET',
    headers,
    multiValueHeaders,
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
