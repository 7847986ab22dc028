import { randomBytes } from 'node:crypto';
import {
  AdminInitiateAuthCommand,
  ConfirmSignUpCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoSecretHash } from '@serverless-orders/auth-cognito';
import { eventually, startStack, type StartedStack } from '../test/local-stack.process';
import { call, cognitoClient } from '../test/users';

// Everything the stack prints in its most talkative mode (--verbose: the functions' raw lines
// and the identity provider's debug output, which dumps requests, users with their passwords and
// refresh tokens, and whole pools; --log-level DEBUG), over a whole session of a user, holds
// none of the secrets that session used: the password, the ID, access and refresh tokens (every
// one issued), the app client's secret, and each SECRET_HASH sent.
describe.each(['cognito', 'lambda'] as const)('a verbose run with the %s authorizer', (mode) => {
  let stack: StartedStack;
  const secrets = new Map<string, string>();
  const remember = (what: string, value: string | undefined) => {
    if (value) secrets.set(value, what);
  };
  const rememberTokens = (what: string, result: AuthenticationResultType | undefined) => {
    remember(`${what} ID token`, result?.IdToken);
    remember(`${what} access token`, result?.AccessToken);
    remember(`${what} refresh token`, result?.RefreshToken);
  };

  beforeAll(async () => {
    stack = await startStack(['--verbose', '--log-level', 'DEBUG', '--authorizer', mode, '--payment-failure-rate', '0', '--restaurant-failure-rate', '0']);
  }, 90_000);
  afterAll(async () => {
    await stack?.dispose();
  }, 30_000);

  it('prints none of the secrets of a session: sign-up, confirmation, sign-in, orders, a refreshed token', async () => {
    const o = stack.outputs;
    const email = `secrets-${mode}-${Date.now()}@example.com`;
    const password = `Pw-${randomBytes(12).toString('hex')}`;
    const clientId = o.userPoolClientId;
    const hash = cognitoSecretHash(email, clientId, o.userPoolClientSecret);
    remember('password', password);
    remember('client secret', o.userPoolClientSecret);
    remember('SECRET_HASH', hash);
    const cognito = cognitoClient(o);
    try {
      // Sign up, and confirm with the code the stack prints (where Cognito would email it).
      const { UserSub: sub } = await cognito.send(
        new SignUpCommand({ ClientId: clientId, Username: email, Password: password, SecretHash: hash, UserAttributes: [{ Name: 'email', Value: email }] }),
      );
      const code = await eventually(async () => new RegExp(`confirmation code for ${email} \\(user [^)]*\\): (\\S+)`).exec(stack.log())?.[1], 10_000, 'the confirmation code');
      await cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code, SecretHash: hash }));

      // Sign in both ways: the client flow, and the original walkthrough's admin flow.
      const login = await cognito.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: hash } }),
      );
      rememberTokens('sign-in', login.AuthenticationResult);
      const admin = await cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: o.userPoolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_NO_SRP_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: hash },
        }),
      );
      rememberTokens('admin sign-in', admin.AuthenticationResult);
      const idToken = login.AuthenticationResult?.IdToken ?? '';
      await cognito.send(new GetUserCommand({ AccessToken: login.AuthenticationResult?.AccessToken }));

      // Place an order, follow it to its end, list; a wrong token (the access token) is refused.
      const placed = await call(o, 'POST', '/orders', idToken, { restaurant_id: 'r-1', item: 'pizza', quantity: 2 });
      expect(placed.status).toBe(202);
      const orderId = String(placed.body.order_id);
      await eventually(async () => {
        const got = await call(o, 'GET', `/orders/${orderId}`, idToken);
        return got.status === 200 && got.body.order_status === 'SUCCESS' ? got : undefined;
      }, 60_000, 'the order to succeed');
      expect((await call(o, 'GET', '/orders', `Bearer ${idToken}`)).status).toBe(200);
      expect((await call(o, 'GET', '/orders', login.AuthenticationResult?.AccessToken)).status).toBe(401);

      // Refresh: Cognito's SECRET_HASH then uses the user's own username, the sub.
      const refreshHash = cognitoSecretHash(String(sub), clientId, o.userPoolClientSecret);
      remember('refresh SECRET_HASH', refreshHash);
      const refreshed = await cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: login.AuthenticationResult?.RefreshToken ?? '', SECRET_HASH: refreshHash },
        }),
      );
      rememberTokens('refreshed', refreshed.AuthenticationResult);
      expect((await call(o, 'GET', '/orders', refreshed.AuthenticationResult?.IdToken)).status).toBe(200);
    } finally {
      cognito.destroy();
    }
    expect(await stack.stop()).toBe(0);

    const output = stack.log();
    // It was talkative: the identity provider dumped the user it saved, and that dump was redacted.
    expect(output).toMatch(/\[cognito\] \{"level":20,.*"msg":"UserPoolServiceImpl.saveUser"/);
    expect(output).toContain('"Password":"[redacted]"');
    expect(output).toMatch(/\[(create-order|manage-order-state|process-payment|send-order)\s*\] \{"level":"(DEBUG|INFO)"/);
    // Each secret, whole; and each token's signature alone.
    expect([...secrets.values()]).toEqual(expect.arrayContaining(['password', 'client secret', 'SECRET_HASH', 'sign-in ID token', 'sign-in refresh token', 'refreshed access token']));
    const leaked = [...secrets].filter(([value]) => output.includes(value) || (value.split('.').length >= 3 && output.includes(value.split('.').at(-1) as string)));
    expect(leaked.map(([, what]) => what)).toEqual([]);
  }, 120_000);
});
