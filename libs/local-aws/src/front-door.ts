import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/** What a front door answers itself instead of forwarding. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** An emulator's own request handler, called in this process (no second HTTP hop). */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Hands a request already read to an in-process handler: the same method, URL and headers, its
 * body replayed as a stream; the handler answers on the caller's response. Resolves when it has.
 */
function handIn(handler: RequestListener, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
  const replay = Object.assign(Readable.from(body.length ? [body] : []), {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    socket: req.socket,
  });
  return new Promise<void>((resolve) => {
    res.once('finish', resolve);
    res.once('close', resolve);
    handler(replay as unknown as IncomingMessage, res);
  });
}

/** For some requests, an edit of the backend's answer body (buffered, then sent with its new length). */
export type Rewrite = (req: IncomingMessage) => ((body: string) => string) | undefined;

/** Looks at a request (headers and whole body) and answers it, or returns undefined to let it through. */
export type Intercept = (req: IncomingMessage, body: Buffer) => Promise<Answer | undefined> | Answer | undefined;

/** An AWS JSON-protocol error answer (`__type` and `message`), as every JSON-protocol service writes it. */
export function awsJsonError(status: number, type: string, message: string, contentType = 'application/x-amz-json-1.0'): Answer {
  return { status, headers: { 'Content-Type': contentType, 'x-amzn-ErrorType': type }, body: JSON.stringify({ __type: type, message }) };
}

/**
 * A local AWS endpoint in front of an emulator: each request is read whole, offered to
 * `intercept` (operations the emulator lacks, and later the caller's permissions), and otherwise
 * forwarded as it came — method, path, headers (Host included, so URLs the emulator builds
 * name this endpoint) and body — to `backend`, whose answer is passed back unchanged: over HTTP
 * to a URL, or to a request listener in this process.
 */
export function frontDoor(backend: string | RequestListener, intercept: Intercept, rewrite?: Rewrite) {
  const pass: Pass = typeof backend === 'string' ? forwardTo(new URL(backend), rewrite) : (req, body, res) => handIn(backend, req, body, res);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const answer = await intercept(req, body);
    if (!answer) return pass(req, body, res);
    res.writeHead(answer.status, { ...answer.headers, 'Content-Length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  };
}

/** Hands a request already read on to the backend; resolves when its answer has been sent. */
type Pass = (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void>;

/** Forwards over HTTP to `target`, its answer passed back unchanged (or edited by `rewrite`). */
function forwardTo(target: URL, rewrite?: Rewrite): Pass {
  return (req, body, res) =>
    new Promise<void>((resolve) => {
      const forwarded = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (upstream) => {
          const edit = rewrite?.(req);
          if (!edit) {
            res.writeHead(upstream.statusCode ?? 502, upstream.headers);
            upstream.pipe(res);
            upstream.on('end', resolve);
            upstream.on('error', resolve);
            return;
          }
          const parts: Buffer[] = [];
          upstream.on('data', (c: Buffer) => parts.push(c));
          upstream.on('error', resolve);
          upstream.on('end', () => {
            const edited = edit(Buffer.concat(parts).toString('utf8'));
            res.writeHead(upstream.statusCode ?? 502, { ...upstream.headers, 'content-length': String(Buffer.byteLength(edited)) });
            res.end(edited);
            resolve();
          });
        },
      );
      forwarded.on('error', (error) => {
        if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ __type: 'ServiceUnavailable', message: error.message }));
        resolve();
      });
      forwarded.end(body);
    });
}
