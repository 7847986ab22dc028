export * from './order-workflow.step-functions';
