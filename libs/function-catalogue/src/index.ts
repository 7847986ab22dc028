export * from './functions.catalogue';
export * from './role-policies';
export * from './function-calls';
