export * from './fakes/in-memory-order-repository';
