import type { InvokeResult } from '@serverless-orders/local-aws';

/** An HTTP answer the gateway writes. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

const INTERNAL_ERROR = (): HttpAnswer => ({
  status: 502,
  headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'InternalServerErrorException' },
  body: Buffer.from(JSON.stringify({ message: 'Internal server error' })),
});

/**
 * A Lambda proxy integration's result as API Gateway maps it to HTTP: statusCode, headers,
 * multiValueHeaders, body (base64 when isBase64Encoded). A function error or a malformed
 * result is a 502 "Internal server error", as API Gateway answers it.
 */
export function proxyAnswer(result: InvokeResult): HttpAnswer {
  if (!result.ok) return INTERNAL_ERROR();
  const r = result.payload as Record<string, unknown> | null;
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return INTERNAL_ERROR();
  const status = r.statusCode === undefined ? 200 : Number(r.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return INTERNAL_ERROR();
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return INTERNAL_ERROR();
  const headers: Record<string, string | string[]> = {};
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object') return INTERNAL_ERROR();
    for (const [k, v] of Object.entries(r.headers)) {
      if (typeof v === 'object' && v !== null) return INTERNAL_ERROR();
      headers[k] = String(v);
    }
  }
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object') return INTERNAL_ERROR();
    for (const [k, v] of Object.entries(r.multiValueHeaders)) {
      if (!Array.isArray(v)) return INTERNAL_ERROR();
      headers[k] = v.map(String);
    }
  }
  const text = typeof r.body === 'string' ? r.body : '';
  const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { status, headers, body };
}
