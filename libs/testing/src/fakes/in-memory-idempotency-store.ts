import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError } from '@aws-lambda-powertools/idempotency';

type Stored = ConstructorParameters<typeof IdempotencyRecord>[0];

/**
 * Powertools' idempotency store in memory, with the DynamoDB persistence layer's conditions: a
 * record is written only if none exists for the key, or it expired, or it is IN_PROGRESS past
 * its in-progress expiry (the Lambda that held it timed out).
 */
export class InMemoryIdempotencyStore extends BasePersistenceLayer {
  readonly records = new Map<string, Stored>();

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const stored = this.records.get(idempotencyKey);
    if (!stored) throw new IdempotencyItemNotFoundError();
    return new IdempotencyRecord(stored);
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const existing = this.records.get(record.idempotencyKey);
    const now = Date.now();
    const free =
      !existing ||
      (existing.expiryTimestamp !== undefined && existing.expiryTimestamp < now / 1000) ||
      (existing.status === 'INPROGRESS' && existing.inProgressExpiryTimestamp !== undefined && existing.inProgressExpiryTimestamp < now);
    if (!free) throw new IdempotencyItemAlreadyExistsError(`record exists for ${record.idempotencyKey}`, new IdempotencyRecord(existing));
    this.records.set(record.idempotencyKey, this.snapshot(record));
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.records.set(record.idempotencyKey, this.snapshot(record));
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.records.delete(record.idempotencyKey);
  }

  private snapshot(record: IdempotencyRecord): Stored {
    return {
      idempotencyKey: record.idempotencyKey,
      status: record.getStatus(),
      expiryTimestamp: record.expiryTimestamp,
      inProgressExpiryTimestamp: record.inProgressExpiryTimestamp,
      responseData: record.responseData,
      payloadHash: record.payloadHash,
    };
  }
}
