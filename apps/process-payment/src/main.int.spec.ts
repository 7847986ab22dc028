import { coldStart, loadBundle } from '@serverless-orders/testing';

// The built bundle (dist/apps/process-payment/main.js) invoked as Step Functions invokes it: the task
// input of the workflow contract in, the ProviderTaskResult out.
type Handler = (event: unknown) => Promise<unknown>;
const order = {
  order_id: '6f1c2a8e-0000-4000-8000-000000000001',
  user_id: 'alice',
  restaurant_id: 'r-1',
  item: 'pizza',
  quantity: 2,
  order_status: 'PENDING',
};

describe('process-payment, the bundle', () => {
  it('runs (every @inject resolves without decorator metadata) and answers per the contract', async () => {
    const handler = loadBundle<Handler>('process-payment', { PAYMENT_FAILURE_RATE: '1', PAYMENT_RANDOM_SEED: '7', POWERTOOLS_LOG_LEVEL: 'SILENT' });
    expect(await handler({ order })).toEqual({ status: 'error', error_message: expect.any(String) });
  });

  it('fails at start, naming the setting, when the failure rate is not a rate', () => {
    const { status, stderr } = coldStart('process-payment', { PAYMENT_FAILURE_RATE: '150%' });
    expect(status).not.toBe(0);
    expect(stderr).toContain('PAYMENT_FAILURE_RATE');
  });
});
