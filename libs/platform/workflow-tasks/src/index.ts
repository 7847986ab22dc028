// Handlers for the workflow's task functions. Apart from platform-lambda so that functions
// outside the workflow (the authorizer) do not bundle the workflow contract's schemas.
export * from './provider-task';
export * from './task-error';
