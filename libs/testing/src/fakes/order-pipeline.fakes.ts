import type {
  Clock,
  OrderNotifier,
  OrderToFulfil,
  OrderWorkflow,
  PaymentGateway,
  ProviderOutcome,
  RestaurantGateway,
  StartOutcome,
  WorkflowRun,
} from '@serverless-orders/orders-application';
import type { Order } from '@serverless-orders/orders-domain';

/** An OrderWorkflow in memory with Step Functions' naming rule: one run per order id. */
export class InMemoryOrderWorkflow implements OrderWorkflow {
  /** The started runs, by order id. */
  readonly runs = new Map<string, Order>();
  /** Every call, including the ones that started nothing. */
  readonly calls: Order[] = [];
  /** The state of each run as runOf reports it (default: running once started, none before). */
  readonly states = new Map<string, WorkflowRun>();
  /** Ids of the runs resumed, in order. */
  readonly resumed: string[] = [];
  private failures: Error[] = [];

  /** The next `start` calls throw these, in order (a Step Functions outage, say). */
  failNext(...errors: Error[]): this {
    this.failures.push(...errors);
    return this;
  }

  async start(order: Order): Promise<StartOutcome> {
    this.calls.push(order);
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (this.runs.has(order.id)) return 'already-started';
    this.runs.set(order.id, order);
    return 'started';
  }

  async runOf(orderId: string): Promise<WorkflowRun> {
    return this.states.get(orderId) ?? (this.runs.has(orderId) ? { state: 'running' } : { state: 'none' });
  }

  async resume(orderId: string): Promise<void> {
    this.resumed.push(orderId);
    this.states.set(orderId, { state: 'running' });
  }
}

/** A provider that answers from a script (then keeps answering its last line), recording what it was asked and with which key. */
class ScriptedProvider {
  readonly asked: OrderToFulfil[] = [];
  readonly keys: string[] = [];
  private readonly script: (ProviderOutcome | Error)[];

  constructor(...script: (ProviderOutcome | Error)[]) {
    this.script = script.length ? script : [{ ok: true }];
  }

  protected async answer(order: OrderToFulfil, key: string): Promise<ProviderOutcome> {
    this.asked.push(order);
    this.keys.push(key);
    const next = this.script.length > 1 ? this.script.shift() : this.script[0];
    if (next instanceof Error) throw next;
    return next as ProviderOutcome;
  }
}

export class ScriptedPaymentGateway extends ScriptedProvider implements PaymentGateway {
  charge(order: OrderToFulfil, key: string): Promise<ProviderOutcome> {
    return this.answer(order, key);
  }
}

export class ScriptedRestaurantGateway extends ScriptedProvider implements RestaurantGateway {
  send(order: OrderToFulfil, key: string): Promise<ProviderOutcome> {
    return this.answer(order, key);
  }
}

/** An OrderNotifier that records what it was told; it can be made to fail. */
export class RecordingOrderNotifier implements OrderNotifier {
  readonly notified: Order[] = [];
  private failures: Error[] = [];

  failNext(...errors: Error[]): this {
    this.failures.push(...errors);
    return this;
  }

  async notifyFinalStatus(order: Order): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.notified.push(order);
  }
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current = new Date('2026-01-01T12:00:00.000Z')) {}

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): this {
    this.current = new Date(this.current.getTime() + ms);
    return this;
  }
}
