/**
 * The token-verification port: what the authorizer needs from any token scheme
 * (Cognito user pools, another OpenID Connect issuer, the original shared secret).
 */

/** Who the caller is, as a verified token says. */
export interface Principal {
  readonly sub: string;
  readonly username?: string;
  readonly email?: string;
  readonly groups: readonly string[];
  /** 'id' or 'access' for JWTs; the scheme's own word otherwise. */
  readonly token_use?: string;
  readonly scopes: readonly string[];
  readonly issuer?: string;
}

/** Why a token was refused. Every one of them ends in 401; the reason goes to the log. */
export const VERIFICATION_FAILURES = [
  'missing',
  /** The request carries its identity header more than once: whose identity it is would be a guess. */
  'ambiguous-identity',
  'malformed',
  'bad-signature',
  'expired',
  'not-yet-valid',
  'wrong-issuer',
  'wrong-audience',
  'wrong-token-use',
  /** Signed and valid, but without a subject: there is nobody to authorize. */
  'missing-subject',
  /** Signed and valid, but not in any of the groups the configuration requires. */
  'not-in-group',
  'unknown-key',
  'verifier-unavailable',
] as const;
export type VerificationFailureReason = (typeof VERIFICATION_FAILURES)[number];

export interface VerificationFailure {
  readonly ok: false;
  readonly reason: VerificationFailureReason;
  /** For the log only: never the token itself. */
  readonly detail?: string;
}

export type VerificationResult = { readonly ok: true; readonly principal: Principal } | VerificationFailure;

export interface TokenVerifier {
  /** Never throws for a bad token: a bad token is a VerificationFailure. */
  verify(token: string): Promise<VerificationResult>;
}

export function refused(reason: VerificationFailureReason, detail?: string): VerificationFailure {
  return detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };
}
