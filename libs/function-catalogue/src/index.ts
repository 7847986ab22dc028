export * from './functions.catalogue';
export * from './role-policies';
