import { headerMaps, headerValue, proxyEvent, queryMaps, requestAuthorizerEvent, requestTime, type GatewayRequest } from './events';

const stage = { apiId: 'abc123', stage: 'dev', accountId: '000000000000', region: 'us-east-1', domainName: '127.0.0.1:3000' };
const request: GatewayRequest = {
  requestId: 'req-1',
  method: 'GET',
  path: '/orders/42',
  resource: '/orders/{id}',
  pathParameters: { id: '42' },
  rawHeaders: ['Authorization', 'tok', 'User-Agent', 'jest', 'x-multi', 'a', 'X-Multi', 'b'],
  query: 'limit=5&tag=a&tag=b',
  body: null,
  sourceIp: '127.0.0.1',
  time: new Date(Date.UTC(2026, 10, 27, 2, 3, 4)),
};

describe('proxy events', () => {
  it('carries route, path, parameters, stage and the request id as API Gateway does', () => {
    const event = proxyEvent(request, stage, { claims: { sub: 'u1' } });
    expect(event).toMatchObject({
      resource: '/orders/{id}',
      path: '/orders/42',
      httpMethod: 'GET',
      pathParameters: { id: '42' },
      queryStringParameters: { limit: '5', tag: 'b' },
      multiValueQueryStringParameters: { limit: ['5'], tag: ['a', 'b'] },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
    expect(event.requestContext).toMatchObject({
      requestId: 'req-1',
      stage: 'dev',
      path: '/dev/orders/42',
      resourcePath: '/orders/{id}',
      httpMethod: 'GET',
      apiId: 'abc123',
      accountId: '000000000000',
      authorizer: { claims: { sub: 'u1' } },
      requestTime: '27/Nov/2026:02:03:04 +0000',
      requestTimeEpoch: request.time.getTime(),
      identity: { sourceIp: '127.0.0.1', userAgent: 'jest' },
    });
  });

  it('has null parameters when there are none', () => {
    const event = proxyEvent({ ...request, pathParameters: {}, query: '' }, stage);
    expect(event.pathParameters).toBeNull();
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
  });

  it('builds the REQUEST authorizer event with the method ARN', () => {
    const event = requestAuthorizerEvent(request, stage, 'arn:x');
    expect(event).toMatchObject({ type: 'REQUEST', methodArn: 'arn:x', resource: '/orders/{id}', headers: { Authorization: 'tok' } });
  });
});

describe('headers and queries', () => {
  it('keeps the last value and every value of a repeated header', () => {
    const { headers, multiValueHeaders } = headerMaps(request.rawHeaders);
    expect(headers['x-multi']).toBe('b');
    expect(multiValueHeaders['x-multi']).toEqual(['a', 'b']);
    expect(headerValue(request.rawHeaders, 'authorization')).toBe('tok');
    expect(headerValue(request.rawHeaders, 'missing')).toBeUndefined();
  });
  it('decodes the query string', () => {
    expect(queryMaps('q=a%20b').queryStringParameters).toEqual({ q: 'a b' });
  });
  it('formats requestTime', () => {
    expect(requestTime(new Date(Date.UTC(2026, 0, 5, 9, 8, 7)))).toBe('05/Jan/2026:09:08:07 +0000');
  });
});
