import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import type { Order } from '@serverless-orders/orders-domain';
import { ProviderTaskInput, WORKFLOW_ERRORS, WorkflowTaskError, type ProviderTaskResult, type WorkflowOrder } from '@serverless-orders/order-workflow';
import { instrumented, type Observability } from '@serverless-orders/platform-lambda';
import { toWorkflowTaskError } from './task-error';

/** A provider's answer: done, or refused with its reason (the use cases' ProviderOutcome). */
type ProviderOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** A use case that hands an order to an outside provider (ProcessPayment, SendOrderToRestaurant). */
export interface ProviderStep {
  execute(order: Pick<Order, 'id' | 'user_id' | 'restaurant_id' | 'item' | 'quantity' | 'version'>): Promise<ProviderOutcome>;
}

export interface ProviderTaskOptions {
  /** The workflow step this function runs: its input must name it. */
  readonly step: ProviderTaskInput['step'];
  /** Where Powertools keeps the step's results (the DynamoDB persistence layer in Lambda). */
  readonly persistenceStore: BasePersistenceLayer;
  /** How long a result is remembered. */
  readonly expiresAfterSeconds: number;
}

const toResult = (outcome: ProviderOutcome): ProviderTaskResult =>
  outcome.ok ? { status: 'ok' } : { status: 'error', error_message: outcome.reason };

/**
 * A workflow task that calls one provider (ProcessPayment, SendOrderToRestaurant; see
 * order-workflow.contract.ts): the task input in, a ProviderTaskResult out. A provider's
 * refusal is a result the Choice state reads, not an error.
 *
 * Side effects happen once per order version, in two layers. Powertools idempotency, keyed on
 * the order's id and version, answers a retried step with the result it stored, without calling
 * the provider again (and a concurrent duplicate with IdempotencyAlreadyInProgressError, which
 * the workflow retries). The provider call itself carries the same key, so a step that crashed
 * or timed out after the provider acted, before its result was stored, is answered by the
 * provider without acting again.
 */
export function providerTaskHandler(obs: Observability, step: ProviderStep, options: ProviderTaskOptions) {
  const { logger } = obs;
  const config = new IdempotencyConfig({ eventKeyJmesPath: '[id, version]', expiresAfterSeconds: options.expiresAfterSeconds });
  const callProvider = makeIdempotent(async (order: WorkflowOrder): Promise<ProviderTaskResult> => toResult(await step.execute(order)), {
    persistenceStore: options.persistenceStore,
    config,
  });

  return (event: unknown, context?: Context): Promise<ProviderTaskResult> =>
    instrumented(obs, context, undefined, async () => {
      const parsed = ProviderTaskInput.safeParse(event);
      if (!parsed.success || parsed.data.step !== options.step) {
        logger.error('task input does not match the workflow contract', { expected: options.step, issues: parsed.error?.issues });
        throw new WorkflowTaskError(WORKFLOW_ERRORS.invalidTaskInput, parsed.error?.message ?? `this function runs ${options.step}`);
      }
      const { order } = parsed.data;
      logger.appendKeys({ order_id: order.id, version: order.version, step: options.step });
      if (context) config.registerLambdaContext(context);
      try {
        const result = await callProvider(order);
        logger.info(result.status === 'ok' ? 'provider accepted the order' : 'provider refused the order', result.status === 'ok' ? {} : { reason: result.error_message });
        return result;
      } catch (error) {
        const taskError = toWorkflowTaskError(error);
        logger.error('provider step failed', { error_type: taskError.name, error: error as Error });
        throw taskError;
      }
    });
}

/** The idempotency store of a provider step in Lambda: Powertools' DynamoDB persistence layer on the idempotency table. */
export function dynamoDbIdempotencyStore(tableName: string, client: DynamoDBClient): BasePersistenceLayer {
  return new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
}
