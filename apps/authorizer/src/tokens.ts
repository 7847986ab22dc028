import type { TokenVerifier } from '@serverless-orders/auth-domain';
import { token, type Observability } from '@serverless-orders/platform-lambda';
import type { RequestAuthorizer } from './request-authorizer';

/** What the authorizer's composition root binds, each token typed with what it resolves to. */
export const AUTHORIZER_TOKENS = {
  TokenVerifier: token<TokenVerifier>('authorizer.TokenVerifier'),
  Observability: token<Observability>('authorizer.Observability'),
  /** The name of the header that carries the token (Authorization unless the scheme says otherwise). */
  TokenHeader: token<string>('authorizer.TokenHeader'),
  RequestAuthorizer: token<RequestAuthorizer>('authorizer.RequestAuthorizer'),
} as const;
