import { CognitoTokenVerifier } from '@serverless-orders/auth-cognito';
import { cognitoClaims, createSigningKey, mintJwt, startJwksServer, type JwksServer } from '@serverless-orders/testing';
import type { InvokeResult } from '@serverless-orders/local-aws';
import { claimsAsStrings, cognitoClaimsVerifier, cognitoDate, CognitoUserPoolAuthorizer, lambdaAuthorizerIdentityHeader, LambdaRequestAuthorizer } from './authorizers';
import type { GatewayRequest } from './events';

const stage = { apiId: 'abc123', stage: 'dev', accountId: '000000000000', region: 'us-east-1', domainName: 'localhost' };
const request = (authorization?: string, method = 'GET', path = '/orders'): GatewayRequest => ({
  requestId: 'r',
  method,
  path,
  resource: path,
  pathParameters: {},
  rawHeaders: authorization === undefined ? [] : ['Authorization', authorization],
  query: '',
  body: null,
  sourceIp: '127.0.0.1',
  time: new Date(),
});

const policy = (effect: string, resource: string, extra: Record<string, unknown> = {}) => ({
  principalId: 'user-1',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
  context: { sub: 'user-1', email: 'a@b.c' },
  ...extra,
});

function fakeAuthorizer(results: InvokeResult[], ttl = 300) {
  const calls: unknown[] = [];
  let now = 1_000;
  const clock = { now: () => now };
  const authorizer = new LambdaRequestAuthorizer(
    async (event) => {
      calls.push(event);
      return results[Math.min(calls.length - 1, results.length - 1)];
    },
    ttl,
    () => undefined,
    clock,
  );
  return { authorizer, calls, advance: (ms: number) => (now += ms) };
}

const ok = (payload: unknown): InvokeResult => ({ ok: true, payload });
const thrown = (message: string): InvokeResult => ({ ok: false, errorType: 'Error', errorMessage: message });
const ALL = 'arn:aws:execute-api:us-east-1:000000000000:abc123/dev/*/*';

