import { stringFlag, UsageError, type Args } from './args';
import type { IdentityPort, Tokens } from './identity';
import { jwtClaims, loadSession, saveSession, type Session } from './session';
import type { StackTarget } from './target';

export const USAGE = `orders — the Serverless Orders command-line client

Usage: orders <command> [options]      (node dist/tools/cli/main.js, or npx nx run cli:orders -- <command>)

Account
  signup  --email <e> --password <p>   create a user (passwords of at least 8 characters)
  confirm --email <e> [--code <c>]     confirm it (without a code: the administrator's confirmation)
  login   --email <e> --password <p>   sign in; the tokens are kept for the other commands
  token   [--email <e> --password <p>] print the ID token (signing in first if given the password)

Orders (as the signed-in user)
  create --restaurant <id> --item <name> --quantity <n> [--wait]
  list   [--limit <n>] [--next-token <t>]
  get    <order id> [--wait]             --wait: until the order is SUCCESS or FAILURE
  update <order id> [--restaurant <id>] [--item <name>] [--quantity <n>]
  delete <order id>

Which stack
  (default)              the local stack, from .local/outputs.json (--outputs <file> for another)
  --stack <name>         a deployed stack, from its Pulumi outputs (pulumi stack output, in infra/)
  --token <jwt>          use this token instead of the signed-in user's`;

export interface CommandDeps {
  readonly target: () => StackTarget;
  readonly identity: (target: StackTarget) => IdentityPort;
  readonly fetch: typeof fetch;
  readonly sessionFile: string;
  readonly out: (text: string) => void;
  readonly note: (text: string) => void;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}${body ? `: ${body}` : ''}`);
    this.name = 'HttpError';
  }
}

const FINAL = new Set(['SUCCESS', 'FAILURE']);

function toSession(email: string, tokens: Tokens, previous?: Session): Session {
  const claims = jwtClaims(tokens.idToken);
  return {
    email,
    username: String(claims['cognito:username'] ?? claims.sub ?? email),
    idToken: tokens.idToken,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? previous?.refreshToken,
    expiresAt: typeof claims.exp === 'number' ? claims.exp : 0,
  };
}

export async function run(args: Args, deps: CommandDeps): Promise<void> {
  const now = deps.now ?? (() => Date.now());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const command = args.command;
  if (!command || args.flags.help) {
    deps.out(USAGE);
    return;
  }
  const target = deps.target();
  const identity = () => deps.identity(target);

  const login = async (email: string, password: string) => {
    const session = toSession(email, await identity().login(email, password));
    saveSession(deps.sessionFile, target.apiUrl, session);
    return session;
  };

  /** The ID token to send: --token, else the session's (refreshed when it has expired). */
  const token = async (): Promise<string> => {
    const given = stringFlag(args, 'token');
    if (given) return given;
    const session = loadSession(deps.sessionFile, target.apiUrl);
    if (!session) throw new UsageError(`not signed in to ${target.apiUrl}: run orders login --email <e> --password <p>`);
    if (session.expiresAt * 1000 > now() + 60_000) return session.idToken;
    if (!session.refreshToken) throw new UsageError('the token has expired: run orders login again');
    const refreshed = toSession(session.email, await identity().refresh(session.username, session.refreshToken), session);
    saveSession(deps.sessionFile, target.apiUrl, refreshed);
    return refreshed.idToken;
  };

  const api = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await deps.fetch(`${target.apiUrl}${path}`, {
      method,
      headers: { Authorization: await token(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new HttpError(response.status, text);
    return text ? JSON.parse(text) : undefined;
  };
  const print = (value: unknown) => deps.out(JSON.stringify(value, null, 2));
  const orderId = () => {
    const id = args.positional[0] ?? stringFlag(args, 'id');
    if (!id) throw new UsageError(`orders ${command} needs an order id`);
    return encodeURIComponent(id);
  };
  const waitFor = async (id: string) => {
    const deadline = now() + Number(stringFlag(args, 'timeout') ?? '60') * 1000;
    for (;;) {
      const order = (await api('GET', `/orders/${id}`).catch((e: unknown) => {
        if (e instanceof HttpError && e.status === 404) return undefined;
        throw e;
      })) as { order_status?: string } | undefined;
      if (order && FINAL.has(String(order.order_status))) return order;
      if (now() > deadline) throw new Error(`order ${id} is still ${order?.order_status ?? 'not saved'} after the timeout`);
      await sleep(250);
    }
  };

  switch (command) {
    case 'signup': {
      const email = stringFlag(args, 'email', true);
      const { confirmed } = await identity().signUp(email, stringFlag(args, 'password', true));
      deps.note(confirmed ? `signed up ${email}` : `signed up ${email}; now confirm it: orders confirm --email ${email} [--code <the code sent>]`);
      return;
    }
    case 'confirm': {
      const email = stringFlag(args, 'email', true);
      await identity().confirm(email, stringFlag(args, 'code'));
      deps.note(`confirmed ${email}`);
      return;
    }
    case 'login': {
      const session = await login(stringFlag(args, 'email', true), stringFlag(args, 'password', true));
      deps.note(`signed in as ${session.email} (token valid until ${new Date(session.expiresAt * 1000).toISOString()})`);
      return;
    }
    case 'token': {
      const email = stringFlag(args, 'email');
      const password = stringFlag(args, 'password');
      if (email && password) {
        deps.out((await login(email, password)).idToken);
        return;
      }
      if (email || password) throw new UsageError('orders token takes both --email and --password, or neither');
      deps.out(await token());
      return;
    }
    case 'create': {
      const placed = (await api('POST', '/orders', {
        restaurant_id: stringFlag(args, 'restaurant', true),
        item: stringFlag(args, 'item', true),
        quantity: Number(stringFlag(args, 'quantity', true)),
      })) as { order_id: string };
      if (args.flags.wait) {
        deps.note(`placed ${placed.order_id}; waiting for its final status…`);
        print(await waitFor(placed.order_id));
      } else print(placed);
      return;
    }
    case 'list': {
      const query = new URLSearchParams();
      const limit = stringFlag(args, 'limit');
      const next = stringFlag(args, 'next-token');
      if (limit) query.set('limit', limit);
      if (next) query.set('next_token', next);
      print(await api('GET', `/orders${query.size ? `?${query}` : ''}`));
      return;
    }
    case 'get':
      print(args.flags.wait ? await waitFor(orderId()) : await api('GET', `/orders/${orderId()}`));
      return;
    case 'update': {
      const body: Record<string, unknown> = {};
      const restaurant = stringFlag(args, 'restaurant');
      const item = stringFlag(args, 'item');
      const quantity = stringFlag(args, 'quantity');
      if (restaurant !== undefined) body.restaurant_id = restaurant;
      if (item !== undefined) body.item = item;
      if (quantity !== undefined) body.quantity = Number(quantity);
      if (Object.keys(body).length === 0) throw new UsageError('orders update needs at least one of --restaurant, --item, --quantity');
      print(await api('PUT', `/orders/${orderId()}`, body));
      return;
    }
    case 'delete':
      await api('DELETE', `/orders/${orderId()}`);
      deps.note(`deleted ${decodeURIComponent(orderId())}`);
      return;
    default:
      throw new UsageError(`unknown command ${command} (see orders --help)`);
  }
}
