import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { OrderNotStoredError, WorkflowNotStartedError, type PlaceOrder } from '@serverless-orders/orders-application';
import { ValidationError } from '@serverless-orders/orders-domain';
import { orderIdentityOf, parseOrderMessage } from '@serverless-orders/http-contract';
import { instrumented, isTransient, retryTransient, type Observability } from '@serverless-orders/platform-lambda';
import { DEAD_LETTER_ATTRIBUTES, type DeadLetterQueue } from './dead-letter-queue';

export interface QueueConsumerSettings {
  /** The queue's maxReceiveCount: on that receive, the message's fate is decided here. */
  readonly maxReceiveCount: number;
  /** Milliseconds kept free at the end of the invocation: retries stop before it. */
  readonly reserveMs?: number;
}

/** When the order was placed: the placed-at a dead-lettered copy carries, else the message's SentTimestamp. */
function placedAt(record: SQSRecord): Date {
  const candidates = [record.messageAttributes?.[DEAD_LETTER_ATTRIBUTES.placedAt]?.stringValue, record.attributes?.SentTimestamp];
  for (const value of candidates) {
    const ms = Number(value);
    if (Number.isFinite(ms) && ms > 0) return new Date(ms);
  }
  return new Date();
}

/**
 * The order-queue consumer: persist before you promise. For every record of the batch (in
 * parallel), the order is stored PENDING (a conditional write on its id) and then its workflow
 * is started (an execution named after the id). Every record is handled on its own:
 *
 * - a message that can never become an order (not JSON, invalid, refused for good by the
 *   table) goes to the dead-letter queue at once, with its reason, and is acknowledged;
 * - a transient failure (network, throttling, 5xx) is retried within the invocation with
 *   backoff, then reported in batchItemFailures, so SQS delivers the message again;
 * - on the message's last receive (maxReceiveCount): an order that still could not be stored
 *   goes to the dead-letter queue with its reason; an order stored whose workflow did not
 *   start is acknowledged, and the reconciler starts it. Never both, never neither.
 *
 * The order id comes from the message's identifying attributes (see order-identity.ts), so a
 * redelivery, a client's retry with the same Idempotency-Key and a redriven dead letter all
 * name the same order, stored once and started once.
 */
export function createOrderQueueHandler(
  obs: Observability,
  placeOrder: Pick<PlaceOrder, 'execute'>,
  deadLetters: DeadLetterQueue,
  settings: QueueConsumerSettings,
) {
  const { logger } = obs;
  const processor = new BatchProcessor(EventType.SQS);
  const reserveMs = settings.reserveMs ?? 3000;

  const deadLetter = async (record: SQSRecord, meta: Record<string, unknown>, reason: string) => {
    await deadLetters.send(record, reason, placedAt(record));
    logger.error('order message dead-lettered', { ...meta, reason });
  };

  const handleRecord = (deadline: number) => async (record: SQSRecord): Promise<void> => {
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
    const lastReceive = receiveCount >= settings.maxReceiveCount;
    const meta: Record<string, unknown> = { message_id: record.messageId, receive_count: receiveCount };
    let queued;
    try {
      const message = parseOrderMessage(record.body);
      const identity = orderIdentityOf(record.messageAttributes ?? {});
      if (identity && identity.caller !== message.principal.sub) {
        throw ValidationError.of('message.principal.sub', 'is not the caller the message attributes name');
      }
      queued = { id: identity?.orderId ?? record.messageId, owner: message.principal.sub, details: message.data, placedAt: placedAt(record) };
      meta.order_id = queued.id;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return deadLetter(record, meta, `not an order: ${error.message}`);
    }

    try {
      const placed = await retryTransient(() => placeOrder.execute(queued), {
        deadline,
        onRetry: (error, attempt) => logger.warn('order not placed yet; trying again', { ...meta, attempt, error: (error as Error).message }),
      });
      if (placed.differs) logger.warn('a retry carried another order under the same id (an Idempotency-Key reused): the first one stands', meta);
      logger.info(
        placed.stored === 'deleted'
          ? 'order deleted by its owner before its workflow started: nothing to start'
          : placed.workflow === 'started'
            ? 'order stored and its workflow started'
            : 'order already stored and started: a redelivery or a client’s retry',
        { ...meta, order_status: placed.order.order_status },
      );
    } catch (error) {
      if (error instanceof ValidationError) return deadLetter(record, meta, `not an order: ${error.message}`);
      if (error instanceof OrderNotStoredError) {
        const cause = error.cause as Error;
        if (!isTransient(cause)) return deadLetter(record, meta, `could not be stored: ${cause?.name}: ${cause?.message}`);
        if (lastReceive) return deadLetter(record, meta, `could not be stored after ${receiveCount} receives: ${cause?.name}: ${cause?.message}`);
      }
      if (error instanceof WorkflowNotStartedError && lastReceive) {
        // Stored PENDING: the order is promised. The reconciler starts its workflow.
        logger.error('order stored but its workflow not started after the last receive; the reconciler will start it', { ...meta, error: error.message });
        return;
      }
      logger.warn('order not placed; the message will be delivered again', { ...meta, error: (error as Error).message });
      throw error;
    }
  };

  return (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
    instrumented(obs, context, undefined, async () => {
      const deadline = Date.now() + (context ? context.getRemainingTimeInMillis() : 15_000) - reserveMs;
      const response = await processPartialResponse(event, handleRecord(deadline), processor, {
        ...(context ? { context } : {}),
        // A batch of nothing but failures is still reported record by record, not thrown as a whole.
        throwOnFullBatchFailure: false,
      });
      logger.info('batch processed', { records: event.Records.length, failed: response.batchItemFailures.length });
      return response;
    });
}
