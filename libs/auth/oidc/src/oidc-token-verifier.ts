import {
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  isFailure,
  principalFromClaims,
  type TokenVerifier,
  type VerificationResult,
} from '@serverless-orders/auth-domain';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { andThen, JwksFetcher, JwtSchemeVerifier, schemeChecks, verifyPayload, type PayloadVerification } from '@serverless-orders/auth-jwt';

export interface OidcSettings {
  /** The expected iss claim. */
  readonly issuer: string;
  /** Accepted aud values (at least one must be present in the token). */
  readonly audiences: readonly string[];
  /** Default <issuer>/.well-known/jwks.json. */
  readonly jwksUri?: string;
  /** The claim listing the caller's groups; default "groups". */
  readonly groupsClaim?: string;
  /** If non-empty, the token's scope claim must contain at least one. */
  readonly requiredScopes?: readonly string[];
  readonly jwksTimeoutMs: number;
  /** The longest validity (exp − iat) accepted; default DEFAULT_MAX_TOKEN_LIFETIME_SECONDS (a day). */
  readonly maxTokenLifetimeSeconds?: number;
}

/**
 * Tokens of any OpenID Connect issuer with a JWKS, through aws-jwt-verify: signature, issuer,
 * audience, exp/nbf, optional scopes, and the checks every scheme adds (exp required, no crit
 * header, iat not in the future, lifetime at most `maxTokenLifetimeSeconds`). With the keys
 * cached, verify() answers without a promise; it never throws.
 */
export class OidcTokenVerifier implements TokenVerifier {
  private readonly verifier: JwtSchemeVerifier;
  private readonly groupsClaim: string;

  constructor(readonly settings: OidcSettings) {
    if (settings.audiences.length === 0) throw new Error('OIDC verifier: at least one audience is required');
    this.groupsClaim = settings.groupsClaim ?? 'groups';
    const scope = settings.requiredScopes && settings.requiredScopes.length > 0 ? [...settings.requiredScopes] : undefined;
    this.verifier = new JwtSchemeVerifier(
      [
        {
          issuer: settings.issuer,
          audience: [...settings.audiences],
          jwksUri: settings.jwksUri ?? `${settings.issuer.replace(/\/+$/, '')}/.well-known/jwks.json`,
          ...(scope ? { scope } : {}),
          customJwtCheck: schemeChecks({ maxTokenLifetimeSeconds: settings.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS }),
        },
      ],
      new SimpleJwksCache({ fetcher: new JwksFetcher({ timeoutMs: settings.jwksTimeoutMs }) }),
    );
  }

  verify(token: string): VerificationResult | Promise<VerificationResult> {
    return andThen(verifyPayload(this.verifier, token), (verified: PayloadVerification): VerificationResult => {
      if (!verified.ok) return verified;
      const principal = principalFromClaims(verified.payload, { groupsClaim: this.groupsClaim });
      return isFailure(principal) ? principal : { ok: true, principal };
    });
  }
}
