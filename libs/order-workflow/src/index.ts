export * from './order-workflow.contract';
export * from './order-workflow.asl';
