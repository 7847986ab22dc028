import { refused, type VerificationFailure, type VerificationFailureReason } from '@serverless-orders/auth-domain';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidGroupError,
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwkInvalidKtyError,
  JwkInvalidUseError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwkValidationError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidScopeError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';

/**
 * Thrown by our own checks, made beside aws-jwt-verify's (no exp, a crit header, times out of
 * bounds): the token is not one we accept, for `reason`. The message is the detail for the
 * log and never quotes the token.
 */
export class TokenRefusedError extends Error {
  constructor(
    readonly reason: VerificationFailureReason,
    detail = 'refused',
  ) {
    super(detail);
    this.name = 'TokenRefusedError';
  }
}

/**
 * aws-jwt-verify's error → the port's refusal reason. The detail names the check, never the
 * token; parse errors get a fixed text because their messages quote decoded token content.
 */
export function failureOf(error: unknown): VerificationFailure {
  const message = error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
  if (error instanceof JwtParseError) return refused('malformed', 'not a well-formed JWT');
  if (error instanceof TokenRefusedError) return refused(error.reason, message);
  if (error instanceof JwtInvalidSignatureAlgorithmError) return refused('bad-signature', message);
  if (error instanceof JwtInvalidSignatureError) return refused('bad-signature', 'invalid signature');
  if (error instanceof JwtExpiredError) return refused('expired', message);
  if (error instanceof JwtNotBeforeError) return refused('not-yet-valid', message);
  if (error instanceof JwtInvalidIssuerError) return refused('wrong-issuer', message);
  if (error instanceof CognitoJwtInvalidClientIdError || error instanceof JwtInvalidAudienceError) return refused('wrong-audience', message);
  if (error instanceof JwtInvalidScopeError) return refused('wrong-audience', message);
  if (error instanceof CognitoJwtInvalidTokenUseError) return refused('wrong-token-use', message);
  if (error instanceof CognitoJwtInvalidGroupError) return refused('not-in-group', message);
  if (error instanceof KidNotFoundInJwksError || error instanceof JwtWithoutValidKidError) return refused('unknown-key', message);
  if (error instanceof WaitPeriodNotYetEndedJwkError) return refused('unknown-key', 'unknown key id; JWKS refresh on hold');
  if (error instanceof JwkValidationError || error instanceof JwkInvalidUseError || error instanceof JwkInvalidKtyError) {
    return refused('unknown-key', `no usable key: ${message}`);
  }
  if (error instanceof FetchError || error instanceof JwksValidationError || error instanceof JwksNotAvailableInCacheError) {
    return refused('verifier-unavailable', message);
  }
  // Raised before the signature check when the iss claim is missing or not one we know.
  if (error instanceof ParameterValidationError && /issuer/i.test(message)) return refused('wrong-issuer', message);
  if (error instanceof ParameterValidationError) return refused('malformed', message);
  return refused('verifier-unavailable', `unexpected ${error instanceof Error ? error.name : typeof error}: ${message}`);
}
