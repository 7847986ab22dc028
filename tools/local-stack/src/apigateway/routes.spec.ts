import { ROUTES } from '@serverless-orders/http-contract';
import { matchGatewayRoute, routesFromDocument } from './routes';

const routes = routesFromDocument();

describe('routesFromDocument', () => {
  it('serves every operation of the shared document with its integration', () => {
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    const place = routes.find((r) => r.operationId === 'placeOrder');
    expect(place).toMatchObject({ method: 'POST', path: '/orders', integration: { kind: 'queue', queue: 'orders' }, successStatus: 202 });
    // The model is the document's own JSON Schema, what API Gateway's validator reads.
    expect(place?.bodyModel).toMatchObject({ type: 'object', required: ['restaurant_id', 'item', 'quantity'], additionalProperties: false });
    expect(routes.find((r) => r.operationId === 'getOrder')).toMatchObject({ integration: { kind: 'lambda', function: 'get-orders' } });
  });

  it('refuses an operation whose body has no JSON model', () => {
    const op = { operationId: 'x', 'x-orders-integration': { kind: 'lambda', function: 'get-orders' }, requestBody: { content: { 'text/plain': {} } } };
    expect(() => routesFromDocument({ paths: { '/x': { post: op } } })).toThrow('no application/json model');
  });

  it('refuses an operation without an integration', () => {
    expect(() => routesFromDocument({ paths: { '/x': { get: { operationId: 'x' } } } })).toThrow('x-orders-integration');
  });
});

describe('matchGatewayRoute', () => {
  it('matches methods, templates and parameters', () => {
    expect(matchGatewayRoute(routes, 'get', '/orders/abc')).toMatchObject({ route: { operationId: 'getOrder' }, pathParameters: { id: 'abc' } });
    expect(matchGatewayRoute(routes, 'GET', '/orders')?.route.operationId).toBe('listOrders');
    expect(matchGatewayRoute(routes, 'DELETE', '/order/u1/id/o1')).toMatchObject({ pathParameters: { userId: 'u1', id: 'o1' } });
    expect(matchGatewayRoute(routes, 'PATCH', '/orders')).toBeUndefined();
    expect(matchGatewayRoute(routes, 'GET', '/orders/a/b')).toBeUndefined();
    expect(matchGatewayRoute(routes, 'GET', '/orders/%E0%A4%A')).toMatchObject({ pathParameters: { id: '%E0%A4%A' } });
  });
});
