import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { configFrom } from './config';
import { instrumented, type Observability } from './observability';

// Every answer of a function carries a user's data, or says whether it exists: no cache may keep
// it (Cache-Control: no-store) and no browser may read it as anything but JSON
// (X-Content-Type-Options: nosniff), as OWASP API Security asks. POST /orders, which no function
// answers, sends the same from its integration responses (libs/api-gateway).
// The origin browsers may call the API from (the catalogue's CORS_ALLOW_ORIGIN): read at the
// first answer, once per cold start.
let jsonHeaders: Readonly<Record<string, string>> | undefined;
const headers = () =>
  (jsonHeaders ??= {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Access-Control-Allow-Origin': configFrom().optional('CORS_ALLOW_ORIGIN', '*') as string,
  });

export function jsonResponse(statusCode: number, body?: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: headers(),
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/** A 4xx answer: its status and JSON body. */
export interface ErrorAnswer {
  readonly statusCode: number;
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * How an app answers the errors its use cases throw: a 4xx for the ones it knows, undefined for
 * anything else (a 500). The platform knows no domain: each app passes its own (the orders apps:
 * the HTTP contract's domainErrorAnswer).
 */
export type ErrorAnswers = (error: unknown) => ErrorAnswer | undefined;

/** A request the platform itself cannot read (no body, a body that is not JSON): 400 naming the field. */
export class BadRequestError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'BadRequestError';
  }
}

/** A known error → its 4xx; anything else → 500 with a generic body (the details go to the log only). */
export function errorResponse(error: unknown, obs: Observability, answers: ErrorAnswers): APIGatewayProxyResult {
  const answer: ErrorAnswer | undefined =
    error instanceof BadRequestError
      ? { statusCode: 400, body: { message: 'Invalid request', errors: [{ field: error.field, problem: error.problem }] } }
      : answers(error);
  if (answer) {
    obs.logger.info('request refused', { status: answer.statusCode, answer: answer.body });
    return jsonResponse(answer.statusCode, answer.body);
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
    throw new BadRequestError('body', 'is required (a JSON object)');
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError('body', 'is not valid JSON');
  }
}

export type HttpRoute = (event: APIGatewayProxyEvent, caller: string) => Promise<APIGatewayProxyResult>;

/**
 * A Lambda proxy handler: instrumented, 401 without an identity from the authorizer, the errors
 * `answers` knows mapped to their 4xx and anything else to a generic 500. `answers` is required:
 * an app that forgot its own would answer its validation errors with 500s.
 */
export function httpHandler(obs: Observability, route: HttpRoute, answers: ErrorAnswers) {
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
        return errorResponse(error, obs, answers);
      }
    });
}
