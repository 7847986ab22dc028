import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from 'inversify';
import type { WorkflowOrder } from '@serverless-orders/order-workflow';
import { coldStart, loadBundle } from './lambda-bundle';
import { LOCAL_AWS, startLocalDynamoDb, type LocalDynamoDb } from './local-dynamodb';

/** An order as the workflow hands it to a provider task (ProcessPayment, SendOrderToRestaurant). */
export const sampleWorkflowOrder: WorkflowOrder = {
  id: '6f1c2a8e-0000-4000-8000-000000000001',
  user_id: 'alice',
  restaurant_id: 'r-1',
  item: 'pizza',
  quantity: 2,
  order_status: 'PENDING',
  created_at: '2026-01-01T12:00:00.000Z',
  updated_at: '2026-01-01T12:00:00.000Z',
  version: 1,
};

type Step = { execute(order: Order): Promise<{ ok: boolean; reason?: string }> };
type Order = { id: string; user_id: string; restaurant_id: string; item: string; quantity: number; version: number };

/**
 * The checks every composition root of a simulated provider (process-payment, send-order)
 * must pass: the failure rate and seed come from <PREFIX>_FAILURE_RATE / _RANDOM_SEED, the
 * provider from <PREFIX>_PROVIDER, and a bad value fails at start naming the setting.
 */
export function describeSimulatedProviderRoot(options: {
  app: string;
  prefix: 'PAYMENT' | 'RESTAURANT';
  createContainer: (env: Record<string, string>) => Container;
  step: symbol;
  refusal: string;
}): void {
  const { app, prefix, step, refusal } = options;
  const createContainer = (env: Record<string, string>) => options.createContainer({ IDEMPOTENCY_TABLE_NAME: 'idempotency', ...env });
  let versions = 0;
  // Every call another order version: the providers act once per version (their idempotency key).
  const next = (): Order => ({ id: 'o-1', user_id: 'alice', restaurant_id: 'r-1', item: 'pizza', quantity: 2, version: ++versions });
  const useCase = (env: Record<string, string>): Step => createContainer(env).get<Step>(step);

  describe(`the ${app} composition root`, () => {
    it('reads the failure rate from the environment', async () => {
      expect(await useCase({ [`${prefix}_FAILURE_RATE`]: '1' }).execute(next())).toEqual({ ok: false, reason: refusal });
      expect(await useCase({ [`${prefix}_FAILURE_RATE`]: '0' }).execute(next())).toEqual({ ok: true });
    });

    it('is reproducible for a seed', async () => {
      const run = async () => {
        const provider = useCase({ [`${prefix}_FAILURE_RATE`]: '0.5', [`${prefix}_RANDOM_SEED`]: '99' });
        const outcomes = [];
        for (let i = 0; i < 20; i++) outcomes.push((await provider.execute(next())).ok);
        return outcomes;
      };
      const first = await run();
      expect(first).toContain(true);
      expect(first).toContain(false);
      expect(await run()).toEqual(first);
    });

    it.each([
      [`${prefix}_FAILURE_RATE`, '2'],
      [`${prefix}_FAILURE_RATE`, 'often'],
      [`${prefix}_RANDOM_SEED`, '-1'],
      [`${prefix}_PROVIDER`, 'acme'],
      [`${prefix}_FAULT_AFTER_ACTING`, 'explode'],
    ])('refuses %s=%s at start, naming the setting', (name, value) => {
      expect(() => createContainer({ [name]: value })).toThrow(name);
    });

    it('needs its idempotency table, naming the setting', () => {
      expect(() => options.createContainer({})).toThrow('IDEMPOTENCY_TABLE_NAME');
    });
  });
}

/**
 * The checks every simulated provider's built bundle must pass, invoked as Step Functions
 * invokes a task, with its idempotency table on the local DynamoDB: it runs, answers the task
 * input with a ProviderTaskResult carrying the provider's refusal, acts once per order version
 * however often it is invoked (Powertools idempotency and the provider's key), and a setting
 * that is not a rate fails the cold start naming it.
 */
export function describeProviderTaskBundle(options: { app: string; prefix: 'PAYMENT' | 'RESTAURANT'; step: string; refusal: string }): void {
  const { app, prefix, step, refusal } = options;
  type Handler = (event: unknown, context: unknown) => Promise<unknown>;
  let db: LocalDynamoDb;
  let handler: Handler;
  let ledger: string;
  const context = { getRemainingTimeInMillis: () => 10_000, functionName: app, awsRequestId: 'r-1' };

  describe(`${app}, the bundle`, () => {
    beforeAll(async () => {
      db = await startLocalDynamoDb();
      ledger = mkdtempSync(join(tmpdir(), `${app}-ledger-`));
      handler = loadBundle<Handler>(app, {
        IDEMPOTENCY_TABLE_NAME: await db.createIdempotencyTable(),
        AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
        AWS_REGION: LOCAL_AWS.region,
        AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
        AWS_LAMBDA_FUNCTION_NAME: app,
        [`${prefix}_FAILURE_RATE`]: '1',
        [`${prefix}_RANDOM_SEED`]: '7',
        [`${prefix}_LEDGER_DIR`]: ledger,
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      });
    });
    afterAll(async () => {
      await db.close();
      rmSync(ledger, { recursive: true, force: true });
    });

    it('runs and answers per the workflow contract, once per order version however often it is invoked', async () => {
      const input = { step, order: sampleWorkflowOrder };
      expect(await handler(input, context)).toEqual({ status: 'error', error_message: refusal });
      expect(await handler(input, context)).toEqual({ status: 'error', error_message: refusal });
      expect(await handler({ step, order: { ...sampleWorkflowOrder, version: 2 } }, context)).toEqual({ status: 'error', error_message: refusal });
      expect(readdirSync(ledger)).toHaveLength(2);
    });

    it('fails at start, naming the setting, when the failure rate is not a rate', () => {
      const { status, stderr } = coldStart(app, { IDEMPOTENCY_TABLE_NAME: 'i', [`${prefix}_FAILURE_RATE`]: '150%' });
      expect(status).not.toBe(0);
      expect(stderr).toContain(`${prefix}_FAILURE_RATE`);
    });
  });
}
