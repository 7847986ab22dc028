/**
 * What `orders` prints. Anything that came from the stack (an item, a restaurant, an error
 * message, a workflow's cause) can hold characters a terminal obeys: ESC starts a control
 * sequence (`\u001b[31m` turns the text red, others move the cursor, retitle the window or
 * rewrite the clipboard), C1 controls such as U+009B do the same on many terminals, and
 * bidirectional overrides reorder what is shown. Text output escapes them all, and JSON output
 * escapes the ones JSON.stringify leaves raw, so no stored text reaches the terminal as a command.
 */

// C0 controls (newline and tab too: a value must not start a new line or a fake column),
// DEL, C1 controls, the line and paragraph separators, and the bidirectional marks and overrides.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// What JSON.stringify leaves raw in a string: everything above except C0 (which it escapes).
const UNSAFE_IN_JSON = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, '0');

/** The text with every character a terminal could act on written as an escape (`\x1b`, `\u202e`). */
export function printable(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  return text.replace(UNSAFE, (c) => (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/** JSON, indented, with no character a terminal could act on (the escapes keep it valid JSON for the same value). */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (c) => `\\u${hex(c, 4)}`);
}

/** An order as the API shows it. */
export interface OrderView {
  readonly id?: string;
  readonly restaurant_id?: string;
  readonly item?: string;
  readonly quantity?: number;
  readonly order_status?: string;
  readonly error_message?: string;
  readonly created_at?: string;
  readonly updated_at?: string;
}

/** `label  value` lines, the labels aligned. */
function fields(rows: Array<[string, unknown]>): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${printable(value)}`).join('\n');
}

/** Columns padded to their widest cell; cells are escaped first, so widths are what is shown. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  const cells = [header.map((h) => h), ...rows.map((r) => r.map(printable))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

export function orderText(order: OrderView): string {
  return fields([
    ['order', order.id],
    ['status', order.order_status === 'FAILURE' && order.error_message ? `FAILURE (${order.error_message})` : order.order_status],
    ['restaurant', order.restaurant_id],
    ['item', order.item],
    ['quantity', order.quantity],
    ['created', order.created_at],
    ['updated', order.updated_at],
  ]);
}

export function ordersText(orders: readonly OrderView[]): string {
  if (orders.length === 0) return 'no orders yet: place one with orders create --restaurant <id> --item <name> --quantity <n>';
  return table(
    ['ORDER', 'STATUS', 'QTY', 'ITEM', 'RESTAURANT', 'CREATED'],
    orders.map((o) => [o.id, o.order_status, o.quantity, o.item, o.restaurant_id, o.created_at]),
  );
}
