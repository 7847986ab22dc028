export * from './functions.catalogue';
export * from './openapi.document';
export * from './request.schemas';
export * from './table.definition';
