import { orderSystemSuite } from '../test/order-system.suite';

// The whole system with the Lambda REQUEST authorizer (apps/authorizer, Cognito scheme);
// a payment provider that always fails, so every order ends in FAILURE.
describe('local stack, Lambda authorizer', () => {
  orderSystemSuite('lambda', { args: ['--payment-failure-rate', '1'], finalStatus: 'FAILURE' });
});
