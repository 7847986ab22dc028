/**
 * The token-verification port: what the authorizer needs from any token scheme
 * (Cognito user pools, another OpenID Connect issuer, a shared secret in a header).
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
  /** The JWS header has a crit parameter: it names extensions that must be understood, and none is (RFC 7515 §4.1.11). */
  'critical-header',
  'bad-signature',
  'expired',
  /** nbf in the future, or iat further in the future than the clock skew allows. */
  'not-yet-valid',
  /** Signed and current, but valid for longer (exp − iat) than the scheme's maximum lifetime. */
  'lifetime-too-long',
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
  /**
   * Never throws for a bad token: a bad token is a VerificationFailure. A verifier that has
   * what it needs at hand (a secret, cached keys) answers directly; one that must fetch first
   * answers with a promise. (Deployed with active tracing, every promise of an invocation
   * passes X-Ray's async hook, so the common case does without.)
   */
  verify(token: string): VerificationResult | Promise<VerificationResult>;
}

export function refused(reason: VerificationFailureReason, detail?: string): VerificationFailure {
  return detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };
}
