export * from './iam/calls';
export * from './iam/local-iam';
export * from './iam/refusals';
export * from './iam/sigv4';
export * from './iam/system-roles';
