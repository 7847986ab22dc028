import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export const LOOPBACK = '127.0.0.1';

export function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/json', headers: Record<string, string> = {}) {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export class PortInUseError extends Error {
  constructor(
    readonly what: string,
    readonly port: number,
    /** The command-line option that moves this part to another port. */
    readonly option: string,
  ) {
    super(`${what}: port ${port} on ${LOOPBACK} is already in use (choose another with ${option} <port>, or 0 for a free one)`);
    this.name = 'PortInUseError';
  }
}

/** Listens on the loopback address; a taken port is a PortInUseError naming the part. */
export function listen(server: Server, port: number, what: string, option: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(what, port, option) : error);
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** An HTTP server whose handler errors become a 500 instead of a crash. */
export function httpServer(handler: Handler, log: (line: string) => void = () => undefined): Server {
  return createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: Error) => {
      log(`unexpected error: ${error.stack ?? error}`);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal server error' });
      else res.end();
    });
  });
}
