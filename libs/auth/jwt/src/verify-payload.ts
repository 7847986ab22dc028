import { compactJwsShapeProblem, type VerificationFailure } from '@serverless-orders/auth-domain';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { failureOf, UnacceptableTokenError } from './jwt-failure';

/** What the JWT schemes need of an aws-jwt-verify verifier. */
export interface PayloadVerifier {
  verify(token: string): Promise<JwtPayload>;
}

/**
 * The common first step of every JWT scheme: refuse an empty or ill-shaped token before any
 * cryptography, verify it, and turn whatever aws-jwt-verify throws into a failure reason.
 * Never throws.
 */
export async function verifyPayload(
  verifier: PayloadVerifier,
  token: string,
): Promise<{ readonly ok: true; readonly payload: JwtPayload } | VerificationFailure> {
  try {
    if (typeof token !== 'string' || token === '') return { ok: false, reason: 'missing' };
    const shapeProblem = compactJwsShapeProblem(token);
    if (shapeProblem) return shapeProblem;
    return { ok: true, payload: await verifier.verify(token) };
  } catch (error) {
    return failureOf(error);
  }
}

/** Tokens without an expiry would be valid forever (aws-jwt-verify accepts them): every scheme demands exp. */
export function requireExpiry({ payload }: { payload: JwtPayload }): void {
  if (typeof payload.exp !== 'number') throw new UnacceptableTokenError('the token has no exp claim');
}
