export * from './config';
export * from './http';
export * from './observability';
export * from './error-classification';
export * from './retry';
export * from './composition';
