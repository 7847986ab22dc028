import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';

/** What the gateway knows about one request, before any event is built. */
export interface GatewayRequest {
  readonly requestId: string;
  readonly method: string;
  /** The path without the stage: `/orders/42`. */
  readonly path: string;
  /** The resource (route) template: `/orders/{id}`. */
  readonly resource: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Raw header pairs as received (node's rawHeaders), name case preserved. */
  readonly rawHeaders: readonly string[];
  /** The raw query string, without the `?`. */
  readonly query: string;
  readonly body: string | null;
  readonly sourceIp: string;
  readonly time: Date;
}

export interface StageInfo {
  readonly apiId: string;
  readonly stage: string;
  readonly accountId: string;
  readonly region: string;
  readonly domainName: string;
}

type Single = Record<string, string>;
type Multi = Record<string, string[]>;

/** Headers as API Gateway passes them: the last value wins in `headers`, every value in `multiValueHeaders`. */
export function headerMaps(rawHeaders: readonly string[]): { headers: Single; multiValueHeaders: Multi } {
  const headers: Single = {};
  const multiValueHeaders: Multi = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    const value = rawHeaders[i + 1];
    const existing = Object.keys(multiValueHeaders).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    headers[existing] = value;
    (multiValueHeaders[existing] ??= []).push(value);
  }
  return { headers, multiValueHeaders };
}

/** A header value by name, case-insensitively (the last one sent). */
export function headerValue(rawHeaders: readonly string[], name: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === name.toLowerCase()) found = rawHeaders[i + 1];
  }
  return found;
}

/** The query string as API Gateway passes it: null when there is none. */
export function queryMaps(query: string): { queryStringParameters: Single | null; multiValueQueryStringParameters: Multi | null } {
  const params = new URLSearchParams(query);
  const single: Single = {};
  const multi: Multi = {};
  for (const [key, value] of params) {
    single[key] = value;
    (multi[key] ??= []).push(value);
  }
  const empty = Object.keys(single).length === 0;
  return { queryStringParameters: empty ? null : single, multiValueQueryStringParameters: empty ? null : multi };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** requestContext.requestTime: `27/Nov/2026:02:02:37 +0000`. */
export function requestTime(date: Date): string {
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;
}

export function requestContext(req: GatewayRequest, stage: StageInfo, authorizer: Record<string, unknown> | undefined) {
  const userAgent = headerValue(req.rawHeaders, 'user-agent') ?? null;
  return {
    accountId: stage.accountId,
    apiId: stage.apiId,
    authorizer: authorizer ?? null,
    domainName: stage.domainName,
    domainPrefix: stage.domainName.split('.')[0],
    extendedRequestId: req.requestId,
    httpMethod: req.method,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: req.sourceIp,
      user: null,
      userAgent,
      userArn: null,
    },
    path: `/${stage.stage}${req.path}`,
    protocol: 'HTTP/1.1',
    requestId: req.requestId,
    requestTime: requestTime(req.time),
    requestTimeEpoch: req.time.getTime(),
    resourceId: resourceId(req.resource),
    resourcePath: req.resource,
    stage: stage.stage,
  };
}

/** A stable, API-Gateway-looking resource id per route template. */
export function resourceId(resource: string): string {
  let h = 0;
  for (const c of resource) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(36).padStart(6, '0').slice(-6);
}

/** The Lambda proxy integration event (REST API, payload 1.0). */
export function proxyEvent(req: GatewayRequest, stage: StageInfo, authorizer?: Record<string, unknown>): APIGatewayProxyEvent {
  const pathParameters = Object.keys(req.pathParameters).length ? { ...req.pathParameters } : null;
  return {
    resource: req.resource,
    path: req.path,
    httpMethod: req.method,
    ...headerMaps(req.rawHeaders),
    ...queryMaps(req.query),
    pathParameters,
    stageVariables: null,
    requestContext: requestContext(req, stage, authorizer) as unknown as APIGatewayProxyEvent['requestContext'],
    body: req.body,
    isBase64Encoded: false,
  };
}

/** The REQUEST authorizer's event. */
export function requestAuthorizerEvent(req: GatewayRequest, stage: StageInfo, arn: string): APIGatewayRequestAuthorizerEvent {
  const pathParameters = Object.keys(req.pathParameters).length ? { ...req.pathParameters } : null;
  return {
    type: 'REQUEST',
    methodArn: arn,
    resource: req.resource,
    path: req.path,
    httpMethod: req.method,
    ...headerMaps(req.rawHeaders),
    ...queryMaps(req.query),
    pathParameters,
    stageVariables: null,
    requestContext: requestContext(req, stage, undefined) as unknown as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}
