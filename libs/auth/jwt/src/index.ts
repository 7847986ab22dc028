// What every JWT-based token scheme shares: an http-capable, bounded JWKS fetcher and the
// mapping of aws-jwt-verify's errors to the port's failure reasons.
export { JwksFetcher } from './jwks-fetcher';
export * from './jwt-failure';
export * from './verify-payload';
