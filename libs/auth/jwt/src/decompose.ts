import { compactJwsShapeProblem } from '@serverless-orders/auth-domain';
import { JwtParseError } from 'aws-jwt-verify/error';
import type { DecomposedJwt } from 'aws-jwt-verify/jwt';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import { isJsonObject } from 'aws-jwt-verify/safe-json-parse';
import { parseJsonSafely } from './json-object';
import { TokenRefusedError } from './jwt-failure';

const isFiniteNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

/** aws-jwt-verify's checks of the header fields it reads (its decomposeUnverifiedJwt). */
function assertJwtHeader(header: unknown): asserts header is JwtHeader {
  if (!isJsonObject(header as never)) throw new JwtParseError('JWT header is not an object');
  const { alg, kid } = header as Record<string, unknown>;
  if (alg !== undefined && typeof alg !== 'string') throw new JwtParseError('JWT header alg claim is not a string');
  if (kid !== undefined && typeof kid !== 'string') throw new JwtParseError('JWT header kid claim is not a string');
}

/** aws-jwt-verify's checks of the registered claims' types (its decomposeUnverifiedJwt). */
function assertJwtPayload(payload: unknown): asserts payload is JwtPayload {
  if (!isJsonObject(payload as never)) throw new JwtParseError('JWT payload is not an object');
  const { exp, iss, sub, aud, nbf, iat, scope, jti } = payload as Record<string, unknown>;
  if (exp !== undefined && !isFiniteNumber(exp)) throw new JwtParseError('JWT payload exp claim is not a number');
  if (iss !== undefined && typeof iss !== 'string') throw new JwtParseError('JWT payload iss claim is not a string');
  if (sub !== undefined && typeof sub !== 'string') throw new JwtParseError('JWT payload sub claim is not a string');
  if (aud !== undefined && typeof aud !== 'string' && (!Array.isArray(aud) || aud.some((a) => typeof a !== 'string'))) {
    throw new JwtParseError('JWT payload aud claim is not a string or array of strings');
  }
  if (nbf !== undefined && !isFiniteNumber(nbf)) throw new JwtParseError('JWT payload nbf claim is not a number');
  if (iat !== undefined && !isFiniteNumber(iat)) throw new JwtParseError('JWT payload iat claim is not a number');
  if (scope !== undefined && typeof scope !== 'string') throw new JwtParseError('JWT payload scope claim is not a string');
  if (jti !== undefined && typeof jti !== 'string') throw new JwtParseError('JWT payload jti claim is not a string');
}

function parseSegment(segment: string, part: 'Header' | 'Payload'): unknown {
  try {
    return parseJsonSafely(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch (error) {
    throw new JwtParseError(`Invalid JWT. ${part} is not a valid JSON object`, error);
  }
}

/**
 * The last header decoded, and its text: the tokens of one issuer share one header (alg, kid,
 * typ), so it is decoded, checked and parsed once per signing key rather than once per token.
 * One entry only, so nobody can grow it; frozen, since the verifications share it.
 */
let lastHeader: { readonly b64: string; readonly header: JwtHeader } | undefined;

function headerOf(headerB64: string): JwtHeader {
  if (lastHeader?.b64 === headerB64) return lastHeader.header;
  const header = parseSegment(headerB64, 'Header');
  assertJwtHeader(header);
  if ('crit' in header) throw new TokenRefusedError('critical-header', 'the header has a crit parameter; no extension is understood here');
  lastHeader = { b64: headerB64, header: Object.freeze(header) };
  return header;
}

/**
 * A compact JWS taken apart once, for aws-jwt-verify to verify: what the library's
 * decomposeUnverifiedJwt does (the same JSON object and claim-type checks, the same
 * prototype-pollution guarantee, see parseJsonSafely), stricter where we are stricter, and
 * each segment decoded a single time:
 * - the shape: three non-empty canonical base64url segments, checked on the characters
 *   (compactJwsShapeProblem), not by decoding and re-encoding;
 * - a `crit` header parameter, in any form, is refused: it names extensions the recipient
 *   must understand or refuse the token (RFC 7515 §4.1.11), we understand none, and
 *   aws-jwt-verify ignores it.
 * Nothing here is verified: the result is only fit to be handed to the verifier.
 * Throws JwtParseError or TokenRefusedError.
 */
export function decomposeJwt(token: string): DecomposedJwt {
  const shapeProblem = compactJwsShapeProblem(token);
  if (shapeProblem) throw new TokenRefusedError(shapeProblem.reason, shapeProblem.detail);
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  const headerB64 = token.slice(0, first);
  const payloadB64 = token.slice(first + 1, second);
  const header = headerOf(headerB64);
  const payload = parseSegment(payloadB64, 'Payload');
  assertJwtPayload(payload);
  return { header, headerB64, payload, payloadB64, signatureB64: token.slice(second + 1) };
}
