import { AdminInitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoSecretHash } from '@serverless-orders/auth-cognito';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, startStack, type StartedStack } from '../test/local-stack.process';
import { call, cognitoClient } from '../test/users';
import { DEMO_ORDERS } from './demo';
import { DEMO_USER } from './options';

// `npm start -- --demo` on free ports: the demo user signs in through the Cognito API
// (AdminInitiateAuth, ADMIN_NO_SRP_AUTH with SECRET_HASH, as the original walkthrough did), and
// its orders, placed through POST /orders, went through the queue and the workflow to SUCCESS.
// With --persist, a second start reuses the user and, by the orders' Idempotency-Keys, the orders.

const demoDone = (stack: StartedStack) =>
  eventually(async () => (/Demo ready\./.test(stack.log()) ? true : /^demo: .*/m.exec(stack.log())?.[0] ? Promise.reject(new Error(stack.log())) : undefined), 90_000, 'the demo');

async function signIn(outputs: Record<string, string>): Promise<string> {
  const cognito = cognitoClient(outputs);
  try {
    const auth = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: outputs.userPoolId,
        ClientId: outputs.userPoolClientId,
        AuthFlow: 'ADMIN_NO_SRP_AUTH',
        AuthParameters: {
          USERNAME: DEMO_USER.email,
          PASSWORD: DEMO_USER.password,
          SECRET_HASH: cognitoSecretHash(DEMO_USER.email, outputs.userPoolClientId, outputs.userPoolClientSecret),
        },
      }),
    );
    return auth.AuthenticationResult?.IdToken ?? '';
  } finally {
    cognito.destroy();
  }
}

describe('npm start -- --demo', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'local-stack-demo-'));
  let stack: StartedStack | undefined;

  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('signs up a confirmed demo user and places its orders through the API; with the providers accepting, every one ends SUCCESS', async () => {
    stack = await startStack(['--demo', '--persist', '--quiet'], { dataDir });
    expect(stack.log()).toContain('Demo mode changes one thing: the simulated payment provider and restaurant accept every order');
    await demoDone(stack);
    expect(stack.log()).toContain(`Demo user ${DEMO_USER.email}, password ${DEMO_USER.password}: signed up and confirmed`);
    // The banner's commands name this stack's outputs, which are not in .local.
    expect(stack.log()).toContain(`npx orders login --email ${DEMO_USER.email} --password '${DEMO_USER.password}' --outputs ${join(dataDir, 'outputs.json')}`);

    const token = await signIn(stack.outputs);
    expect(token.split('.')).toHaveLength(3);
    const mine = await call(stack.outputs, 'GET', '/orders', token);
    expect(mine.status).toBe(200);
    const orders = (mine.body as unknown as { items: Array<{ id: string; item: string; quantity: number; order_status: string }> }).items;
    expect(orders.map((o) => o.item).sort()).toEqual(DEMO_ORDERS.map((o) => o.item).sort());
    for (const order of orders) {
      expect(order.order_status).toBe('SUCCESS');
      expect(stack.log()).toContain(`${order.id}: SUCCESS`);
    }
  });

  it('with --persist, a second start reuses the demo user and finds the same orders, not new ones', async () => {
    stack = await startStack(['--demo', '--persist', '--quiet'], { dataDir });
    await demoDone(stack);
    expect(stack.log()).toContain(`Demo user ${DEMO_USER.email}, password ${DEMO_USER.password}: already there (--persist), reused`);
    const mine = await call(stack.outputs, 'GET', '/orders', await signIn(stack.outputs));
    const orders = (mine.body as unknown as { items: Array<{ order_status: string }> }).items;
    expect(orders).toHaveLength(DEMO_ORDERS.length);
    expect(orders.every((o) => o.order_status === 'SUCCESS')).toBe(true);
  });
});
