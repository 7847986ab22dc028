export * from './clock.port';
export * from './order-repository.port';
export * from './my-orders.use-cases';
export * from './tokens';
