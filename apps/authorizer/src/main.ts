import { createAuthorizerHandler } from './authorizer';

/** API Gateway Lambda REQUEST (or TOKEN) authorizer; the scheme is chosen by AUTH_SCHEME. */
export const handler = createAuthorizerHandler();
