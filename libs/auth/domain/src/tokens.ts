import type { TokenVerifier } from './token-verifier.port';

/** Typed DI tokens of the auth domain. */
export const AUTH_TOKENS = {
  TokenVerifier: Symbol.for('serverless-orders.auth.TokenVerifier') as symbol & { readonly __type?: TokenVerifier },
} as const;
