import { allowedMethods, AUTHORIZER_SCHEME, INTEGRATION_EXTENSION, openApiDocument, preflightHeaders, ROUTES } from './openapi.document';
import { FUNCTIONS } from '@serverless-orders/function-catalogue';

type Operation = {
  security: unknown[];
  requestBody?: { content: { 'application/json': { schema: { properties: Record<string, unknown>; additionalProperties?: boolean } } } };
  [INTEGRATION_EXTENSION]: { kind: string; function?: string };
};

describe('the OpenAPI document', () => {
  const doc = openApiDocument();
  const operation = (path: string, method: string) => (doc.paths[path] as Record<string, Operation>)[method];

  it('has every route, including the seed’s aliases', () => {
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(listed.sort()).toEqual(
      [
        'DELETE /order/{userId}/id/{id}',
        'DELETE /orders/{id}',
        'GET /orders',
        'GET /orders/{id}',
        'POST /orders',
        'PUT /orders',
        'PUT /orders/{id}',
      ].sort(),
    );
  });

  it('protects every operation with the authorizer', () => {
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops as Record<string, Operation>)) expect(op.security).toEqual([{ [AUTHORIZER_SCHEME]: [] }]);
    }
  });

  it('sends POST /orders to the queue and everything else to a function of the catalogue', () => {
    expect(operation('/orders', 'post')[INTEGRATION_EXTENSION]).toEqual({ kind: 'queue', queue: 'orders' });
    const apps = FUNCTIONS.map((f) => f.app) as string[];
    for (const route of ROUTES.filter((r) => r.integration.kind === 'lambda')) {
      expect(apps).toContain((route.integration as { function: string }).function);
    }
  });

  it('emits the request schema for API Gateway’s validator, closed to unknown fields', () => {
    const schema = operation('/orders', 'post').requestBody?.content['application/json'].schema;
    if (!schema) throw new Error('POST /orders has no request schema');
    expect(Object.keys(schema.properties).sort()).toEqual(['item', 'quantity', 'restaurant_id']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.quantity).toEqual({
      anyOf: [
        { type: 'integer', minimum: 1, maximum: 100 },
        { type: 'string', pattern: expect.any(String) },
      ],
    });
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});

describe('CORS preflight', () => {
  it('lists each path’s own methods, and OPTIONS', () => {
    expect(allowedMethods('/orders')).toEqual(['POST', 'GET', 'PUT', 'OPTIONS']);
    expect(allowedMethods('/order/{userId}/id/{id}')).toEqual(['DELETE', 'OPTIONS']);
  });

  it('allows the Authorization header a browser must send', () => {
    expect(preflightHeaders('/orders/{id}', 'https://shop.example')).toEqual({
      'Access-Control-Allow-Origin': 'https://shop.example',
      'Access-Control-Allow-Methods': 'GET,PUT,DELETE,OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization,Content-Type',
      'Access-Control-Max-Age': '600',
    });
  });
});
