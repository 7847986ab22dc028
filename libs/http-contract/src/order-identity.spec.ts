import { isOrderId } from '@serverless-orders/orders-domain';
import { md5OfMessageAttributes, orderAttributes, orderIdentityOf, uuidFromMd5 } from './order-identity';

const received = (attributes: Record<string, { StringValue: string }>) =>
  Object.fromEntries(Object.entries(attributes).map(([name, a]) => [name, { stringValue: a.StringValue, dataType: 'String' }]));

describe('the order identity of a POST /orders', () => {
  it('computes SQS’s MD5OfMessageAttributes', () => {
    // What SQS (here: the local SQS, an independent implementation of AWS's algorithm) answers
    // for these attributes; the gateway's integration tests compare with a live SendMessage too.
    expect(md5OfMessageAttributes({ a: { DataType: 'String', StringValue: 'b' } })).toBe('bef8bf215374a0a228d67533b1a488be');
    const one = md5OfMessageAttributes(orderAttributes('alice', { idempotencyKey: 'k-1' }));
    expect(one).toBe('d66928e91341c8f42742754e509952c0');
    // Order of insertion does not matter: SQS sorts by name.
    expect(md5OfMessageAttributes({ 'idempotency-key': { DataType: 'String', StringValue: 'k-1' }, caller: { DataType: 'String', StringValue: 'alice' } })).toBe(one);
  });

  it('is the same order for the same caller and key, another for another caller or key', () => {
    const id = (caller: string, key: string) => orderIdentityOf(received(orderAttributes(caller, { idempotencyKey: key })))?.orderId;
    expect(id('alice', 'k-1')).toBe(id('alice', 'k-1'));
    expect(id('alice', 'k-1')).not.toBe(id('bob', 'k-1'));
    expect(id('alice', 'k-1')).not.toBe(id('alice', 'k-2'));
    expect(isOrderId(id('alice', 'k-1'))).toBe(true);
  });

  it('without a key, each request is its own order; a key equal to a request id is still another order', () => {
    const byRequest = orderIdentityOf(received(orderAttributes('alice', { requestId: 'r-1' })));
    expect(byRequest).toEqual({ orderId: expect.any(String), caller: 'alice' });
    expect(byRequest?.orderId).not.toBe(orderIdentityOf(received(orderAttributes('alice', { requestId: 'r-2' })))?.orderId);
    expect(byRequest?.orderId).not.toBe(orderIdentityOf(received(orderAttributes('alice', { idempotencyKey: 'r-1' })))?.orderId);
  });

  it('ignores attributes added later (a dead-letter reason) and refuses an ambiguous or missing identity', () => {
    const base = received(orderAttributes('alice', { idempotencyKey: 'k' }));
    expect(orderIdentityOf({ ...base, 'dead-letter-reason': { stringValue: 'x', dataType: 'String' } })).toEqual(orderIdentityOf(base));
    expect(orderIdentityOf({})).toBeUndefined();
    expect(orderIdentityOf({ ...base, 'request-id': { stringValue: 'r', dataType: 'String' } })).toBeUndefined();
    expect(orderIdentityOf({ caller: { stringValue: 'alice', dataType: 'Number' }, 'request-id': { stringValue: 'r', dataType: 'String' } })).toBeUndefined();
  });

  it('writes a digest as a UUID', () => {
    expect(uuidFromMd5('0123456789abcdef0123456789abcdef')).toBe('01234567-89ab-cdef-0123-456789abcdef');
    expect(() => uuidFromMd5('xyz')).toThrow('not an MD5 digest');
  });
});
