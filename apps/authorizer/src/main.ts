import { createAuthorizerHandler } from './authorizer';

// Once per cold start: logger, tracer, configuration and the token verifier (its JWKS cache).
/** API Gateway Lambda REQUEST (or TOKEN) authorizer; the scheme is chosen by AUTH_SCHEME. */
export const handler = createAuthorizerHandler();
