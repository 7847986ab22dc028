export * from './cognito-token-verifier';
export * from './cognito-settings';
export * from './secret-hash';
export { JwksFetcher } from '@serverless-orders/auth-jwt';
