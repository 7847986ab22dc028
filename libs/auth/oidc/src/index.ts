export * from './oidc-token-verifier';
export * from './oidc-settings';
