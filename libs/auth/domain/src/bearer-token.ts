import { refused, type VerificationFailure } from './token-verifier.port';

/**
 * API Gateway REST refuses requests whose headers exceed 10 KB, so a longer token is never
 * legitimate: refuse it before any parsing or crypto.
 */
export const MAX_TOKEN_LENGTH = 10_240;

export type TokenExtraction = { readonly ok: true; readonly token: string } | VerificationFailure;

const BEARER = /^bearer(?:\s+(.*))?$/is;

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
  const bearer = BEARER.exec(value);
  const token = bearer ? (bearer[1] ?? '').trim() : value;
  if (token === '') return refused('missing', 'bearer scheme without a token');
  if (/\s/.test(token)) return refused('malformed', 'whitespace inside the token');
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
