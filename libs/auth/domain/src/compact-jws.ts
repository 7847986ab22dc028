import { refused, type VerificationFailure } from './token-verifier.port';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Is `segment` base64url exactly as a signer writes it: no padding, no stray characters, no spare bits set? */
function isCanonicalBase64url(segment: string): boolean {
  if (!BASE64URL.test(segment) || segment.length % 4 === 1) return false;
  return Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

/**
 * The shape of a signed JWT in compact form: three non-empty, canonical base64url segments.
 * Decoders are lenient (they skip unknown characters and ignore spare bits), so without this
 * check many different strings carry one valid signature. Undefined when the shape is right.
 */
export function compactJwsShapeProblem(token: string): VerificationFailure | undefined {
  const segments = token.split('.');
  if (segments.length !== 3) return refused('malformed', `${segments.length} segments, expected 3`);
  if (!segments.every(isCanonicalBase64url)) return refused('malformed', 'a segment is not canonical base64url');
  return undefined;
}
