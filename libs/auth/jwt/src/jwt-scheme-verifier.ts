import { tokenTimeProblem } from '@serverless-orders/auth-domain';
import { JwksNotAvailableInCacheError, KidNotFoundInJwksError } from 'aws-jwt-verify/error';
import type { JwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { JwtVerifierBase, type JwtVerifierProperties, type VerifyProperties } from 'aws-jwt-verify/jwt-verifier';
import { decomposeJwt } from './decompose';
import { TokenRefusedError } from './jwt-failure';

export type SchemeVerifyProperties = Partial<VerifyProperties>;
/** One trusted issuer: aws-jwt-verify's own verifier properties. */
export type IssuerProperties = JwtVerifierProperties<SchemeVerifyProperties>;

/**
 * aws-jwt-verify's verifier, fed with tokens decomposed once (decomposeJwt) instead of by the
 * library's own decomposition; everything else is the library's: the issuer's configuration,
 * the JWKS cache (download, refetch for an unknown kid, back-off), the JWK's checks against
 * the header's alg, the signature, exp/nbf/iss/aud/scope, and the customJwtCheck.
 *
 * A token whose key is already cached is verified synchronously (the library's sync path, on
 * the same caches); only a token that needs a download (no JWKS yet, or a kid the cached JWKS
 * does not have) takes the asynchronous path, where the library fetches and then verifies.
 */
export class JwtSchemeVerifier extends JwtVerifierBase<SchemeVerifyProperties, IssuerProperties, boolean> {
  constructor(issuers: readonly IssuerProperties[], jwksCache: JwksCache) {
    super([...issuers], jwksCache);
  }

  /** The verified payload, or a promise of it; throws (or rejects) with the reason otherwise. */
  verifyToken(token: string): JwtPayload | Promise<JwtPayload> {
    const decomposed = decomposeJwt(token);
    const config = this.getIssuerConfig(decomposed.payload.iss);
    try {
      return this.verifyDecomposedJwtSync(decomposed, config.jwksUri, config);
    } catch (error) {
      if (!(error instanceof JwksNotAvailableInCacheError) && !(error instanceof KidNotFoundInJwksError)) throw error;
      return this.verifyDecomposedJwt(decomposed, config.jwksUri, config);
    }
  }
}

/**
 * The checks every JWT scheme adds to aws-jwt-verify's, as its customJwtCheck (run after the
 * signature and the library's claim checks): an exp claim is required (the library accepts a
 * token without one, which would be valid forever), iat may not be in the future beyond the
 * clock skew, and the lifetime may not exceed `maxTokenLifetimeSeconds` (tokenTimeProblem).
 * `then` runs last: the scheme's own claim checks.
 */
export function schemeChecks(options: {
  readonly maxTokenLifetimeSeconds: number;
  readonly then?: (payload: JwtPayload) => void;
}): (props: { payload: JwtPayload }) => void {
  const { maxTokenLifetimeSeconds, then } = options;
  if (!(Number.isFinite(maxTokenLifetimeSeconds) && maxTokenLifetimeSeconds > 0)) {
    throw new Error(`the maximum token lifetime must be a positive number of seconds, not ${maxTokenLifetimeSeconds}`);
  }
  return ({ payload }) => {
    if (typeof payload.exp !== 'number') throw new TokenRefusedError('malformed', 'the token has no exp claim');
    const problem = tokenTimeProblem(payload, Date.now() / 1000, { maxLifetimeSeconds: maxTokenLifetimeSeconds });
    if (problem) throw new TokenRefusedError(problem.reason, problem.detail);
    then?.(payload);
  };
}
