import { startStack, type StartedStack } from '../test/local-stack.process';
import { orderSystemSuite } from '../test/order-system.suite';
import { call } from '../test/users';

// The whole system with the Lambda REQUEST authorizer (apps/authorizer, Cognito scheme);
// a payment provider that always fails, so every order ends in FAILURE.
describe('local stack, Lambda authorizer', () => {
  orderSystemSuite('lambda', { args: ['--payment-failure-rate', '1'], finalStatus: 'FAILURE' });
});

// Swapping the custom authorizer's token scheme is configuration alone.
describe('local stack, Lambda authorizer with the shared-secret scheme', () => {
  const secret = 'a-local-shared-secret-of-some-length';
  let stack: StartedStack;
  beforeAll(async () => {
    stack = await startStack([
      '--authorizer', 'lambda',
      '--authorizer-ttl', '0',
      '--env', 'authorizer:AUTH_SCHEME=shared-secret',
      '--env', `authorizer:SHARED_SECRET=${secret}`,
    ]);
  }, 90_000);
  afterAll(async () => {
    await stack?.dispose();
  }, 30_000);

  it('no secret → 401, a wrong one → 401, the secret → the request passes', async () => {
    expect((await call(stack.outputs, 'GET', '/orders')).status).toBe(401);
    expect((await call(stack.outputs, 'GET', '/orders', 'not-the-secret-but-long-enough')).status).toBe(401);
    const passed = await call(stack.outputs, 'GET', '/orders', `Bearer ${secret}`);
    expect(passed.status).toBe(200);
    expect(passed.body).toEqual({ items: [] });
  });
});
