import type { Context } from 'aws-lambda';
import type { AuthorizerAllowResult } from '@serverless-orders/auth-domain';
import { createObservability, type Observability } from '@serverless-orders/platform-lambda';
import { createContainer } from './container';
import { RequestAuthorizer, type AuthorizerEvent } from './request-authorizer';

export type AuthorizerHandler = (event: AuthorizerEvent, context?: Context) => Promise<AuthorizerAllowResult>;

/** Builds the handler once (a cold start): logger, tracer, configuration, verifier. */
export function createAuthorizerHandler(
  env: NodeJS.ProcessEnv = process.env,
  obs: Observability = createObservability('authorizer'),
): AuthorizerHandler {
  const authorizer = createContainer(obs, env).get(RequestAuthorizer);
  return (event, context) => authorizer.handle(event, context);
}
