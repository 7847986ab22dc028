import { refused, type VerificationFailure } from './token-verifier.port';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The 6-bit value of a base64url character (the caller has checked the alphabet). */
function sextet(code: number): number {
  if (code >= 97) return code - 71; // a-z → 26..51
  if (code >= 65 && code <= 90) return code - 65; // A-Z → 0..25
  if (code >= 48 && code <= 57) return code + 4; // 0-9 → 52..61
  return code === 45 ? 62 : 63; // - → 62, _ → 63
}

/**
 * Is `segment` (base64url characters only) written exactly as a signer writes it: no padding,
 * a length that encodes whole bytes, and no spare bits set in its last character? Decided
 * without decoding: 2 characters past a multiple of 4 carry 1 byte (4 spare bits), 3 carry
 * 2 bytes (2 spare bits), 1 carries no whole byte at all.
 */
export function isCanonicalBase64url(segment: string): boolean {
  switch (segment.length % 4) {
    case 0:
      return true;
    case 2:
      return (sextet(segment.charCodeAt(segment.length - 1)) & 0x0f) === 0;
    case 3:
      return (sextet(segment.charCodeAt(segment.length - 1)) & 0x03) === 0;
    default:
      return false;
  }
}

/**
 * The shape of a signed JWT in compact form: three non-empty, canonical base64url segments.
 * Decoders are lenient (they skip unknown characters and ignore spare bits), so without this
 * check many different strings carry one valid signature. Undefined when the shape is right.
 */
export function compactJwsShapeProblem(token: string): VerificationFailure | undefined {
  if (!COMPACT_JWS.test(token)) {
    const segments = token.split('.').length;
    return refused('malformed', segments === 3 ? 'a segment is empty or not base64url' : `${segments} segments, expected 3`);
  }
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (
    !isCanonicalBase64url(token.slice(0, first)) ||
    !isCanonicalBase64url(token.slice(first + 1, second)) ||
    !isCanonicalBase64url(token.slice(second + 1))
  ) {
    return refused('malformed', 'a segment is not canonical base64url');
  }
  return undefined;
}
