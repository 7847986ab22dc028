import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedExecution {
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: unknown;
  readonly executionArn: string;
}

export interface FakeStepFunctionsEndpoint {
  /** Point an SFN client here (or set AWS_ENDPOINT_URL_SFN to it). */
  readonly endpoint: string;
  /** Executions started, by name, in start order. */
  readonly executions: Map<string, RecordedExecution>;
  /** StartExecution calls received, including refused ones. */
  readonly calls: () => number;
  /** The next `n` StartExecution calls answer 400 ThrottlingException (a transient error). */
  throttleNext(n: number): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP endpoint that speaks the Step Functions JSON protocol for StartExecution,
 * with the service's naming rules for standard workflows: a name is used once; starting the
 * same name with the same input again returns the same execution (idempotent), with another
 * input it is ExecutionAlreadyExists. Enough to drive the real SDK client end to end.
 */
export async function startFakeStepFunctionsEndpoint(): Promise<FakeStepFunctionsEndpoint> {
  const executions = new Map<string, RecordedExecution>();
  let calls = 0;
  let throttle = 0;

  const reply = (res: ServerResponse, status: number, body: unknown, errorType?: string) => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    });
    res.end(JSON.stringify(errorType ? { __type: errorType, ...(body as object) } : body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target !== 'AWSStepFunctions.StartExecution') {
      return reply(res, 400, { message: `unsupported operation ${target}` }, 'UnknownOperationException');
    }
    calls++;
    if (throttle > 0) {
      throttle--;
      return reply(res, 400, { message: 'Rate exceeded' }, 'ThrottlingException');
    }
    const { stateMachineArn, name, input } = JSON.parse(raw) as { stateMachineArn: string; name: string; input?: string };
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name ?? '')) {
      return reply(res, 400, { message: `Invalid Name: '${name}'` }, 'InvalidName');
    }
    const existing = executions.get(name);
    if (existing) {
      if (JSON.stringify(existing.input) === JSON.stringify(JSON.parse(input ?? '{}'))) {
        return reply(res, 200, { executionArn: existing.executionArn, startDate: Date.now() / 1000 });
      }
      return reply(res, 400, { message: `Execution Already Exists: '${existing.executionArn}'` }, 'ExecutionAlreadyExists');
    }
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    executions.set(name, { stateMachineArn, name, input: JSON.parse(input ?? '{}'), executionArn });
    return reply(res, 200, { executionArn, startDate: Date.now() / 1000 });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    executions,
    calls: () => calls,
    throttleNext(n) {
      throttle = n;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
