export * from './token-verifier.port';
export * from './bearer-token';
export * from './authorizer-policy';
export * from './jwt-claims';
export * from './authorizer-settings';
export * from './compact-jws';
export * from './token-times';
