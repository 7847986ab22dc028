import { readFileSync } from 'node:fs';
import { authorizerEvent, bundlePath, coldStart, createSigningKey, loadBundle, startJwksServer, validToken, type JwksServer } from '@serverless-orders/testing';
import type { AuthorizerHandler } from './authorizer';

// The built bundle (dist/apps/authorizer/main.js), loaded as Lambda loads it: proves it runs
// without decorator metadata, fails fast on bad configuration, and carries no AWS SDK.
const POOL = 'eu-west-1_BundlePool';
const CLIENT_ID = 'bundle-client';
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
const key = createSigningKey('RS256', 'bundle-key');
let server: JwksServer;
let handler: AuthorizerHandler;

async function printed(run: () => Promise<unknown>): Promise<{ result: unknown; output: string }> {
  const written: string[] = [];
  const capture = (chunk: unknown) => (written.push(String(chunk)), true);
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    const result = await run().catch((error: unknown) => error);
    return { result, output: written.join('') };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

beforeAll(async () => {
  server = await startJwksServer({ keys: [key], path: `/${POOL}/.well-known/jwks.json` });
  handler = loadBundle<AuthorizerHandler>('authorizer', {
    AUTH_SCHEME: 'cognito',
    COGNITO_USER_POOL_ID: POOL,
    COGNITO_CLIENT_ID: CLIENT_ID,
    COGNITO_JWKS_URI: server.jwksUri,
  });
});
afterAll(() => server.close());

const token = (extra = {}) => validToken({ issuer: ISSUER, clientId: CLIENT_ID, tokenUse: 'id', rsa: key, ec: key, jwks: server }, extra);

it('allows a valid token with an Allow policy on the stage', async () => {
  const { result } = await printed(() => handler(authorizerEvent(`Bearer ${token({ sub: 'bundle-user' })}`)));
  expect(result).toMatchObject({
    principalId: 'bundle-user',
    policyDocument: { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/*/*' }] },
    context: { sub: 'bundle-user', token_use: 'id' },
  });
});

it('throws exactly Error("Unauthorized"), logging the reason and not the token', async () => {
  const expired = token({ exp: Math.floor(Date.now() / 1000) - 60 });
  const { result, output } = await printed(() => handler(authorizerEvent(`Bearer ${expired}`)));
  expect(result).toEqual(new Error('Unauthorized'));
  expect(output).toContain('"reason":"expired"');
  expect(output).not.toContain(expired);
  expect(output).not.toContain(expired.split('.')[2]);
});

it('follows a key rotation: kid B served after start is fetched and allowed, a kid never served is a 401', async () => {
  const rotated = createSigningKey('ES256', 'bundle-key-rotated');
  const ctx = { issuer: ISSUER, clientId: CLIENT_ID, tokenUse: 'id' as const, rsa: key, ec: key, jwks: server };
  try {
    await expect(printed(() => handler(authorizerEvent(token({ sub: 'kid-a' }))))).resolves.toMatchObject({ result: { principalId: 'kid-a' } });
    server.setKeys([rotated]);
    const before = server.requests;
    await expect(printed(() => handler(authorizerEvent(validToken(ctx, { sub: 'kid-b' }, rotated))))).resolves.toMatchObject({
      result: { principalId: 'kid-b', policyDocument: { Statement: [{ Effect: 'Allow' }] } },
    });
    expect(server.requests - before).toBe(1);
    const { result, output } = await printed(() => handler(authorizerEvent(validToken(ctx, {}, createSigningKey('RS256', 'never-served')))));
    expect(result).toEqual(new Error('Unauthorized'));
    expect(output).toContain('"reason":"unknown-key"');
  } finally {
    server.setKeys([key]);
  }
});

it('fails at cold start naming a missing setting', () => {
  const { status, stderr } = coldStart('authorizer', { AUTH_SCHEME: 'cognito', COGNITO_USER_POOL_ID: POOL });
  expect(status).not.toBe(0);
  expect(stderr).toContain('COGNITO_CLIENT_ID');
});

it('fails at cold start naming COGNITO_JWKS_URI when it points away from AWS without COGNITO_ISSUER', () => {
  const { status, stderr } = coldStart('authorizer', {
    AUTH_SCHEME: 'cognito',
    COGNITO_USER_POOL_ID: POOL,
    COGNITO_CLIENT_ID: CLIENT_ID,
    COGNITO_JWKS_URI: 'https://keys.example.com/jwks.json',
  });
  expect(status).not.toBe(0);
  expect(stderr).toContain('COGNITO_JWKS_URI');
});

it('carries no AWS SDK', () => {
  const map = JSON.parse(readFileSync(`${bundlePath('authorizer')}.map`, 'utf8')) as { sources: string[] };
  expect(map.sources.filter((source) => /node_modules\/@aws-sdk\//.test(source))).toEqual([]);
  expect(readFileSync(bundlePath('authorizer'), 'utf8')).not.toMatch(/@aws-sdk\/client-/);
});
