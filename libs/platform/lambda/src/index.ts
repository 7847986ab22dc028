export * from './config';
export * from './http';
export * from './observability';
export * from './provider-task';