describe('LambdaRequestAuthorizer', () => {
  it.each([undefined, '', '   '])('no identity source (%p) → 401 without invoking', async (header) => {
    const { authorizer, calls } = fakeAuthorizer([ok(policy('Allow', ALL))]);
    expect(await authorizer.authorize(request(header), stage)).toMatchObject({ ok: false, status: 401, message: 'Unauthorized' });
    expect(calls).toHaveLength(0);
  });

  it('"Unauthorized" thrown → 401', async () => {
    const { authorizer } = fakeAuthorizer([thrown('Unauthorized')]);
    expect(await authorizer.authorize(request('t'), stage)).toMatchObject({ status: 401, message: 'Unauthorized' });
  });

  it('any other error → 500', async () => {
    const { authorizer } = fakeAuthorizer([thrown('boom')]);
    expect(await authorizer.authorize(request('t'), stage)).toMatchObject({ status: 500, errorType: 'AuthorizerConfigurationException' });
  });

  it('a malformed policy → 500', async () => {
    const { authorizer } = fakeAuthorizer([ok({ principalId: 'u' })]);
    expect(await authorizer.authorize(request('t'), stage)).toMatchObject({ status: 500 });
  });

  it('Deny → 403', async () => {
    const { authorizer } = fakeAuthorizer([ok(policy('Deny', ALL))]);
    expect(await authorizer.authorize(request('t'), stage)).toMatchObject({ status: 403 });
  });

  it('an Allow for another resource → 403', async () => {
    const { authorizer } = fakeAuthorizer([ok(policy('Allow', 'arn:aws:execute-api:us-east-1:000000000000:abc123/dev/POST/orders'))]);
    expect(await authorizer.authorize(request('t', 'GET'), stage)).toMatchObject({ status: 403 });
  });

  it('Allow → principalId and context in requestContext.authorizer, the principal for the queue', async () => {
    const { authorizer, calls } = fakeAuthorizer([ok(policy('Allow', ALL))]);
    const result = await authorizer.authorize(request('Bearer t', 'GET', '/orders/1'), stage);
    expect(result).toEqual({
      ok: true,
      authorizer: { principalId: 'user-1', integrationLatency: 0, sub: 'user-1', email: 'a@b.c' },
      principal: { sub: 'user-1', email: 'a@b.c' },
    });
    expect(calls[0]).toMatchObject({ type: 'REQUEST', methodArn: 'arn:aws:execute-api:us-east-1:000000000000:abc123/dev/GET/orders/1' });
  });

  it('caches the answer per identity source for the TTL and evaluates it against each route', async () => {
    const narrow = policy('Allow', 'arn:aws:execute-api:us-east-1:000000000000:abc123/dev/GET/orders');
    const { authorizer, calls, advance } = fakeAuthorizer([ok(narrow)], 300);
    expect((await authorizer.authorize(request('t'), stage)).ok).toBe(true);
    expect((await authorizer.authorize(request('t', 'POST'), stage)).ok).toBe(false);
    expect(calls).toHaveLength(1);
    await authorizer.authorize(request('other'), stage);
    expect(calls).toHaveLength(2);
    advance(301_000);
    await authorizer.authorize(request('t'), stage);
    expect(calls).toHaveLength(3);
  });

  it('passes context values on as strings', async () => {
    const { authorizer } = fakeAuthorizer([ok(policy('Allow', ALL, { context: { n: 1, b: true, s: 'x' } }))]);
    expect(await authorizer.authorize(request('t'), stage)).toMatchObject({ authorizer: { n: '1', b: 'true', s: 'x', principalId: 'user-1' } });
  });

  // Infra deploys the REQUEST authorizer with identitySource method.request.header.<SHARED_SECRET_HEADER>
  // for the shared-secret scheme: API Gateway then looks only at that header.
  it('reads the identity from the identity-source header it is given, not from Authorization', async () => {
    const calls: unknown[] = [];
    const authorizer = new LambdaRequestAuthorizer(
      async (event) => {
        calls.push(event);
        return ok(policy('Allow', ALL));
      },
      300,
      () => undefined,
      Date,
      'X-Api-Secret',
    );
    expect(await authorizer.authorize(request('Bearer token-in-authorization'), stage)).toMatchObject({ ok: false, status: 401 });
    expect(calls).toHaveLength(0);
    const custom = { ...request(undefined), rawHeaders: ['x-api-secret', 'the-secret'] };
    expect(await authorizer.authorize(custom, stage)).toMatchObject({ ok: true });
    expect(calls).toHaveLength(1);
    expect((calls[0] as { headers: Record<string, string> }).headers).toMatchObject({ 'x-api-secret': 'the-secret' });
    // The cache is keyed by the identity source's value.
    expect(await authorizer.authorize({ ...custom, rawHeaders: ['X-Api-Secret', 'the-secret'] }, stage)).toMatchObject({ ok: true });
    expect(calls).toHaveLength(1);
  });

  it('takes its identity-source header from the authorizer function\'s settings, as infra does', () => {
    expect(lambdaAuthorizerIdentityHeader({ AUTH_SCHEME: 'shared-secret', SHARED_SECRET_HEADER: 'X-Api-Secret' })).toBe('X-Api-Secret');
    expect(lambdaAuthorizerIdentityHeader({ AUTH_SCHEME: 'shared-secret' })).toBe('Authorization');
    expect(lambdaAuthorizerIdentityHeader({ AUTH_SCHEME: 'cognito', SHARED_SECRET_HEADER: 'X-Api-Secret' })).toBe('Authorization');
    expect(lambdaAuthorizerIdentityHeader({})).toBe('Authorization');
    expect(() => lambdaAuthorizerIdentityHeader({ AUTH_SCHEME: 'shared-secret', SHARED_SECRET_HEADER: 'not a header' })).toThrow(/SHARED_SECRET_HEADER/);
  });

  it('does not cache with a TTL of 0', async () => {
    const { authorizer, calls } = fakeAuthorizer([ok(policy('Allow', ALL))], 0);
    await authorizer.authorize(request('t'), stage);
    await authorizer.authorize(request('t'), stage);
    expect(calls).toHaveLength(2);
  });
});

