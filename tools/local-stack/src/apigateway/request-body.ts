import type { IncomingMessage } from 'node:http';
import { PAYLOAD_LIMIT_BYTES } from '@serverless-orders/api-gateway';

/** A request body over API Gateway's payload limit: the gateway answers 413 and reads no further. */
export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the request body is over ${limit} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

/** Whether a request declares, by its Content-Length, a body over the limit: refused before a byte of it is read. */
export function declaresTooLarge(req: Pick<IncomingMessage, 'headers'>, limit = PAYLOAD_LIMIT_BYTES): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > limit;
}

/**
 * Reads a request body, counting its bytes as they arrive (a chunked body declares no length):
 * past `limit`, it stops reading, drops what it had and rejects with PayloadTooLargeError.
 * Nothing reads the body until this is called: the gateway calls it after the authorizer.
 */
export function readBoundedBody(req: IncomingMessage, limit = PAYLOAD_LIMIT_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        reject(new PayloadTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
