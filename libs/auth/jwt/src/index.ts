// What every JWT-based token scheme shares: an http-capable, bounded JWKS fetcher, one
// decomposition of the token, aws-jwt-verify's verifier fed with it, the checks every scheme
// adds, and the mapping of verification errors to the port's failure reasons.
export { JwksFetcher } from './jwks-fetcher';
export * from './jwt-failure';
export * from './verify-payload';
export * from './decompose';
export * from './json-object';
export * from './jwt-scheme-verifier';
