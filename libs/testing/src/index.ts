export * from './fakes/in-memory-order-repository';
export * from './local-dynamodb';
export * from './api-events';
export * from './lambda-bundle';
export * from './jwt';
export * from './fakes/order-pipeline.fakes';
export * from './fakes/step-functions-endpoint.fake';
export * from './simulated-provider-root';
