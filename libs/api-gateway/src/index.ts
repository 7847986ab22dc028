export * from './java-semantics';
export * from './vtl';
export * from './place-order.integration';
export * from './gateway-responses';
export * from './stage-limits';
