export * from './order-repository.dynamodb';
