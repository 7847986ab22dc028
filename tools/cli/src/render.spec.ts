import { json, orderText, ordersText, printable, table } from './render';

// A customer chooses the item and restaurant text; whatever they stored must reach another
// terminal as text, never as a control sequence.
const ESC_RED = '\u001b[31mred\u001b[0m';
const OSC_TITLE = '\u001b]0;pwned\u0007';
const C1_CSI = '\u009b31m';
const RTL_OVERRIDE = 'abc\u202edcba';

describe('printable', () => {
  it('writes ESC, BEL and C1 controls as escapes, so no terminal sequence survives', () => {
    expect(printable(ESC_RED)).toBe('\\x1b[31mred\\x1b[0m');
    expect(printable(OSC_TITLE)).toBe('\\x1b]0;pwned\\x07');
    expect(printable(C1_CSI)).toBe('\\x9b31m');
    // eslint-disable-next-line no-control-regex -- the point: no raw control character survives
    for (const text of [ESC_RED, OSC_TITLE, C1_CSI]) expect(printable(text)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('escapes newlines, tabs and bidirectional overrides, which would fake lines, columns or reorder text', () => {
    expect(printable('pizza\nSUCCESS\tx')).toBe('pizza\\x0aSUCCESS\\x09x');
    expect(printable(RTL_OVERRIDE)).toBe('abc\\u202edcba');
  });

  it('leaves ordinary text, accents and emoji alone', () => {
    expect(printable('Crème brûlée 🍮, 2×')).toBe('Crème brûlée 🍮, 2×');
    expect(printable(undefined)).toBe('');
    expect(printable(3)).toBe('3');
  });
});

describe('json', () => {
  it('escapes what JSON.stringify leaves raw (C1, bidi) and still parses to the same value', () => {
    const value = { item: `${ESC_RED}${C1_CSI}${RTL_OVERRIDE}` };
    const text = json(value);
    // Only the indentation's own newlines are raw.
    // eslint-disable-next-line no-control-regex -- the point: no raw control character survives
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain('\\u009b');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('order views', () => {
  const order = {
    id: '6f1c2a8e-0000-4000-8000-000000000001',
    restaurant_id: 'r-1',
    item: ESC_RED,
    quantity: 2,
    order_status: 'FAILURE',
    error_message: 'Error processing payment',
    created_at: '2026-01-01T12:00:00.000Z',
    updated_at: '2026-01-01T12:00:01.000Z',
  };

  it('shows one order as aligned fields, the failure reason beside the status, the item escaped', () => {
    expect(orderText(order).split('\n')).toEqual([
      'order       6f1c2a8e-0000-4000-8000-000000000001',
      'status      FAILURE (Error processing payment)',
      'restaurant  r-1',
      'item        \\x1b[31mred\\x1b[0m',
      'quantity    2',
      'created     2026-01-01T12:00:00.000Z',
      'updated     2026-01-01T12:00:01.000Z',
    ]);
  });

  it('lists orders as a table whose columns fit the escaped text, and says how to place a first one', () => {
    const lines = ordersText([order, { ...order, id: 'x', item: 'soup', order_status: 'SUCCESS' }]).split('\n');
    expect(lines[0]).toMatch(/^ORDER\s+STATUS\s+QTY\s+ITEM\s+RESTAURANT\s+CREATED$/);
    expect(lines[1].indexOf('r-1')).toBe(lines[2].indexOf('r-1'));
    expect(ordersText([])).toContain('orders create');
  });

  it('pads every column but the last', () => {
    expect(table(['A', 'B'], [['long value', 'x'], ['y', 'z']])).toBe('A           B\nlong value  x\ny           z');
  });
});
