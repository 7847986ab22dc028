import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

/** What a SigV4-signed request says about its caller (the `Authorization` header, or a presigned URL's query). */
export interface SigV4Credential {
  readonly accessKeyId: string;
  /** The credential scope: `<date>/<region>/<service>/aws4_request`. */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const HEADER = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

/**
 * The caller's SigV4 credential, parsed from the request; undefined when it is not signed
 * (no Authorization header and no X-Amz-Credential), and a string saying what is wrong when it
 * is signed in a form that is not SigV4's.
 */
export function sigV4Credential(req: Pick<IncomingMessage, 'headers' | 'url'>): SigV4Credential | undefined | string {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header !== '') {
    const m = HEADER.exec(header);
    if (!m) return 'Authorization header requires Credential, SignedHeaders and Signature in AWS4-HMAC-SHA256 form.';
    return { accessKeyId: m[1], date: m[2], region: m[3], service: m[4], signedHeaders: m[5].split(';'), signature: m[6] };
  }
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const credential = query.get('X-Amz-Credential');
  if (!credential) return undefined;
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  const signature = query.get('X-Amz-Signature') ?? '';
  if (!accessKeyId || !/^\d{8}$/.test(date ?? '') || !region || !service || terminator !== 'aws4_request' || !/^[0-9a-f]{64}$/.test(signature)) {
    return 'X-Amz-Credential or X-Amz-Signature is not in SigV4 form.';
  }
  return { accessKeyId, date, region, service, signedHeaders: (query.get('X-Amz-SignedHeaders') ?? 'host').split(';'), signature };
}

const bytes = (data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

/**
 * SHA-256 and HMAC-SHA256 from node:crypto in the shape the signer takes (a Checksum
 * constructor). (Smithy's own, @smithy/hash-node, is not installed: the SDK bundles it.)
 */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const X_AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * Whether the header-signed request carries the signature its credential's secret gives:
 * the request is signed again, with the same date, scope and signed headers (@smithy/signature-v4,
 * the SDK's own signer), and the two signatures compared. `url` and `method` as received.
 */
export async function signatureMatches(
  req: Pick<IncomingMessage, 'headers' | 'url' | 'method'>,
  body: Buffer,
  credential: SigV4Credential,
  secret: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<boolean> {
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const d = X_AMZ_DATE.exec(amzDate);
  if (!d || !amzDate.startsWith(credential.date)) return false;
  const signingDate = new Date(Date.UTC(+d[1], +d[2] - 1, +d[3], +d[4], +d[5], +d[6]));
  const url = new URL(req.url ?? '/', 'http://localhost');
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  const headers: Record<string, string> = {};
  for (const name of credential.signedHeaders) {
    const value = req.headers[name];
    if (value === undefined) return false;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const signer = new SignatureV4({ credentials: secret, region: credential.region, service: credential.service, sha256: Sha256, uriEscapePath: true });
  const signed = await signer.sign(
    { method: req.method ?? 'POST', protocol: 'http:', hostname: headers.host ?? 'localhost', path: url.pathname, query, headers, body },
    { signingDate, signingRegion: credential.region, signingService: credential.service },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? signed.headers.Authorization ?? ''))?.[1];
  if (!expected) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(credential.signature));
}
