import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { PlaceOrder } from '@serverless-orders/orders-application';
import { ValidationError } from '@serverless-orders/orders-domain';
import { instrumented, type Observability } from '@serverless-orders/platform-lambda';
import { parseOrderMessage } from '@serverless-orders/http-contract';

/** When the message was sent (SentTimestamp, epoch milliseconds): the order's created_at. */
function sentAt(record: SQSRecord): Date {
  const ms = Number(record.attributes?.SentTimestamp);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms) : new Date();
}

/**
 * The order-queue consumer. Every record of the batch is handled; one that fails is reported
 * in batchItemFailures (ReportBatchItemFailures) and its neighbours still succeed. A record
 * that is not a valid order is logged and reported: it comes back until maxReceiveCount,
 * then lands in the dead-letter queue. The order id is the message id, and the workflow's
 * execution is named after it, so a redelivered message starts nothing new.
 */
export function createOrderQueueHandler(obs: Observability, placeOrder: Pick<PlaceOrder, 'execute'>) {
  const { logger } = obs;
  const processor = new BatchProcessor(EventType.SQS);

  const handleRecord = async (record: SQSRecord): Promise<void> => {
    const meta = { order_id: record.messageId, receive_count: Number(record.attributes?.ApproximateReceiveCount ?? 1) };
    try {
      const message = parseOrderMessage(record.body);
      const { outcome } = await placeOrder.execute({
        id: record.messageId,
        owner: message.principal.sub,
        details: message.data,
        placedAt: sentAt(record),
      });
      logger.info(outcome === 'started' ? 'order workflow started' : 'order workflow already started: a redelivery', meta);
    } catch (error) {
      if (error instanceof ValidationError) {
        logger.error('poison message: not a valid order; it goes to the dead-letter queue after its last receive', { ...meta, problems: error.problems });
      } else {
        logger.error('order not started; the message will be redelivered', { ...meta, error: error as Error });
      }
      throw error;
    }
  };

  return (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
    instrumented(obs, context, undefined, async () => {
      const response = await processPartialResponse(event, handleRecord, processor, {
        ...(context ? { context } : {}),
        // A batch of nothing but poison is still reported record by record, not thrown as a whole.
        throwOnFullBatchFailure: false,
      });
      logger.info('batch processed', { records: event.Records.length, failed: response.batchItemFailures.length });
      return response;
    });
}
