export * from './shared-secret-verifier';
export * from './shared-secret-settings';
