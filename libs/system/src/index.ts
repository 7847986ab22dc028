export * from './functions.catalogue';
export * from './openapi.document';
export * from './request.schemas';
export * from './table.definition';
export * from './order-message.schema';
export * from './order-workflow.contract';
export * from './order-workflow.asl';
