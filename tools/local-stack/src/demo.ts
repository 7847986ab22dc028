import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoSecretHash } from '@serverless-orders/auth-cognito';
import { DEMO_USER } from './options';

/**
 * `npm start -- --demo`: once the stack is ready, the demo user signs up and is confirmed (or,
 * with --persist, the one already there is reused), and places a few orders through the API,
 * exactly as a client does: POST /orders with its ID token, into the queue, through the workflow
 * and the simulated providers. Each order carries a fixed Idempotency-Key, so a restart with
 * --persist finds the same orders instead of placing new ones (the same caller and key within
 * 24 hours is the same order).
 */
export const DEMO_ORDERS = [
  { restaurant_id: 'r-1', item: 'margherita pizza', quantity: 2, idempotencyKey: 'demo-order-1' },
  { restaurant_id: 'r-2', item: 'pad thai', quantity: 1, idempotencyKey: 'demo-order-2' },
  { restaurant_id: 'r-3', item: 'falafel wrap', quantity: 3, idempotencyKey: 'demo-order-3' },
] as const;

export interface DemoOrderOutcome {
  readonly orderId: string;
  /** The last status read: SUCCESS or FAILURE, or the status it still had when the demo stopped waiting. */
  readonly status: string;
  readonly reason?: string;
}

export interface DemoResult {
  /** False when the demo user was already there (a --persist data directory). */
  readonly created: boolean;
  readonly orders: readonly DemoOrderOutcome[];
}

export interface DemoOptions {
  /** How long to wait for every order to settle (default 120 s). */
  readonly settleTimeoutMs?: number;
  readonly print: (line: string) => void;
  /** How to write `npx orders <command>` for this stack (with --outputs when it is not the default). */
  readonly cli: (command: string) => string;
}

/** A demo step that could not be done, said plainly; the stack keeps running. */
export class DemoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoError';
  }
}

const FINAL = new Set(['SUCCESS', 'FAILURE']);

/** Signs the demo user up (or finds it), places the demo orders, and waits for them to settle. */
export async function runDemo(outputs: Readonly<Record<string, string>>, options: DemoOptions): Promise<DemoResult> {
  const { print } = options;
  const cognito = new CognitoIdentityProviderClient({
    endpoint: outputs.cognitoEndpoint,
    region: outputs.region,
    // The local identity provider takes any credentials; AWS's would be the caller's own.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { email, password } = DEMO_USER;
    const secretHash = cognitoSecretHash(email, outputs.userPoolClientId, outputs.userPoolClientSecret);
    const created = await signUp(cognito, outputs, secretHash);
    await confirm(cognito, outputs);
    const auth = await cognito
      .send(
        new AdminInitiateAuthCommand({
          UserPoolId: outputs.userPoolId,
          ClientId: outputs.userPoolClientId,
          AuthFlow: 'ADMIN_NO_SRP_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: secretHash },
        }),
      )
      .catch((error: Error) => {
        throw new DemoError(
          error.name === 'NotAuthorizedException'
            ? `${email} is in this data directory with another password: remove the user (or the data directory) to run the demo`
            : `could not sign ${email} in: ${error.message}`,
        );
      });
    const token = auth.AuthenticationResult?.IdToken;
    if (!token) throw new DemoError(`signing ${email} in gave no ID token`);
    print(`Demo user ${email}, password ${password}: ${created ? 'signed up and confirmed' : 'already there (--persist), reused'}`);

    const ids: string[] = [];
    for (const order of DEMO_ORDERS) {
      const { idempotencyKey, ...body } = order;
      const response = await fetch(`${outputs.apiUrl}/orders`, {
        method: 'POST',
        headers: { Authorization: token, 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
        body: JSON.stringify(body),
      });
      const answer = (await response.json().catch(() => ({}))) as { order_id?: string; message?: string };
      if (response.status !== 202 || !answer.order_id) {
        throw new DemoError(`POST /orders answered ${response.status}${answer.message ? ` (${answer.message})` : ''}`);
      }
      ids.push(answer.order_id);
      print(`  placed ${answer.order_id}: ${body.quantity} × ${body.item} from ${body.restaurant_id}`);
    }

    const orders = await settle(outputs.apiUrl, token, ids, options.settleTimeoutMs ?? 120_000);
    for (const o of orders) print(`  ${o.orderId}: ${o.status}${o.reason ? ` (${o.reason})` : ''}`);
    print(demoNextSteps(options.cli));
    return { created, orders };
  } finally {
    cognito.destroy();
  }
}

/** The commands that use the demo's user and orders, from another terminal. */
export function demoNextSteps(cli: (command: string) => string): string {
  const { email, password } = DEMO_USER;
  return [
    'Demo ready. In another terminal, from any folder of the workspace:',
    `  sign in        ${cli(`login --email ${email} --password '${password}'`)}`,
    `  its orders     ${cli('list')}`,
    `  one's steps    ${cli('history <order id>')}`,
    `  an ID token    TOKEN=$(${cli('token')})   (for curl, or Swagger UI's Authorize)`,
  ].join('\n');
}

async function signUp(cognito: CognitoIdentityProviderClient, outputs: Readonly<Record<string, string>>, secretHash: string): Promise<boolean> {
  const { email, password } = DEMO_USER;
  try {
    await cognito.send(
      new SignUpCommand({ ClientId: outputs.userPoolClientId, Username: email, Password: password, SecretHash: secretHash, UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'UsernameExistsException') return false;
    throw new DemoError(`could not sign ${email} up: ${(error as Error).message}`);
  }
}

async function confirm(cognito: CognitoIdentityProviderClient, outputs: Readonly<Record<string, string>>): Promise<void> {
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: outputs.userPoolId, Username: DEMO_USER.email }));
  if (user.UserStatus !== 'CONFIRMED') await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: outputs.userPoolId, Username: DEMO_USER.email }));
}

/** Reads each order until it is SUCCESS or FAILURE, or the time is up (then its last status). */
async function settle(apiUrl: string, token: string, ids: readonly string[], timeoutMs: number): Promise<DemoOrderOutcome[]> {
  const deadline = Date.now() + timeoutMs;
  const last = new Map<string, DemoOrderOutcome>(ids.map((id) => [id, { orderId: id, status: 'not read yet' }]));
  for (;;) {
    for (const id of ids) {
      if (FINAL.has(last.get(id)?.status ?? '')) continue;
      const response = await fetch(`${apiUrl}/orders/${encodeURIComponent(id)}`, { headers: { Authorization: token } }).catch(() => undefined);
      if (response?.status !== 200) continue; // not stored yet (the queue consumer is on it), or a moment's error
      const order = (await response.json()) as { order_status?: string; error_message?: string };
      const reason = order.error_message;
      last.set(id, { orderId: id, status: order.order_status ?? 'unknown', ...(reason ? { reason } : {}) });
    }
    const outcomes = ids.map((id) => last.get(id) as DemoOrderOutcome);
    if (outcomes.every((o) => FINAL.has(o.status)) || Date.now() > deadline) return outcomes;
    await new Promise((r) => setTimeout(r, 250));
  }
}
