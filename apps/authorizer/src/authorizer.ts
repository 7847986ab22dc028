import type { Context } from 'aws-lambda';
import type { AuthorizerAllowResult } from '@serverless-orders/auth-domain';
import { createObservability, resolve, type Observability } from '@serverless-orders/platform-lambda';
import { createContainer } from './container';
import type { AuthorizerEvent } from './request-authorizer';
import { AUTHORIZER_TOKENS } from './tokens';

export type AuthorizerHandler = (event: AuthorizerEvent, context?: Context) => Promise<AuthorizerAllowResult>;

/** Builds the handler once (a cold start): logger, tracer, configuration, verifier. */
export function createAuthorizerHandler(
  env: NodeJS.ProcessEnv = process.env,
  obs: Observability = createObservability('authorizer'),
): AuthorizerHandler {
  const authorizer = resolve(createContainer(obs, env), AUTHORIZER_TOKENS.RequestAuthorizer);
  return (event, context) => authorizer.handle(event, context);
}
