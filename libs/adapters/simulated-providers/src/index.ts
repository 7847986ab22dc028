export * from './random';
export * from './simulated-providers';
