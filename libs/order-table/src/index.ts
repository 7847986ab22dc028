export * from './table.definition';
