export * from './cognito-token-verifier';
export * from './cognito-settings';
export { JwksFetcher } from '@serverless-orders/auth-jwt';
