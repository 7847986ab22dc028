import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwksOf, type SigningKey } from './keys';

/** How the server answers: normally, after a delay, with 503, or by dropping the connection. */
export type JwksBehaviour = { mode: 'up' } | { mode: 'slow'; delayMs: number } | { mode: 'error'; status?: number } | { mode: 'down' };

export interface JwksServer {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** The full URL of the JWKS document. */
  readonly jwksUri: string;
  /** How many JWKS requests arrived. */
  readonly requests: number;
  /** Serve these keys from now on (key rotation). */
  setKeys(keys: readonly SigningKey[]): void;
  behave(behaviour: JwksBehaviour): void;
  close(): Promise<void>;
}

/** A JWKS endpoint on 127.0.0.1 and a free port, for tests. */
export async function startJwksServer(options: {
  keys: readonly SigningKey[];
  /** Path of the document; default /.well-known/jwks.json */
  path?: string;
  behaviour?: JwksBehaviour;
}): Promise<JwksServer> {
  const path = options.path ?? '/.well-known/jwks.json';
  let body = JSON.stringify(jwksOf(...options.keys));
  let behaviour: JwksBehaviour = options.behaviour ?? { mode: 'up' };
  let requests = 0;
  const timers = new Set<NodeJS.Timeout>();

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.split('?')[0] !== path) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
      return;
    }
    requests += 1;
    const send = () => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    switch (behaviour.mode) {
      case 'up':
        return send();
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) send();
        }, behaviour.delayMs);
        timers.add(timer);
        return;
      }
      case 'error':
        res.writeHead(behaviour.status ?? 503, { 'content-type': 'application/json' }).end('{"message":"unavailable"}');
        return;
      case 'down':
        req.socket.destroy();
        return;
    }
  };

  const server = createServer(answer);
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    jwksUri: `${origin}${path}`,
    get requests() {
      return requests;
    },
    setKeys(keys) {
      body = JSON.stringify(jwksOf(...keys));
    },
    behave(next) {
      behaviour = next;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
