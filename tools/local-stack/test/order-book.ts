import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, SFNClient, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { FUNCTIONS, type Permission } from '@serverless-orders/function-catalogue';
import { startFaultProxy, type FaultProxy } from '@serverless-orders/testing';
import { eventually, startStack, type StartedStack } from './local-stack.process';

const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/** A port free right now on 127.0.0.1 (for a service whose proxy must exist before it does). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The services the functions reach through a fault proxy, and who reaches each. */
const FAULTABLE = {
  dynamodb: { variable: 'AWS_ENDPOINT_URL_DYNAMODB', option: '--dynamodb-port', throttling: 'ProvisionedThroughputExceededException', uses: ['table:', 'idempotency:'] },
  sfn: { variable: 'AWS_ENDPOINT_URL_SFN', option: '--sfn-port', throttling: 'ThrottlingException', uses: ['workflow:'] },
  sns: { variable: 'AWS_ENDPOINT_URL_SNS', option: '--sqs-port', throttling: 'Throttled', uses: ['topic:'] },
} as const;
export type Service = keyof typeof FAULTABLE;

export interface FaultyStack {
  readonly stack: StartedStack;
  readonly outputs: Record<string, string>;
  /** A fault proxy between every function and each service. */
  readonly faults: Readonly<Record<Service, FaultProxy>>;
  close(): Promise<void>;
}

/**
 * The local stack with a fault proxy between the functions and DynamoDB, Step Functions and
 * SNS: each function that uses a service (by the catalogue's permissions) reaches it through
 * the proxy, while the stack's own set-up and the test's counting talk to the service directly.
 */
export async function startFaultyStack(args: string[] = [], options: { dataDir?: string } = {}): Promise<FaultyStack> {
  const ports = { dynamodb: await freePort(), sfn: await freePort(), sns: await freePort() };
  const faults = {} as Record<Service, FaultProxy>;
  const env: string[] = [];
  for (const [service, spec] of Object.entries(FAULTABLE) as [Service, (typeof FAULTABLE)[Service]][]) {
    faults[service] = await startFaultProxy({ target: `http://127.0.0.1:${ports[service]}`, throttlingError: spec.throttling });
    for (const fn of FUNCTIONS) {
      if ((fn.permissions as readonly Permission[]).some((p) => spec.uses.some((prefix) => p.startsWith(prefix)))) {
        env.push('--env', `${fn.app}:${spec.variable}=${faults[service].endpoint}`);
      }
    }
  }
  const portArgs = Object.entries(FAULTABLE).flatMap(([service, spec]) => [spec.option, String(ports[service as Service])]);
  const stack = await startStack([...portArgs, ...env, ...args], { ...options, timeoutMs: 90_000 });
  return {
    stack,
    outputs: stack.outputs,
    faults,
    async close() {
      await stack.stop();
      for (const proxy of Object.values(faults)) await proxy.close();
    },
  };
}

export interface StoredOrder {
  readonly id: string;
  readonly user_id: string;
  readonly order_status: string;
  readonly version: number;
  readonly created_at: string;
}

interface LedgerEntry {
  readonly key: string;
  readonly order_id: string;
  readonly version: number;
  readonly outcome: { ok: boolean };
}

/**
 * Everything the system did, read straight from the local services (not through the API):
 * the rows of the orders table, the workflow's executions, what the simulated providers
 * charged and sent (their ledgers: one entry per idempotency key), the dead-letter queue.
 */
export class OrderBook {
  private readonly db: DynamoDBDocumentClient;
  private readonly sfn: SFNClient;
  private readonly sqs: SQSClient;

