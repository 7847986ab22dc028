/**
 * The smoke test: the walkthrough a person would do after a deploy, against a stack's outputs
 * (the local stack's outputs.json, or `pulumi stack output --json --show-secrets` of a deployed
 * stack: the same keys). It drives the `orders` CLI for everything a user does (sign-up with the
 * client's SECRET_HASH, token, orders with an Idempotency-Key, waiting for the final status) and
 * calls the API directly where the CLI would stop a mistake before it is sent (bad input, no token).
 *
 * Steps, each one checked:
 *  1. no token → 401 {"message":"Unauthorized"} (API Gateway's own answer)
 *  2. a user: signed up and confirmed (a new `smoke+<id>@example.com`), or the one given
 *  3. an ID token
 *  4. bad input → 400 naming the field, and no order
 *  5. an order placed with an Idempotency-Key → 202 and its id; the same key again → the same id
 *  6. the order reaches SUCCESS or FAILURE (FAILURE is a final status too: the providers refuse some)
 *  7. the list has it, with its final status
 *  8. a second order, updated at once: 200 with the new quantity while PENDING, else 409 and the
 *     order is indeed past PENDING
 *  9. both deleted; a deleted order is 404
 */

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SmokeDeps {
  /** Runs `orders <args>` against the stack (the deps add --outputs or --stack, and --json). */
  readonly orders: (args: readonly string[]) => Promise<CliResult>;
  /** The API's URL, from the outputs. */
  readonly apiUrl: string;
  readonly fetch: typeof fetch;
  readonly uuid: () => string;
  readonly log: (line: string) => void;
  readonly now: () => number;
}

export interface SmokeOptions {
  /** An existing, confirmed user; without one a new user is signed up and confirmed. */
  readonly email?: string;
  readonly password?: string;
  /** How long an order may take to reach its final status (the workflow waits `waitSeconds` on the way). */
  readonly timeoutSeconds: number;
}

export class SmokeFailure extends Error {
  constructor(step: string, detail: string) {
    super(`${step}: ${detail}`);
    this.name = 'SmokeFailure';
  }
}

const FINAL = ['SUCCESS', 'FAILURE'];

/** The CLI's JSON on stdout, or a failure naming the step and what the CLI said. */
function parsed<T>(step: string, result: CliResult, allowedCodes: readonly number[] = [0]): T {
  if (!allowedCodes.includes(result.code ?? -1)) {
    throw new SmokeFailure(step, `orders exited ${result.code}: ${(result.stderr || result.stdout).trim().slice(0, 500)}`);
  }
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new SmokeFailure(step, `orders printed no JSON: ${result.stdout.slice(0, 200)}`);
  }
}

interface Order {
  readonly id: string;
  readonly order_status: string;
  readonly quantity: number;
}

