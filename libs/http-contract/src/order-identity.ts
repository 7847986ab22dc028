import { createHash } from 'node:crypto';

/**
 * Which order a POST /orders names, decided without a database, identically by API Gateway
 * (in infra's mapping templates) and by the queue consumer.
 *
 * Every message carries two String attributes: `caller` (the authorizer's sub) and either
 * `idempotency-key` (the client's Idempotency-Key header) or `request-id` (API Gateway's
 * request id, when the client sent no key). SQS answers SendMessage with the MD5 of the
 * message attributes (its documented algorithm); that digest, written as a UUID, is the order
 * id. API Gateway's response template reads it from SendMessage's answer, the consumer computes
 * it from the attributes it receives. So:
 * - the same caller retrying with the same key gets the same order id, and the consumer's
 *   conditional write stores one order;
 * - another caller with the same key gets another id (the caller is part of the digest);
 * - without a key every request is its own order;
 * - a message moved to the dead-letter queue and redriven keeps its attributes, so its order
 *   id, and is stored exactly once (a MessageId would change on redrive).
 */

/** The client's header (IETF httpapi Idempotency-Key draft). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** 1 to 64 of A–Z, a–z, 0–9, `_` and `-`. */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
export const IDEMPOTENCY_KEY_PROBLEM = 'must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -';

/** The message attributes POST /orders sends; only these identify the order. */
export const ORDER_ATTRIBUTES = {
  caller: 'caller',
  idempotencyKey: 'idempotency-key',
  requestId: 'request-id',
} as const;

export interface StringAttribute {
  readonly DataType: 'String';
  readonly StringValue: string;
}

/** SQS's MD5OfMessageAttributes: attributes sorted by name; each name, data type and value length-prefixed (UTF-8, 32-bit big-endian), the value after a transport byte 1 (string). */
export function md5OfMessageAttributes(attributes: Readonly<Record<string, StringAttribute>>): string {
  const hash = createHash('md5');
  const field = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    field(name);
    field(attributes[name].DataType);
    hash.update(Buffer.from([1]));
    field(attributes[name].StringValue);
  }
  return hash.digest('hex');
}

/** 32 hex digits as a UUID's 8-4-4-4-12 (what the response template does with substrings). */
export function uuidFromMd5(md5: string): string {
  if (!/^[0-9a-f]{32}$/.test(md5)) throw new Error(`not an MD5 digest: ${md5}`);
  return `${md5.slice(0, 8)}-${md5.slice(8, 12)}-${md5.slice(12, 16)}-${md5.slice(16, 20)}-${md5.slice(20, 32)}`;
}

/** The identifying attributes of a request: the caller, and the client's key or else the request id. */
export function orderAttributes(caller: string, key: { idempotencyKey: string } | { requestId: string }): Record<string, StringAttribute> {
  const attribute = (StringValue: string): StringAttribute => ({ DataType: 'String', StringValue });
  return 'idempotencyKey' in key
    ? { [ORDER_ATTRIBUTES.caller]: attribute(caller), [ORDER_ATTRIBUTES.idempotencyKey]: attribute(key.idempotencyKey) }
    : { [ORDER_ATTRIBUTES.caller]: attribute(caller), [ORDER_ATTRIBUTES.requestId]: attribute(key.requestId) };
}

/** A received message's attributes, as Lambda's SQS event has them. */
export type ReceivedAttributes = Readonly<Record<string, { readonly stringValue?: string; readonly dataType?: string } | undefined>>;

/**
 * The order id of a received message, and its caller: the digest of its identifying attributes.
 * Undefined when the message carries none (written by something else than the API), in which
 * case the consumer falls back to the message id.
 */
export function orderIdentityOf(received: ReceivedAttributes): { orderId: string; caller: string } | undefined {
  const value = (name: string) => {
    const attribute = received[name];
    return attribute?.dataType === 'String' && typeof attribute.stringValue === 'string' ? attribute.stringValue : undefined;
  };
  const caller = value(ORDER_ATTRIBUTES.caller);
  const idempotencyKey = value(ORDER_ATTRIBUTES.idempotencyKey);
  const requestId = value(ORDER_ATTRIBUTES.requestId);
  if (caller === undefined || (idempotencyKey === undefined) === (requestId === undefined)) return undefined;
  const attributes = orderAttributes(caller, idempotencyKey !== undefined ? { idempotencyKey } : { requestId: requestId as string });
  return { orderId: uuidFromMd5(md5OfMessageAttributes(attributes)), caller };
}
