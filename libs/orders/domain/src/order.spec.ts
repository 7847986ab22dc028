import {
  canTransition,
  changeOrder,
  isFinal,
  newOrder,
  ORDER_STATUSES,
  OrderConflictError,
  transitionOrder,
  ValidationError,
  type Order,
  type OrderStatus,
} from './index';

const t0 = new Date('2026-01-01T10:00:00.000Z');
const t1 = new Date('2026-01-01T10:05:00.000Z');
const details = { restaurant_id: 'r-1', item: 'pizza', quantity: 2 };

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => p.field);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('newOrder', () => {
  it('is PENDING, owned by the caller, at version 1, with both timestamps at now', () => {
    expect(newOrder('o-1', 'alice', details, t0)).toEqual({
      id: 'o-1',
      user_id: 'alice',
      ...details,
      order_status: 'PENDING',
      created_at: t0.toISOString(),
      updated_at: t0.toISOString(),
      version: 1,
    });
  });

  it.each([0, 101, 2.5, -1, Number.NaN])('refuses quantity %p', (quantity) => {
    expect(problemsOf(() => newOrder('o-1', 'alice', { ...details, quantity }, t0))).toEqual(['quantity']);
  });

  it.each([1, 100])('accepts the bounds (quantity %p)', (quantity) => {
    expect(newOrder('o-1', 'alice', { ...details, quantity }, t0).quantity).toBe(quantity);
  });

  it('names every field at fault at once', () => {
    expect(problemsOf(() => newOrder('o-1', 'alice', { restaurant_id: ' ', item: 'x'.repeat(201), quantity: 0 }, t0))).toEqual([
      'quantity',
      'restaurant_id',
      'item',
    ]);
  });

  it.each([
    ['a NUL', 'r-1\u0000'],
    ['CR LF and a header', 'pizza\r\nX-Injected: 1'],
    ['a BEL', 'pizza\u0007'],
    ['an ANSI escape (ESC)', '\u001b[31mpizza'],
    ['DEL', 'pizza\u007f'],
    ['a C1 control (U+009B, CSI)', 'pizza\u009b2J'],
    ['a trailing line feed', 'pizza\n'],
  ])('refuses text with %s, naming the field', (_name, text) => {
    expect(problemsOf(() => newOrder('o-1', 'alice', { ...details, item: text }, t0))).toEqual(['item']);
    expect(problemsOf(() => newOrder('o-1', 'alice', { ...details, restaurant_id: text }, t0))).toEqual(['restaurant_id']);
  });

  it('takes text beyond the control characters: accents, emoji, U+00A0, U+2028', () => {
    for (const item of ['crème brûlée', 'ramen 🍜', 'a\u00a0b', 'a\u2028b', '~']) expect(newOrder('o-1', 'alice', { ...details, item }, t0).item).toBe(item);
  });

  it('needs an owner', () => {
    expect(problemsOf(() => newOrder('o-1', '', details, t0))).toEqual(['user_id']);
  });
});

describe('changeOrder', () => {
  const pending = newOrder('o-1', 'alice', details, t0);

  it('applies only the fields given, moves updated_at and counts one more version', () => {
    const changed = changeOrder(pending, { quantity: 5 }, t1);
    expect(changed).toEqual({ ...pending, quantity: 5, updated_at: t1.toISOString(), version: pending.version + 1 });
    expect(changed.created_at).toBe(t0.toISOString());
  });

  it('refuses a change with control characters, and changes nothing', () => {
    expect(problemsOf(() => changeOrder(pending, { item: 'x\u001b[2J' }, t1))).toEqual(['item']);
  });

  it('refuses an empty change', () => {
    expect(problemsOf(() => changeOrder(pending, {}, t1))).toEqual(['body']);
  });

  it('validates before looking at the status', () => {
    const paid = transitionOrder(pending, 'PAID', t1);
    expect(problemsOf(() => changeOrder(paid, { quantity: 0 }, t1))).toEqual(['quantity']);
  });

  it.each<OrderStatus>(['PAID', 'SUCCESS', 'FAILURE'])('is a conflict once the order is %s', (status) => {
    const order: Order = { ...pending, order_status: status };
    expect(() => changeOrder(order, { quantity: 3 }, t1)).toThrow(OrderConflictError);
  });
});

describe('status transitions', () => {
  const legal: Array<[OrderStatus, OrderStatus]> = [
    ['PENDING', 'PAID'],
    ['PENDING', 'FAILURE'],
    ['PAID', 'SUCCESS'],
    ['PAID', 'FAILURE'],
  ];

  it('allows exactly the happy path and the two failure points', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const expected = legal.some(([f, t]) => f === from && t === to);
        expect([from, to, canTransition(from, to)]).toEqual([from, to, expected]);
      }
    }
  });

  it('treats SUCCESS and FAILURE as final', () => {
    expect(ORDER_STATUSES.filter(isFinal)).toEqual(['SUCCESS', 'FAILURE']);
  });

  it('records the reason of a failure', () => {
    const failed = transitionOrder(newOrder('o-1', 'alice', details, t0), 'FAILURE', t1, 'Payment declined');
    expect(failed).toMatchObject({ order_status: 'FAILURE', error_message: 'Payment declined', updated_at: t1.toISOString() });
  });

  it('refuses a failure without a reason', () => {
    expect(problemsOf(() => transitionOrder(newOrder('o-1', 'alice', details, t0), 'FAILURE', t1))).toEqual(['error_message']);
  });

  it('refuses an illegal transition and leaves the order as it was', () => {
    const order = newOrder('o-1', 'alice', details, t0);
    const before = { ...order };
    expect(() => transitionOrder(order, 'SUCCESS', t1)).toThrow(OrderConflictError);
    expect(order).toEqual(before);
  });
});