/** Runs every step; resolves the number of checks passed, or rejects with the first SmokeFailure. */
export async function runSmoke(deps: SmokeDeps, options: SmokeOptions): Promise<number> {
  let checks = 0;
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const started = deps.now();
    const value = await run();
    checks++;
    deps.log(`ok ${checks} - ${name} (${deps.now() - started} ms)`);
    return value;
  };
  const expect = (name: string, condition: boolean, detail: string) => {
    if (!condition) throw new SmokeFailure(name, detail);
  };

  await step('no token: 401 Unauthorized, from API Gateway itself', async () => {
    const response = await deps.fetch(`${deps.apiUrl}/orders`);
    const body = await response.text();
    expect('no token', response.status === 401 && body.includes('Unauthorized'), `answered ${response.status} ${body.slice(0, 200)}`);
  });

  const email = options.email ?? `smoke+${deps.uuid()}@example.com`;
  const password = options.password ?? `Smoke-${deps.uuid()}-9`;
  if (!options.email) {
    await step(`sign up and confirm ${email}`, async () => {
      parsed('sign-up', await deps.orders(['signup', '--email', email, '--password', password]));
      parsed('confirm', await deps.orders(['confirm', '--email', email]));
    });
  }

  const token = await step('an ID token from the user pool', async () => {
    const { id_token } = parsed<{ id_token?: string }>('token', await deps.orders(['token', '--email', email, '--password', password]));
    expect('token', typeof id_token === 'string' && id_token.split('.').length === 3, 'the CLI printed no JWT');
    return id_token as string;
  });
  const api = (method: string, path: string, body?: unknown) =>
    deps.fetch(`${deps.apiUrl}${path}`, {
      method,
      headers: { Authorization: token, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  await step('bad input: 400 naming the field, nothing placed', async () => {
    const response = await api('POST', '/orders', { restaurant_id: 'r-1', item: 'pizza', quantity: 0 });
    const body = (await response.json().catch(() => ({}))) as { message?: string; errors?: Array<{ field?: string }> };
    expect('bad input', response.status === 400 && (body.errors ?? []).some((e) => typeof e.field === 'string'), `answered ${response.status} ${JSON.stringify(body)}`);
  });

  const key = `smoke-${deps.uuid()}`;
  const placed = await step('an order placed with an Idempotency-Key; the same key again is the same order', async () => {
    const create = ['create', '--restaurant', 'r-smoke', '--item', 'pizza', '--quantity', '2', '--idempotency-key', key];
    const first = parsed<{ order_id?: string }>('place', await deps.orders(create));
    const again = parsed<{ order_id?: string }>('place again', await deps.orders(create));
    expect('place', typeof first.order_id === 'string' && first.order_id !== '', 'no order_id');
    expect('place again', again.order_id === first.order_id, `the same key placed ${again.order_id}, not ${first.order_id}`);
    return first.order_id as string;
  });

  const final = await step('the order reaches its final status', async () => {
    // Exit 0: SUCCESS, 3: FAILURE (a provider refused it): both final.
    const order = parsed<Order>('final status', await deps.orders(['get', placed, '--wait', '--timeout', String(options.timeoutSeconds)]), [0, 3]);
    expect('final status', FINAL.includes(order.order_status), `ended ${order.order_status}`);
    return order;
  });

  await step('my orders list it, with its final status', async () => {
    const page = parsed<{ items: Order[] }>('list', await deps.orders(['list', '--limit', '100']));
    const listed = page.items.find((o) => o.id === placed);
    expect('list', listed?.order_status === final.order_status, `listed ${JSON.stringify(listed)}`);
  });

  const second = await step('a PENDING order can be changed (409 once it is past PENDING)', async () => {
    const { order_id } = parsed<{ order_id: string }>('place', await deps.orders(['create', '--restaurant', 'r-smoke', '--item', 'soup', '--quantity', '1']));
    // The order exists once the queue's consumer stored it: until then GET is 404.
    const deadline = deps.now() + options.timeoutSeconds * 1000;
    for (;;) {
      const response = await api('PUT', `/orders/${order_id}`, { quantity: 3 });
      const body = (await response.json().catch(() => ({}))) as Partial<Order> & { message?: string };
      if (response.status === 200) {
        expect('update', body.quantity === 3, `answered 200 with ${JSON.stringify(body)}`);
        return order_id;
      }
      if (response.status === 409) {
        const now = parsed<Order>('get', await deps.orders(['get', order_id]));
        expect('update', now.order_status !== 'PENDING', `409 for an order that is ${now.order_status}`);
        return order_id;
      }
      expect('update', response.status === 404 && deps.now() < deadline, `answered ${response.status} ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  });

  await step('both orders deleted; a deleted order is 404', async () => {
    for (const id of [placed, second]) parsed('delete', await deps.orders(['delete', id]));
    const response = await api('GET', `/orders/${placed}`);
    expect('deleted', response.status === 404, `GET of a deleted order answered ${response.status}`);
  });
  return checks;
}
