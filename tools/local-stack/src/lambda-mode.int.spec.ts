import { startStack, type StartedStack } from '../test/local-stack.process';
import { orderSystemSuite } from '../test/order-system.suite';
import { call } from '../test/users';

// The whole system with the Lambda REQUEST authorizer (apps/authorizer, Cognito scheme);
// a payment provider that always fails, so every order ends in FAILURE.
describe('local stack, Lambda authorizer', () => {
  orderSystemSuite('lambda', { args: ['--payment-failure-rate', '1'], finalStatus: 'FAILURE' });
});

// Swapping the custom authorizer's token scheme is configuration alone, its header included:
// infra deploys the authorizer with SHARED_SECRET_HEADER as its identity source, and so does
// the local gateway (a request without that header is 401 before the authorizer runs).
describe('local stack, Lambda authorizer with the shared-secret scheme on its own header', () => {
  const secret = 'a-local-shared-secret-of-some-length';
  let stack: StartedStack;
  beforeAll(async () => {
    stack = await startStack([
      '--authorizer', 'lambda',
      '--authorizer-ttl', '0',
      '--env', 'authorizer:AUTH_SCHEME=shared-secret',
      '--env', `authorizer:SHARED_SECRET=${secret}`,
      '--env', 'authorizer:SHARED_SECRET_HEADER=X-Api-Secret',
    ]);
  }, 90_000);
  afterAll(async () => {
    await stack?.dispose();
  }, 30_000);

  const get = (headers: Record<string, string>) => fetch(`${stack.outputs.apiUrl}/orders`, { headers });

  it('no secret → 401, a wrong one → 401, the secret in Authorization → 401, the secret in X-Api-Secret → the request passes', async () => {
    expect((await call(stack.outputs, 'GET', '/orders')).status).toBe(401);
    expect((await get({ 'X-Api-Secret': 'not-the-secret-but-long-enough' })).status).toBe(401);
    expect((await call(stack.outputs, 'GET', '/orders', `Bearer ${secret}`)).status).toBe(401);
    const passed = await get({ 'X-Api-Secret': secret });
    expect(passed.status).toBe(200);
    expect(await passed.json()).toEqual({ items: [] });
  });
});
