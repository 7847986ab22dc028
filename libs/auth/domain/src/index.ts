export * from './token-verifier.port';
