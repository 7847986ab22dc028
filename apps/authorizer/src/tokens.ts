import type { Observability } from '@serverless-orders/platform-lambda';

/** A DI token that carries the type it resolves to. */
export type Token<T> = symbol & { readonly __type?: T };
const token = <T>(name: string): Token<T> => Symbol.for(`serverless-orders.authorizer.${name}`) as Token<T>;

export const AUTHORIZER_TOKENS = {
  Observability: token<Observability>('Observability'),
  /** The name of the header that carries the token (Authorization unless the scheme says otherwise). */
  TokenHeader: token<string>('TokenHeader'),
} as const;
