import { refused, type VerificationFailure } from './token-verifier.port';

/** The longest a JWT may be valid for (exp − iat) unless a scheme's setting says otherwise: a day, Cognito's own maximum. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;

/** How far an issuer's clock may run ahead of ours: an iat further in the future than this is refused. */
export const ISSUED_AT_CLOCK_SKEW_SECONDS = 60;

export interface TokenTimeRules {
  /** The longest validity accepted, exp − iat (or exp − now for a token without iat). */
  readonly maxLifetimeSeconds: number;
  readonly clockSkewSeconds?: number;
}

/**
 * The sanity checks of a signed token's times that the verifier itself does not make (it
 * checks exp and nbf): iat no more than the clock skew in the future (a token "issued" later
 * than now was minted with a wrong clock, or by someone choosing its times), and a lifetime
 * no longer than the maximum (a stolen long-lived token stays useful for its whole life).
 * A token without iat may still expire no later than the maximum from now.
 * `exp` and `iat` are numbers or absent (the verifier has checked their type); times in
 * seconds since the epoch. Undefined when the times are acceptable.
 */
export function tokenTimeProblem(
  claims: { readonly exp?: number; readonly iat?: number },
  nowSeconds: number,
  rules: TokenTimeRules,
): VerificationFailure | undefined {
  const skew = rules.clockSkewSeconds ?? ISSUED_AT_CLOCK_SKEW_SECONDS;
  const { exp, iat } = claims;
  if (iat !== undefined && iat > nowSeconds + skew) {
    return refused('not-yet-valid', `issued ${Math.round(iat - nowSeconds)} s in the future (iat), more than the ${skew} s clock skew allowed`);
  }
  if (exp === undefined) return undefined;
  if (iat !== undefined && exp - iat > rules.maxLifetimeSeconds) {
    return refused('lifetime-too-long', `valid for ${Math.round(exp - iat)} s (exp − iat), more than the ${rules.maxLifetimeSeconds} s allowed`);
  }
  if (iat === undefined && exp - nowSeconds > rules.maxLifetimeSeconds) {
    return refused('lifetime-too-long', `no iat, and valid for ${Math.round(exp - nowSeconds)} s more, more than the ${rules.maxLifetimeSeconds} s allowed`);
  }
  return undefined;
}
