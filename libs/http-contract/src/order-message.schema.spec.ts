import { ValidationError } from '@serverless-orders/orders-domain';
import { orderMessageBody, parseOrderMessage } from './order-message.schema';

describe('the order queue message', () => {
  it('reads data and principal, with a quantity sent as a string', () => {
    const body = orderMessageBody({ restaurant_id: 'r-1', item: 'pizza', quantity: '3' }, { sub: 'user-1', email: 'a@b.c' });
    expect(parseOrderMessage(body)).toEqual({
      data: { restaurant_id: 'r-1', item: 'pizza', quantity: 3 },
      principal: { sub: 'user-1', email: 'a@b.c' },
    });
  });

  it('reads number and boolean claims (a Lambda authorizer’s context) as strings', () => {
    const body = JSON.stringify({ data: { restaurant_id: 'r', item: 'i', quantity: 1 }, principal: { sub: 'u', integrationLatency: 12, admin: false } });
    expect(parseOrderMessage(body).principal).toEqual({ sub: 'u', integrationLatency: '12', admin: 'false' });
  });

  it.each([
    ['not JSON', '{nope', 'message'],
    ['no principal', JSON.stringify({ data: { restaurant_id: 'r', item: 'i', quantity: 1 } }), 'message.principal'],
    ['an empty sub', JSON.stringify({ data: { restaurant_id: 'r', item: 'i', quantity: 1 }, principal: { sub: ' ' } }), 'message.principal.sub'],
    ['a claim that is an object', JSON.stringify({ data: { restaurant_id: 'r', item: 'i', quantity: 1 }, principal: { sub: 'u', groups: { a: 1 } } }), 'message.principal.groups'],
    ['a quantity out of range', JSON.stringify({ data: { restaurant_id: 'r', item: 'i', quantity: 101 }, principal: { sub: 'u' } }), 'message.data.quantity'],
    // The owner comes from the principal only: a user_id in the body is an unknown field.
    ['a user_id in the body', JSON.stringify({ data: { restaurant_id: 'r', item: 'i', quantity: 1, user_id: 'x' }, principal: { sub: 'u' } }), 'message.data.user_id'],
  ])('rejects %s, naming the field', (_case, body, field) => {
    let error: unknown;
    try {
      parseOrderMessage(body);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.field)).toContain(field);
  });
});
