import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  authorizerEvent,
  bundlePath,
  coldStart,
  createSigningKey,
  loadBundle,
  startJwksServer,
  validToken,
  type JwksServer,
} from '@serverless-orders/testing';
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

describe('with tracing as deployed (Lambda environment, active tracing, the X-Ray daemon on loopback)', () => {
  // Outside Lambda the Tracer switches itself off; in Lambda it is on (AWS_EXECUTION_ENV), and
  // the X-Ray SDK keeps its context for every promise (LAMBDA_TASK_ROOT). The bundle runs here
  // in a fresh node process with the variables the runtime sets, one invocation after
  // another, each with its own trace header; the subsegments go to a UDP socket of this test.
  const traceHeader = (sampled: boolean) =>
    `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${'0'.repeat(16)}${Math.floor(Math.random() * 1e8).toString(16).padStart(8, '0')};Parent=53995c3f42cd8ad8;Sampled=${sampled ? 1 : 0}`;
  type Step = { sampled: boolean; authorization: string };
  type Segment = { name: string; annotations?: Record<string, unknown>; metadata?: Record<string, Record<string, unknown>>; fault?: boolean; error?: boolean };

  const RUN = `
    const steps = JSON.parse(process.env.STEPS);
    const { handler } = require(process.env.BUNDLE);
    (async () => {
      for (const [i, step] of steps.entries()) {
        process.env._X_AMZN_TRACE_ID = step.trace;
        const context = { awsRequestId: 'req-' + i, functionName: 'authorizer', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:authorizer', memoryLimitInMB: '256' };
        let outcome;
        try { outcome = { principalId: (await handler(step.event, context)).principalId }; } catch (error) { outcome = { error: error.message }; }
        process.stdout.write('STEP ' + JSON.stringify(outcome) + '\\n');
      }
      setTimeout(() => process.exit(0), 200); // the last datagram
    })();`;

  async function runInLambda(steps: Step[]): Promise<{ outcomes: unknown[]; segments: Segment[] }> {
    const daemon = createSocket('udp4');
    const segments: Segment[] = [];
    daemon.on('message', (message) => segments.push(JSON.parse(message.toString('utf8').split('\n')[1]) as Segment));
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    try {
      const env = {
        PATH: process.env.PATH ?? '',
        AUTH_SCHEME: 'cognito',
        COGNITO_USER_POOL_ID: POOL,
        COGNITO_CLIENT_ID: CLIENT_ID,
        COGNITO_JWKS_URI: server.jwksUri,
        POWERTOOLS_SERVICE_NAME: 'authorizer',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        AWS_REGION: 'eu-west-1',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        AWS_LAMBDA_FUNCTION_NAME: 'authorizer',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        LAMBDA_TASK_ROOT: path.dirname(bundlePath('authorizer')),
        _HANDLER: 'main.handler',
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
        AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
        BUNDLE: bundlePath('authorizer'),
        STEPS: JSON.stringify(steps.map((step) => ({ trace: traceHeader(step.sampled), event: authorizerEvent(step.authorization) }))),
      };
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['-e', RUN], { env, timeout: 20_000 }, (error, out) => (error ? reject(error) : resolve(out))),
      );
      const outcomes = stdout
        .split('\n')
        .filter((line) => line.startsWith('STEP '))
        .map((line) => JSON.parse(line.slice(5)) as unknown);
      return { outcomes, segments: segments.filter((segment) => segment.name === '## main.handler') };
    } finally {
      daemon.close();
    }
  }

  const expired = () => token({ exp: Math.floor(Date.now() / 1000) - 60 });

  it('answers as without tracing, and sends a ## main.handler subsegment for sampled requests only', async () => {
    const { outcomes, segments } = await runInLambda([
      { sampled: false, authorization: `Bearer ${token({ sub: 'cold-unsampled' })}` },
      { sampled: true, authorization: `Bearer ${token({ sub: 'sampled' })}` },
      { sampled: false, authorization: `Bearer ${token({ sub: 'unsampled' })}` },
      { sampled: true, authorization: `Bearer ${expired()}` },
      { sampled: false, authorization: `Bearer ${expired()}` },
    ]);
    expect(outcomes).toEqual([
      { principalId: 'cold-unsampled' },
      { principalId: 'sampled' },
      { principalId: 'unsampled' },
      { error: 'Unauthorized' },
      { error: 'Unauthorized' },
    ]);
    expect(segments).toHaveLength(2);
    const [allowed, refused] = segments;
    // The cold start was an unsampled invocation: the first sampled one is not annotated as one.
    expect(allowed.annotations).toEqual({ ColdStart: false, Service: 'authorizer' });
    expect(allowed.metadata?.['authorizer']?.['main.handler response']).toMatchObject({ principalId: 'sampled' });
    expect(refused.annotations).toEqual({ ColdStart: false, Service: 'authorizer' });
    expect(refused.fault || refused.error).toBe(true);
  });

  it('annotates a sampled cold start as one', async () => {
    const { outcomes, segments } = await runInLambda([
      { sampled: true, authorization: `Bearer ${token({ sub: 'cold-sampled' })}` },
      { sampled: true, authorization: `Bearer ${token({ sub: 'warm-sampled' })}` },
    ]);
    expect(outcomes).toEqual([{ principalId: 'cold-sampled' }, { principalId: 'warm-sampled' }]);
    expect(segments.map((segment) => segment.annotations?.['ColdStart'])).toEqual([true, false]);
  });
});
