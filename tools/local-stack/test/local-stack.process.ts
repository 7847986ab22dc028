// The local stack's integration tests start it, and run it and the CLI, with the helpers the
// end-to-end tests use too (tools/local-stack-testing).
export { CLI, eventually, NODE, ROOT, runCli, runStack, STACK_NODE_OPTIONS, startStack, type RunResult, type StartedStack } from '@serverless-orders/local-stack-testing';
