// How tests start the local stack and run the workspace's programs: one set of helpers for
// tools/local-stack's integration tests and the end-to-end tests (tools/e2e).
export * from './process';
export * from './users';
export * from './load-workload';
