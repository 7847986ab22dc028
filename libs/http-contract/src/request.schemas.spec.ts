import { ValidationError } from '@serverless-orders/orders-domain';
import {
  LegacyUpdateOrderBody,
  ListOrdersQuery,
  OrderId,
  OrderSchema,
  parseWith,
  PlaceOrderBody,
  Quantity,
  UpdateOrderBody,
  UserIdParameter,
} from './request.schemas';

function problems(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('Quantity', () => {
  it('reads a quantity sent as a string as its number', () => {
    expect(parseWith(Quantity, '3')).toBe(3);
    expect(parseWith(Quantity, ' 100 ')).toBe(100);
    expect(parseWith(Quantity, '007')).toBe(7);
  });

  it('accepts exactly the whole numbers 1 to 100, as numbers and as strings', () => {
    for (let n = -5; n <= 105; n++) {
      const expected = n >= 1 && n <= 100;
      expect([n, Quantity.safeParse(n).success]).toEqual([n, expected]);
      expect([String(n), Quantity.safeParse(String(n)).success]).toEqual([String(n), expected]);
    }
  });

  it.each([0, 101, 300, -1, 1.5, '0', '101', '1.5', '', 'three', '1e2', null, true, [3], { n: 3 }])('refuses %p with one clear problem', (value) => {
    expect(problems(() => parseWith(PlaceOrderBody, { restaurant_id: 'r', item: 'i', quantity: value }))).toEqual([
      { field: 'quantity', problem: 'must be a whole number from 1 to 100' },
    ]);
  });
});

describe('PlaceOrderBody', () => {
  it('takes restaurant, item and quantity', () => {
    expect(parseWith(PlaceOrderBody, { restaurant_id: 'r-1', item: 'pizza', quantity: '2' })).toEqual({
      restaurant_id: 'r-1',
      item: 'pizza',
      quantity: 2,
    });
  });

  it('names missing and unknown fields — an owner in the body is refused, never trusted', () => {
    expect(problems(() => parseWith(PlaceOrderBody, { item: 'pizza', quantity: 1, user_id: 'mallory' }))).toEqual(
      expect.arrayContaining([
        { field: 'restaurant_id', problem: 'is required' },
        { field: 'user_id', problem: 'is not a known field' },
      ]),
    );
  });

  it('refuses blank and over-long text', () => {
    expect(problems(() => parseWith(PlaceOrderBody, { restaurant_id: '  ', item: 'x'.repeat(201), quantity: 1 })).map((p) => p.field)).toEqual([
      'restaurant_id',
      'item',
    ]);
  });

  it.each([
    ['restaurant_id', 'r-1\u0000\u001b[31m'],
    ['item', 'pizza\r\nX-Injected: 1\u0007'],
    ['item', 'pizza\u009b2J'],
    ['item', 'pizza\n'],
  ])('refuses %s with control characters (%j), naming it', (field, text) => {
    expect(problems(() => parseWith(PlaceOrderBody, { restaurant_id: 'r-1', item: 'pizza', quantity: 1, [field]: text }))).toEqual([
      { field, problem: 'must not contain control characters (U+0000 to U+001F, U+007F to U+009F)' },
    ]);
  });

  it('words a wrong type plainly', () => {
    expect(problems(() => parseWith(PlaceOrderBody, { restaurant_id: 7, item: 'i', quantity: 1 }))).toEqual([
      { field: 'restaurant_id', problem: 'must be a string' },
    ]);
    expect(problems(() => parseWith(OrderSchema, { ...{ id: 'x' } })).every((p) => p.problem !== 'Invalid input')).toBe(true);
  });

  it('refuses a body that is not an object', () => {
    expect(problems(() => parseWith(PlaceOrderBody, [1, 2]))).toEqual([{ field: 'body', problem: 'must be a JSON object' }]);
    expect(problems(() => parseWith(PlaceOrderBody, 'pizza'))).toEqual([{ field: 'body', problem: 'must be a JSON object' }]);
  });
});

describe('UpdateOrderBody and the PUT /orders alias (id in the body)', () => {
  it('needs at least one change', () => {
    expect(problems(() => parseWith(UpdateOrderBody, {}))[0].problem).toMatch(/at least one/);
  });

  it('refuses a change with control characters, naming the field', () => {
    expect(problems(() => parseWith(UpdateOrderBody, { item: 'x\u001b[2J' })).map((p) => p.field)).toEqual(['item']);
    expect(problems(() => parseWith(LegacyUpdateOrderBody, { id: '6f1c1c1e-1b1a-4c4c-9d9d-0a0a0a0a0a0a', restaurant_id: 'r\u0007' })).map((p) => p.field)).toEqual([
      'restaurant_id',
    ]);
  });

  it('takes the id in the body for PUT /orders', () => {
    const id = '6f1c1c1e-1b1a-4c4c-9d9d-0a0a0a0a0a0a';
    expect(parseWith(LegacyUpdateOrderBody, { id, quantity: '4' })).toEqual({ id, quantity: 4 });
    expect(problems(() => parseWith(LegacyUpdateOrderBody, { id: 'nope', quantity: 4 })).map((p) => p.field)).toEqual(['id']);
  });
});

describe('path and query', () => {
  it('prefixes the field with where it came from', () => {
    expect(problems(() => parseWith(OrderId, '../etc', 'path.id'))).toEqual([{ field: 'path.id', problem: 'must be an order id (a UUID)' }]);
    expect(problems(() => parseWith(ListOrdersQuery, { limit: '0' }, 'query')).map((p) => p.field)).toEqual(['query.limit']);
    expect(problems(() => parseWith(ListOrdersQuery, { page: '2' }, 'query')).map((p) => p.field)).toEqual(['query.page']);
  });

  it('refuses control characters in a path id and in a pagination token, naming them', () => {
    expect(problems(() => parseWith(UserIdParameter, 'u\u0000', 'path.userId'))).toEqual([
      { field: 'path.userId', problem: 'must not contain control characters (U+0000 to U+001F, U+007F to U+009F)' },
    ]);
    expect(parseWith(UserIdParameter, 'a1b2-c3', 'path.userId')).toBe('a1b2-c3');
    expect(problems(() => parseWith(ListOrdersQuery, { next_token: '\u001b[31m' }))).toEqual([{ field: 'next_token', problem: 'is not a token this API issued' }]);
  });

  it('reads limit as a number', () => {
    expect(parseWith(ListOrdersQuery, { limit: '25', next_token: 'abc' })).toEqual({ limit: 25, next_token: 'abc' });
  });
});
