export * from './cognito-token-verifier';
export * from './cognito-settings';
export { JwksFetcher } from './jwks-fetcher';
