export * from './config';
export * from './http';
export * from './observability';