  constructor(
    private readonly outputs: Record<string, string>,
    private readonly dataDir: string,
  ) {
    this.db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL, endpoint: outputs.dynamodbEndpoint }));
    this.sfn = new SFNClient({ ...LOCAL, endpoint: outputs.stepFunctionsEndpoint });
    this.sqs = new SQSClient({ ...LOCAL, endpoint: outputs.sqsEndpoint });
  }

  async rows(): Promise<StoredOrder[]> {
    const rows: StoredOrder[] = [];
    let start: Record<string, never> | undefined;
    do {
      const page = await this.db.send(new ScanCommand({ TableName: this.outputs.tableName, ExclusiveStartKey: start }));
      rows.push(...((page.Items ?? []) as StoredOrder[]));
      start = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (start);
    return rows;
  }

  async executions(): Promise<ExecutionListItem[]> {
    const all: ExecutionListItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(new ListExecutionsCommand({ stateMachineArn: this.outputs.stateMachineArn, maxResults: 1000, nextToken }));
      all.push(...(page.executions ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return all;
  }

  /** What a simulated provider did: `payments` (charges) or `restaurant` (sends). */
  ledger(provider: 'payments' | 'restaurant'): LedgerEntry[] {
    const dir = join(this.dataDir, 'ledger', provider);
    try {
      return readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as LedgerEntry);
    } catch {
      return [];
    }
  }

  async deadLetterCount(): Promise<number> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: this.outputs.deadLetterQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
  }

  /** The dead letters, read without taking them (each becomes visible again after a second). */
  async deadLetters(): Promise<Message[]> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: this.outputs.deadLetterQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 1, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }),
    );
    return Messages;
  }

  /**
   * Waits until every order of `ids` has its row in a final status and no execution runs, then
   * checks the invariant, exactly: one row per order, final; one execution per order, ended;
   * one charge and one send per order (the providers' ledgers); no other row of these owners.
   */
  async settle(ids: readonly string[], owners: readonly string[], timeoutMs = 180_000): Promise<{ settledAt: number; report: SettleReport }> {
    const wanted = new Set(ids);
    await eventually(
      async () => {
        const rows = (await this.rows()).filter((r) => wanted.has(r.id));
        const running = (await this.executions()).filter((e) => wanted.has(e.name ?? '') && e.status === 'RUNNING');
        return rows.length === wanted.size && rows.every((r) => r.order_status === 'SUCCESS' || r.order_status === 'FAILURE') && running.length === 0
          ? true
          : undefined;
      },
      timeoutMs,
      `${wanted.size} orders to reach a final status`,
    );
    const settledAt = Date.now();
    const rows = (await this.rows()).filter((r) => owners.includes(r.user_id));
    const executions = (await this.executions()).filter((e) => wanted.has(e.name ?? ''));
    const count = (list: readonly string[]) => {
      const counts = new Map<string, number>();
      for (const id of list) counts.set(id, (counts.get(id) ?? 0) + 1);
      return counts;
    };
    return {
      settledAt,
      report: {
        rows: count(rows.map((r) => r.id)),
        finalRows: rows.filter((r) => r.order_status === 'SUCCESS').length,
        executions: count(executions.map((e) => e.name ?? '')),
        charges: count(this.ledger('payments').filter((e) => wanted.has(e.order_id) && e.outcome.ok).map((e) => e.order_id)),
        sends: count(this.ledger('restaurant').filter((e) => wanted.has(e.order_id) && e.outcome.ok).map((e) => e.order_id)),
        deadLetters: await this.deadLetterCount(),
      },
    };
  }

  close(): void {
    this.db.destroy();
    this.sfn.destroy();
    this.sqs.destroy();
  }
}

export interface SettleReport {
  /** Rows per order id, of every order of the owners. */
  readonly rows: Map<string, number>;
  readonly finalRows: number;
  /** Executions per order id. */
  readonly executions: Map<string, number>;
  /** Accepted charges per order id (one per order version). */
  readonly charges: Map<string, number>;
  readonly sends: Map<string, number>;
  readonly deadLetters: number;
}

/** The invariant, as one value to compare: each of `ids` once in every column, nothing else. */
export function exactlyOnce(ids: readonly string[]): Omit<SettleReport, 'deadLetters' | 'finalRows'> {
  const once = new Map(ids.map((id) => [id, 1]));
  return { rows: once, executions: once, charges: once, sends: once };
}
