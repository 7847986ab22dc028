export * from './request.schemas';
export * from './openapi.document';
export * from './order-message.schema';
export * from './order-identity';
export * from './error-answers';
