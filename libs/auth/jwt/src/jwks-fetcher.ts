import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { FetchError, NonRetryableFetchError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';

const MAX_JWKS_BYTES = 512 * 1024;

/**
 * A JWKS fetcher for aws-jwt-verify's SimpleJwksCache that also speaks http: (the library's
 * own refuses it), so a local identity provider works; one attempt, bounded in time and size.
 * With `uriOverride`, every request goes there instead of the URI the verifier derived from
 * the issuer: keys from a local endpoint, issuer checks unchanged.
 */
export class JwksFetcher implements Fetcher {
  constructor(private readonly options: { timeoutMs: number; uriOverride?: string }) {}

  fetch(uri: string): Promise<ArrayBuffer> {
    const target = this.options.uriOverride ?? uri;
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return Promise.reject(new NonRetryableFetchError(target, 'not a URL'));
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return Promise.reject(new NonRetryableFetchError(target, `unsupported protocol ${url.protocol}`));
    }
    const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise<ArrayBuffer>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined, body = Buffer.alloc(0)) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          req.destroy();
          reject(error instanceof FetchError ? error : new FetchError(target, error.message));
        } else {
          resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
        }
      };
      const req = request(url, { method: 'GET', headers: { accept: 'application/json' } }, (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          res.resume();
          finish(new NonRetryableFetchError(target, `status ${res.statusCode}, expected 200`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_JWKS_BYTES) finish(new NonRetryableFetchError(target, 'JWKS too large'));
          else chunks.push(chunk);
        });
        res.on('end', () => finish(undefined, Buffer.concat(chunks)));
        res.on('error', (error) => finish(error));
      });
      const timer = setTimeout(() => finish(new FetchError(target, `no JWKS within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      timer.unref();
      req.on('error', (error) => finish(error));
      req.end();
    });
  }
}
