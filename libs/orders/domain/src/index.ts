export * from './order';
export * from './order.errors';
export * from './order-failure';
