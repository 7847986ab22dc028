export * from './random';
export * from './ledger';
export * from './simulation';
export * from './payment-gateway.simulated';
export * from './restaurant-gateway.simulated';