describe('CognitoUserPoolAuthorizer', () => {
  const claims = { sub: 'u1', email: 'a@b.c', email_verified: true, exp: 1_800_000_000, 'cognito:groups': ['a', 'b'] };
  const verifier = jest.fn(async (token: string) => (token === 'good' ? claims : undefined));

  it('no header → 401 without verifying', async () => {
    verifier.mockClear();
    const authorizer = new CognitoUserPoolAuthorizer(verifier);
    expect(await authorizer.authorize(request(undefined))).toMatchObject({ status: 401 });
    expect(await authorizer.authorize(request(' '))).toMatchObject({ status: 401 });
    expect(verifier).not.toHaveBeenCalled();
  });

  it('an invalid token → 401; a verifier that throws → 401', async () => {
    expect(await new CognitoUserPoolAuthorizer(verifier).authorize(request('bad'))).toMatchObject({ status: 401 });
    const throwing = new CognitoUserPoolAuthorizer(async () => {
      throw new Error('down');
    });
    expect(await throwing.authorize(request('good'))).toMatchObject({ status: 401 });
  });

  it('a valid token, raw or after Bearer → the claims as strings', async () => {
    const authorizer = new CognitoUserPoolAuthorizer(verifier);
    for (const header of ['good', 'Bearer good', 'bearer good']) {
      const result = await authorizer.authorize(request(header));
      expect(result).toMatchObject({ ok: true, authorizer: { claims: { sub: 'u1', email_verified: 'true', 'cognito:groups': 'a,b' } } });
    }
  });

  it('renders time claims as API Gateway does', () => {
    expect(cognitoDate(new Date(Date.UTC(2026, 10, 27, 2, 3, 4)))).toBe('Fri Nov 27 02:03:04 UTC 2026');
    expect(claimsAsStrings({ exp: 0 }).exp).toBe('Thu Jan 01 00:00:00 UTC 1970');
  });
});

// The wiring the local stack uses, through the real Cognito adapter and a minted ID token: what
// reaches requestContext.authorizer.claims must look as API Gateway's COGNITO_USER_POOLS
// authorizer renders it (time claims as dates, not epoch numbers or epoch strings).
describe('CognitoUserPoolAuthorizer through CognitoTokenVerifier', () => {
  const poolId = 'us-east-1_LocalTest';
  const clientId = 'local-client';
  const key = createSigningKey('RS256', 'gateway-test');
  let jwks: JwksServer;
  beforeAll(async () => {
    jwks = await startJwksServer({ keys: [key], path: `/${poolId}/.well-known/jwks.json` });
  });
  afterAll(() => jwks.close());

  it('hands the claims on as API Gateway does: strings, times as "Fri Nov 27 02:03:04 UTC 2026", groups joined', async () => {
    const verifier = new CognitoTokenVerifier({ userPoolId: poolId, clientIds: [clientId], tokenUse: 'id', jwksUri: jwks.jwksUri, jwksTimeoutMs: 2_000 });
    const payload: Record<string, unknown> = {
      ...cognitoClaims({ issuer: `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`, clientId, tokenUse: 'id', sub: 'user-9', groups: ['a', 'b'] }),
      email: 'ana@example.com',
      email_verified: true,
    };
    const authorizer = new CognitoUserPoolAuthorizer(cognitoClaimsVerifier(verifier));
    const result = await authorizer.authorize(request(`Bearer ${mintJwt(key, payload)}`));
    if (!result.ok) throw new Error(`refused: ${JSON.stringify(result)}`);
    const claims = result.authorizer.claims as Record<string, string>;
    const date = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/;
    for (const name of ['exp', 'iat', 'auth_time'] as const) {
      expect(claims[name]).toMatch(date);
      expect(claims[name]).toBe(cognitoDate(new Date(Number(payload[name]) * 1000)));
    }
    expect(claims).toMatchObject({ sub: 'user-9', aud: clientId, token_use: 'id', email_verified: 'true', 'cognito:groups': 'a,b' });
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
    expect(result.principal.sub).toBe('user-9');
  });

  it('a token the verifier refuses → 401, with the reason logged', async () => {
    const verifier = new CognitoTokenVerifier({ userPoolId: poolId, clientIds: [clientId], tokenUse: 'id', jwksUri: jwks.jwksUri, jwksTimeoutMs: 2_000 });
    const lines: string[] = [];
    const authorizer = new CognitoUserPoolAuthorizer(cognitoClaimsVerifier(verifier, (l) => lines.push(l)));
    const foreign = mintJwt(key, cognitoClaims({ issuer: `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`, clientId: 'another-client', tokenUse: 'id' }));
    expect(await authorizer.authorize(request(foreign))).toMatchObject({ ok: false, status: 401 });
    expect(lines.join('\n')).toMatch(/token refused/);
  });
});
