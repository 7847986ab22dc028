import { Socket } from 'node:net';
import { settingsFor } from '@serverless-orders/auth-domain';
import { createObservability } from '@serverless-orders/platform-lambda';
import { authorizerEvent } from '@serverless-orders/testing';
import { createAuthorizerHandler } from './authorizer';

const SECRET = 'an-entirely-private-shared-secret';

/** Everything written to stdout/stderr while `run` runs (Powertools prints there). */
async function output(run: () => Promise<unknown>): Promise<string> {
  const written: string[] = [];
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await run().catch(() => undefined);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return written.join('');
}

describe('authorizer handler (shared-secret scheme: no servers needed)', () => {
  const handler = createAuthorizerHandler({ AUTH_SCHEME: 'shared-secret', SHARED_SECRET: SECRET, SHARED_SECRET_PRINCIPAL: 'legacy' });

  it('allows the secret on the whole stage', async () => {
    await expect(handler(authorizerEvent(SECRET))).resolves.toEqual({
      principalId: 'legacy',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/*/*' }],
      },
      context: { sub: 'legacy', email: '', groups: '', token_use: 'shared-secret' },
    });
  });

  it('reads the header whatever its case, raw or Bearer', async () => {
    await expect(handler(authorizerEvent(`bearer ${SECRET}`, { headerName: 'authorization' }))).resolves.toMatchObject({ principalId: 'legacy' });
  });

  it('answers a TOKEN authorizer event too', async () => {
    const event = { type: 'TOKEN' as const, authorizationToken: `Bearer ${SECRET}`, methodArn: authorizerEvent(SECRET).methodArn };
    await expect(handler(event)).resolves.toMatchObject({ principalId: 'legacy' });
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['"Bearer" alone', 'Bearer'],
    ['a wrong secret', 'an-entirely-private-shared-secreT'],
  ])('throws exactly Error("Unauthorized") for %s', async (_, header) => {
    const failure = await handler(authorizerEvent(header)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toEqual(new Error('Unauthorized'));
    expect((failure as Error).message).toBe('Unauthorized');
  });

  it('refuses a valid secret on a request whose methodArn is not an execute-api ARN', async () => {
    await expect(handler(authorizerEvent(SECRET, { methodArn: 'arn:aws:s3:::bucket' }))).rejects.toThrow(new Error('Unauthorized'));
  });

  it.each([null, undefined, 'not an event', {}])('refuses a nonsense event %p without crashing', async (event) => {
    await expect(handler(event as never)).rejects.toThrow(new Error('Unauthorized'));
  });

  it('logs the reason of a denial and never the token', async () => {
    const wrong = 'this-is-a-wrong-secret-value-123';
    const logs = await output(() => handler(authorizerEvent(`Bearer ${wrong}`)));
    expect(logs).toContain('"reason":"bad-signature"');
    expect(logs).not.toContain(wrong);
    const allowed = await output(() => handler(authorizerEvent(SECRET)));
    expect(allowed).not.toContain(SECRET);
  });

  it('writes nothing for an allowed caller at INFO (as deployed); at DEBUG, an "allowed" line naming the caller', async () => {
    expect(await output(() => handler(authorizerEvent(SECRET)))).toBe('');
    const obs = createObservability('authorizer-test');
    obs.logger.setLogLevel('DEBUG');
    const debugging = createAuthorizerHandler({ AUTH_SCHEME: 'shared-secret', SHARED_SECRET: SECRET, SHARED_SECRET_PRINCIPAL: 'legacy' }, obs);
    const logs = await output(() => debugging(authorizerEvent(SECRET)));
    expect(JSON.parse(logs)).toMatchObject({ level: 'DEBUG', message: 'allowed', sub: 'legacy', token_use: 'shared-secret' });
    expect(logs).not.toContain(SECRET);
  });

  it('logs a refusal at WARN, with its reason and the request id', async () => {
    const event = authorizerEvent('a-wrong-secret-of-some-length');
    const line = JSON.parse(await output(() => handler(event)));
    expect(line).toMatchObject({ level: 'WARN', message: 'denied', reason: 'bad-signature', correlation_id: event.requestContext.requestId });
  });

  describe('an identity header sent more than once (API Gateway hands over every value)', () => {
    it.each([
      ['twice under one name, the right secret then a wrong one', [['Authorization', 'a-wrong-secret-of-some-length']]],
      ['twice under one name, a wrong secret then the right one', [['Authorization', SECRET]]],
      ['the right secret twice', [['Authorization', SECRET]]],
      ['under two spellings of the name', [['authorization', SECRET]]],
    ] as const)('refuses it sent %s: 401, reason ambiguous-identity', async (name, repeated) => {
      const first = name.startsWith('twice under one name, a wrong') ? 'a-wrong-secret-of-some-length' : SECRET;
      const event = authorizerEvent(first, { repeated });
      let failure: unknown;
      const logs = await output(() => handler(event).catch((error: unknown) => (failure = error)));
      expect(failure).toEqual(new Error('Unauthorized'));
      expect(JSON.parse(logs)).toMatchObject({ level: 'WARN', message: 'denied', reason: 'ambiguous-identity' });
      expect(logs).not.toContain(SECRET);
    });

    it('refuses the configured header sent twice, and minds no other header sent twice', async () => {
      const custom = createAuthorizerHandler({ AUTH_SCHEME: 'shared-secret', SHARED_SECRET: SECRET, SHARED_SECRET_HEADER: 'X-Api-Secret' });
      await expect(custom(authorizerEvent(SECRET, { headerName: 'X-Api-Secret', repeated: [['x-api-secret', SECRET]] }))).rejects.toThrow(
        new Error('Unauthorized'),
      );
      const withAuthorizationTwice = authorizerEvent(SECRET, {
        headerName: 'X-Api-Secret',
        headers: { Authorization: 'one' },
        repeated: [['Authorization', 'two'], ['Accept', 'text/html']],
      });
      await expect(custom(withAuthorizationTwice)).resolves.toMatchObject({ principalId: 'shared-secret-client' });
    });

    it('reads an event that has only multiValueHeaders', async () => {
      const event = { ...authorizerEvent(SECRET), headers: null } as never;
      await expect(handler(event)).resolves.toMatchObject({ principalId: 'legacy' });
    });
  });

  it('uses the configured header for the shared secret', async () => {
    const custom = createAuthorizerHandler({ AUTH_SCHEME: 'shared-secret', SHARED_SECRET: SECRET, SHARED_SECRET_HEADER: 'X-Api-Secret' });
    await expect(custom(authorizerEvent(SECRET, { headerName: 'x-api-secret' }))).resolves.toMatchObject({ principalId: 'shared-secret-client' });
    await expect(custom(authorizerEvent(SECRET))).rejects.toThrow('Unauthorized');
  });
});

describe('cold start configuration', () => {
  const obs = createObservability('authorizer-test');
  it.each([
    [{}, 'AUTH_SCHEME'],
    [{ AUTH_SCHEME: 'kerberos' }, 'AUTH_SCHEME'],
    [{ AUTH_SCHEME: 'cognito', COGNITO_CLIENT_ID: 'c' }, 'COGNITO_USER_POOL_ID'],
    [{ AUTH_SCHEME: 'cognito', COGNITO_USER_POOL_ID: 'eu-west-1_x' }, 'COGNITO_CLIENT_ID'],
    [{ AUTH_SCHEME: 'cognito', COGNITO_USER_POOL_ID: 'local_x', COGNITO_CLIENT_ID: 'c' }, 'COGNITO_ISSUER'],
    [{ AUTH_SCHEME: 'oidc', OIDC_AUDIENCE: 'a' }, 'OIDC_ISSUER'],
    [{ AUTH_SCHEME: 'oidc', OIDC_ISSUER: 'https://i' }, 'OIDC_AUDIENCE'],
    [{ AUTH_SCHEME: 'shared-secret' }, 'SHARED_SECRET'],
    [{ AUTH_SCHEME: 'cognito', COGNITO_USER_POOL_ID: 'eu-west-1_x', COGNITO_CLIENT_ID: 'c', COGNITO_MAX_TOKEN_LIFETIME_SECONDS: '1d' }, 'COGNITO_MAX_TOKEN_LIFETIME_SECONDS'],
    [{ AUTH_SCHEME: 'oidc', OIDC_ISSUER: 'https://i', OIDC_AUDIENCE: 'a', OIDC_MAX_TOKEN_LIFETIME_SECONDS: '0' }, 'OIDC_MAX_TOKEN_LIFETIME_SECONDS'],
  ])('fails naming the missing or bad setting: %p', (env, name) => {
    expect(() => createAuthorizerHandler(env, obs)).toThrow(name);
  });

  it('refuses a JWKS URI that would move the key download away from the issuer it trusts', () => {
    const env = { AUTH_SCHEME: 'cognito', COGNITO_USER_POOL_ID: 'eu-west-1_x', COGNITO_CLIENT_ID: 'c' };
    expect(() => createAuthorizerHandler({ ...env, COGNITO_JWKS_URI: 'https://keys.example.com/jwks.json' }, obs)).toThrow('COGNITO_JWKS_URI');
    expect(typeof createAuthorizerHandler({ ...env, COGNITO_JWKS_URI: 'http://127.0.0.1:9229/eu-west-1_x/.well-known/jwks.json' }, obs)).toBe('function');
  });

  // What infra and the README publish (AUTHORIZER_SETTINGS) is exactly what each scheme reads:
  // the settings read are recorded from a real cold start of the handler, scheme by scheme.
  it.each([
    ['cognito', { AUTH_SCHEME: 'cognito', COGNITO_USER_POOL_ID: 'eu-west-1_x', COGNITO_CLIENT_ID: 'c' }],
    ['oidc', { AUTH_SCHEME: 'oidc', OIDC_ISSUER: 'https://idp.example.com', OIDC_AUDIENCE: 'api' }],
    ['shared-secret', { AUTH_SCHEME: 'shared-secret', SHARED_SECRET: SECRET }],
  ] as const)('the %s scheme reads every setting it publishes, and no other', (scheme, env) => {
    const read = new Set<string>();
    const recording = new Proxy({ ...env } as Record<string, string | undefined>, {
      get(target, name) {
        if (typeof name === 'string') read.add(name);
        return target[name as string];
      },
    });
    createAuthorizerHandler(recording as NodeJS.ProcessEnv, obs);
    expect([...read].sort()).toEqual(settingsFor(scheme).map((setting) => setting.name).sort());
  });

  it.each([
    { AUTH_SCHEME: 'cognito', COGNITO_USER_POOL_ID: 'eu-west-1_x', COGNITO_CLIENT_ID: 'c' },
    { AUTH_SCHEME: 'oidc', OIDC_ISSUER: 'https://idp.example.com', OIDC_AUDIENCE: 'api' },
    { AUTH_SCHEME: 'shared-secret', SHARED_SECRET: SECRET },
  ])('builds a handler for $AUTH_SCHEME without opening a connection (the keys are fetched on the first token)', async (env) => {
    const connect = jest.spyOn(Socket.prototype, 'connect');
    try {
      createAuthorizerHandler(env, obs);
      await new Promise((resolve) => setImmediate(resolve));
      expect(connect).not.toHaveBeenCalled();
    } finally {
      connect.mockRestore();
    }
  });
});
