import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { DomainError, ValidationError } from '@serverless-orders/orders-domain';
import { configFrom } from './config';
import { instrumented, type Observability } from './observability';

// Every answer of a function carries a user's data, or says whether it exists: no cache may keep
// it (Cache-Control: no-store) and no browser may read it as anything but JSON
// (X-Content-Type-Options: nosniff), as OWASP API Security asks. POST /orders, which no function
// answers, sends the same from its integration responses (libs/api-gateway).
// The origin browsers may call the API from (the catalogue's CORS_ALLOW_ORIGIN) is read once per cold start.
const JSON_HEADERS = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Access-Control-Allow-Origin': configFrom().optional('CORS_ALLOW_ORIGIN', '*') as string,
};

export function jsonResponse(statusCode: number, body?: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: JSON_HEADERS,
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

const STATUS_OF: Record<DomainError['kind'], number> = { invalid: 400, 'not-found': 404, conflict: 409 };

/** A domain error → its 4xx; anything else → 500 with a generic body (the details go to the log only). */
export function errorResponse(error: unknown, obs: Observability): APIGatewayProxyResult {
  if (error instanceof ValidationError) {
    obs.logger.info('rejected invalid request', { problems: error.problems });
    return jsonResponse(400, { message: 'Invalid request', errors: error.problems });
  }
  if (error instanceof DomainError) {
    obs.logger.info('request refused', { kind: error.kind, reason: error.message });
    return jsonResponse(STATUS_OF[error.kind], { message: error.message });
  }
  obs.logger.error('unexpected error', error as Error);
  return jsonResponse(500, { message: 'Internal server error' });
}

/**
 * The caller, as the authorizer established it, and nothing else: `claims.sub` from
 * Cognito's user-pool authorizer, or `principalId` from a Lambda authorizer. Never the
 * body, never the path.
 */
export function callerOf(event: Pick<APIGatewayProxyEvent, 'requestContext'>): string | undefined {
  const authorizer = event.requestContext?.authorizer as
    | { claims?: { sub?: unknown }; principalId?: unknown }
    | null
    | undefined;
  const sub = authorizer?.claims?.sub ?? authorizer?.principalId;
  return typeof sub === 'string' && sub.length > 0 ? sub : undefined;
}

/** Parses a JSON request body; invalid JSON or no body is a 400 on `body`. */
export function jsonBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): unknown {
  if (event.body === null || event.body === undefined || event.body === '') {
    throw ValidationError.of('body', 'is required (a JSON object)');
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw ValidationError.of('body', 'is not valid JSON');
  }
}

export type HttpRoute = (event: APIGatewayProxyEvent, caller: string) => Promise<APIGatewayProxyResult>;

/**
 * A Lambda proxy handler: instrumented, 401 without an identity from the authorizer, domain
 * errors mapped to 4xx and anything else to a generic 500.
 */
export function httpHandler(obs: Observability, route: HttpRoute) {
  return (event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult> =>
    instrumented(obs, context, event.requestContext?.requestId, async () => {
      const caller = callerOf(event);
      if (!caller) {
        obs.logger.warn('no identity from the authorizer');
        return jsonResponse(401, { message: 'Unauthorized' });
      }
      try {
        return await route(event, caller);
      } catch (error) {
        return errorResponse(error, obs);
      }
    });
}
