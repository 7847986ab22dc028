import Ajv from 'ajv-draft-04';
import { openApiDocument } from './openapi.document';
import { LegacyUpdateOrderBody, PlaceOrderBody, UpdateOrderBody } from './request.schemas';

/**
 * API Gateway validates request bodies against the JSON Schema the OpenAPI document carries,
 * not against zod. For POST /orders that validator is the only guard before the queue: a
 * body it lets through but the consumer refuses would be answered 202 and then lost to the
 * dead-letter queue. So the emitted schema must accept exactly what zod accepts there, and for
 * the Lambda routes it must never refuse what zod accepts. API Gateway's models are JSON Schema
 * draft 4: the emitted schema is read here by a draft-04 validator.
 */
const ajv = new Ajv({ strict: false, allErrors: true });
const doc = openApiDocument();
type Op = { requestBody: { content: { 'application/json': { schema: object } } } };
const emitted = (path: string, method: string) =>
  ajv.compile((doc.paths[path] as Record<string, Op>)[method].requestBody.content['application/json'].schema);

const texts = [
  'pizza',
  ' pizza ',
  '',
  ' ',
  '\t\n',
  'x'.repeat(200),
  'x'.repeat(201),
  ` ${'x'.repeat(199)} `,
  7,
  null,
  // Control characters (C0, DEL, C1) anywhere, a trailing line feed included; other text passes.
  'pizza\r\nX-Injected: 1\u0007',
  'r-1\u0000\u001b[31m',
  'pizza\n',
  '\u0000',
  'pizza\u007f',
  'pizza\u009b2J',
  'crème brûlée 🍜',
  'a\u2028b',
  'a\u00a0b',
];
const quantities = [1, 100, 0, 101, 2.5, -1, '1', '100', '007', ' 3 ', '0', '101', '1.5', 'three', '', '1e2', true, null, [3]];

const bodies: unknown[] = [
  ...texts.map((item) => ({ restaurant_id: 'r-1', item, quantity: 1 })),
  ...texts.map((restaurant_id) => ({ restaurant_id, item: 'pizza', quantity: 1 })),
  ...quantities.map((quantity) => ({ restaurant_id: 'r-1', item: 'pizza', quantity })),
  { restaurant_id: 'r-1', item: 'pizza' },
  { restaurant_id: 'r-1', item: 'pizza', quantity: 1, user_id: 'mallory' },
  {},
  [],
  'pizza',
];

describe('the emitted request schemas, as API Gateway’s validator applies them', () => {
  it('POST /orders: accepts exactly what the queue consumer accepts', () => {
    const gateway = emitted('/orders', 'post');
    for (const body of bodies) {
      expect({ body, gateway: gateway(body) }).toEqual({ body, gateway: PlaceOrderBody.safeParse(body).success });
    }
  });

  it('POST /orders and PUT /orders/{id}: refuse control characters in a text field', () => {
    for (const [path, method] of [['/orders', 'post'], ['/orders/{id}', 'put']]) {
      const gateway = emitted(path, method);
      expect(gateway({ restaurant_id: 'r-1', item: 'pizza\r\nX-Injected: 1\u0007', quantity: 1 })).toBe(false);
      expect(gateway({ restaurant_id: 'r-1\u0000\u001b[31m', item: 'pizza', quantity: 1 })).toBe(false);
      expect(gateway({ restaurant_id: 'r-1', item: 'pizza', quantity: 1 })).toBe(true);
    }
  });

  it.each([
    ['/orders/{id}', 'put', UpdateOrderBody, {}],
    ['/orders', 'put', LegacyUpdateOrderBody, { id: '6f1c1c1e-1b1a-4c4c-9d9d-0a0a0a0a0a0a' }],
  ] as const)('%s %s: never refuses a body the function accepts', (path, method, schema, extra) => {
    const gateway = emitted(path, method);
    const candidates = bodies.filter((b) => typeof b === 'object' && b !== null && !Array.isArray(b)).map((b) => ({ ...(b as object), ...extra }));
    const accepted = candidates.filter((b) => schema.safeParse(b).success);
    expect(accepted.length).toBeGreaterThan(5);
    for (const body of accepted) expect({ body, gateway: gateway(body) }).toEqual({ body, gateway: true });
  });
});
