import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * What the proxy does to requests while a fault is on:
 * - `refuse`: the port is closed, so connecting fails with ECONNREFUSED (open connections are cut);
 * - `reset`: connections are accepted and cut at once (ECONNRESET, "socket hang up");
 * - `hang`: requests are read and never answered (the client's own timeout decides);
 * - `5xx`: every request is answered 500 InternalServerError;
 * - `throttle`: every request is answered 400 with the service's throttling error.
 */
export type Fault = 'refuse' | 'reset' | 'hang' | '5xx' | 'throttle';

export interface FaultProxyOptions {
  /** The service behind the proxy: `http://127.0.0.1:<port>`. */
  readonly target: string;
  /** The throttling error of the service, as its JSON protocol names it (`__type`). */
  readonly throttlingError?: string;
}

export interface FaultProxy {
  /** Point clients here instead of at the service. */
  readonly endpoint: string;
  /** Turns `fault` on, for `ms` milliseconds (then off by itself), or until `heal`. */
  inject(fault: Fault, ms?: number): void;
  /** Turns any fault off. */
  heal(): void;
  /** The fault on now, if any. */
  readonly fault: Fault | undefined;
  /** Requests the proxy faulted (refused connections excepted: they never arrive). */
  readonly faulted: number;
  close(): Promise<void>;
}

const END_OF_HEADERS = Buffer.from('\r\n\r\n');

/** Reads one HTTP request off a socket (headers, then Content-Length bytes of body), then calls `done`. */
function onWholeRequest(socket: Socket, done: () => void): void {
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf(END_OF_HEADERS);
    if (end < 0) return;
    const length = Number(/content-length:\s*(\d+)/i.exec(buffered.subarray(0, end).toString('latin1'))?.[1] ?? 0);
    if (buffered.length - end - END_OF_HEADERS.length < length) return;
    socket.off('data', onData);
    done();
  };
  socket.on('data', onData);
}

function httpAnswer(status: number, reason: string, type: string, message: string): string {
  const body = JSON.stringify({ __type: type, message });
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: application/x-amz-json-1.0',
    `x-amzn-ErrorType: ${type}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * A TCP proxy on 127.0.0.1 in front of a local service (the DynamoDB-compatible store, the
 * Step Functions endpoint, …) that can refuse, reset, hang, answer 5xx or throttle on demand:
 * the faults a real network and a real AWS service produce, for tests that prove nothing is
 * lost or duplicated under them. Without a fault it passes bytes through untouched.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const throttlingError = options.throttlingError ?? 'ThrottlingException';
  const sockets = new Set<Socket>();
  let fault: Fault | undefined;
  let faulted = 0;
  let timer: NodeJS.Timeout | undefined;
  let port = 0;

  const handle = (client: Socket) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const now = fault;
    if (now === 'reset' || now === 'refuse') {
      faulted++;
      client.resetAndDestroy();
      return;
    }
    if (now === 'hang') {
      onWholeRequest(client, () => faulted++);
      return;
    }
    if (now === '5xx' || now === 'throttle') {
      onWholeRequest(client, () => {
        faulted++;
        client.end(
          now === '5xx'
            ? httpAnswer(500, 'Internal Server Error', 'InternalServerError', 'injected fault: the service failed')
            : httpAnswer(400, 'Bad Request', throttlingError, 'injected fault: Rate exceeded'),
        );
      });
      return;
    }
    const upstream = connect({ host: target.hostname, port: Number(target.port) });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  };

  let server: Server = createServer(handle);
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  await listen();

  const cutOpenConnections = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  const heal = () => {
    clearTimeout(timer);
    const was = fault;
    fault = undefined;
    if (was === 'refuse') {
      server = createServer(handle);
      void listen();
    }
    // Requests held by a hang are cut, as a client's timeout or a restarted service would.
    if (was === 'hang') cutOpenConnections();
  };

  return {
    endpoint: `http://127.0.0.1:${port}`,
    inject(next, ms) {
      if (fault) heal();
      fault = next;
      // Whatever is open now would bypass the fault: cut it, so every new request meets it.
      cutOpenConnections();
      if (next === 'refuse') server.close();
      if (ms !== undefined) timer = setTimeout(heal, ms);
    },
    heal,
    get fault() {
      return fault;
    },
    get faulted() {
      return faulted;
    },
    async close() {
      clearTimeout(timer);
      fault = undefined;
      cutOpenConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
