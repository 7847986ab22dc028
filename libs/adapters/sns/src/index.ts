export * from './order-notifier.sns';
