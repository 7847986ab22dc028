import { refused, type VerificationFailure } from './token-verifier.port';

/**
 * API Gateway REST refuses requests whose headers exceed 10 KB, so a longer token is never
 * legitimate: refuse it before any parsing or crypto.
 */
export const MAX_TOKEN_LENGTH = 10_240;

export type TokenExtraction = { readonly ok: true; readonly token: string } | VerificationFailure;

const WHITESPACE = /\s/;

/** Does `value` start with the scheme name "bearer", in any case? */
const startsWithBearer = (value: string): boolean => value.length >= 6 && value.slice(0, 6).toLowerCase() === 'bearer';

/**
 * The token from an Authorization header value: a raw token, or "Bearer <token>" with the
 * scheme matched case-insensitively. Absent, empty, whitespace-only and "Bearer" alone are
 * `missing`; anything with whitespace inside the token or longer than MAX_TOKEN_LENGTH is
 * `malformed`.
 */
export function extractToken(headerValue: string | null | undefined): TokenExtraction {
  if (typeof headerValue !== 'string') return refused('missing', 'no authorization header');
  const value = headerValue.trim();
  if (value === '') return refused('missing', 'empty authorization header');
  if (value.length > MAX_TOKEN_LENGTH + 7) return refused('malformed', 'token too long');
  // "Bearer" alone, or followed by whitespace and the token; "Bearerxyz" is a raw token.
  const bearer = startsWithBearer(value) && (value.length === 6 || WHITESPACE.test(value[6]));
  const token = bearer ? value.slice(6).trim() : value;
  if (token === '') return refused('missing', 'bearer scheme without a token');
  if (WHITESPACE.test(token)) return refused('malformed', 'whitespace inside the token');
  if (token.length > MAX_TOKEN_LENGTH) return refused('malformed', 'token too long');
  return { ok: true, token };
}

/** A header's value, its name matched case-insensitively (HTTP header names are). */
export function headerValue(
  headers: Readonly<Record<string, string | undefined | null>> | null | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  }
  return undefined;
}

type HeaderMap = Readonly<Record<string, string | undefined | null>> | null | undefined;
type MultiValueHeaderMap = Readonly<Record<string, readonly (string | undefined | null)[] | undefined | null>> | null | undefined;

/**
 * The one value of a request's identity header, as a Lambda REQUEST authorizer receives the
 * request: `headers` (one value per name, the last one sent) and `multiValueHeaders` (every
 * value sent). Names match case-insensitively. More than one value, however spelled and
 * wherever found, is `ambiguous-identity`: `headers` alone would silently pick the last one,
 * and which caller that is, is a guess. No value at all is `{ ok: true, value: undefined }`.
 */
export function singleHeaderValue(
  headers: HeaderMap,
  multiValueHeaders: MultiValueHeaderMap,
  name: string,
): { readonly ok: true; readonly value: string | undefined } | VerificationFailure {
  const wanted = name.toLowerCase();
  let fromHeaders: string | undefined;
  let inHeaders = 0;
  if (headers) {
    for (const key in headers) {
      const value = headers[key];
      if (typeof value === 'string' && key.length === wanted.length && key.toLowerCase() === wanted) {
        inHeaders += 1;
        fromHeaders = value;
      }
    }
  }
  let fromMulti: string | undefined;
  let inMulti = 0;
  if (multiValueHeaders) {
    for (const key in multiValueHeaders) {
      const values = multiValueHeaders[key];
      if (!Array.isArray(values) || key.length !== wanted.length || key.toLowerCase() !== wanted) continue;
      for (const value of values) {
        if (typeof value !== 'string') continue;
        inMulti += 1;
        fromMulti = value;
      }
    }
  }
  const count = Math.max(inHeaders, inMulti);
  if (count > 1 || (inHeaders === 1 && inMulti === 1 && fromHeaders !== fromMulti)) {
    return refused('ambiguous-identity', `${Math.max(count, 2)} values of the ${name} header`);
  }
  return { ok: true, value: fromHeaders ?? fromMulti };
}
