export * from './functions.catalogue';
