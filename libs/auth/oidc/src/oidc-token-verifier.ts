import {
  isFailure,
  principalFromClaims,
  type TokenVerifier,
  type VerificationResult,
} from '@serverless-orders/auth-domain';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { JwksFetcher, requireExpiry, verifyPayload, type PayloadVerifier } from '@serverless-orders/auth-jwt';

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
}


/**
 * Tokens of any OpenID Connect issuer with a JWKS, through aws-jwt-verify's JwtVerifier:
 * signature, issuer, audience, exp/nbf (exp required), optional scopes. verify() never throws.
 */
export class OidcTokenVerifier implements TokenVerifier {
  private readonly verifier: PayloadVerifier;
  private readonly groupsClaim: string;

  constructor(readonly settings: OidcSettings) {
    if (settings.audiences.length === 0) throw new Error('OIDC verifier: at least one audience is required');
    this.groupsClaim = settings.groupsClaim ?? 'groups';
    const scope = settings.requiredScopes && settings.requiredScopes.length > 0 ? [...settings.requiredScopes] : undefined;
    this.verifier = JwtVerifier.create(
      {
        issuer: settings.issuer,
        audience: [...settings.audiences],
        jwksUri: settings.jwksUri ?? `${settings.issuer.replace(/\/+$/, '')}/.well-known/jwks.json`,
        ...(scope ? { scope } : {}),
        customJwtCheck: requireExpiry,
      },
      { jwksCache: new SimpleJwksCache({ fetcher: new JwksFetcher({ timeoutMs: settings.jwksTimeoutMs }) }) },
    ) as unknown as PayloadVerifier;
  }

  async verify(token: string): Promise<VerificationResult> {
    const verified = await verifyPayload(this.verifier, token);
    if (!verified.ok) return verified;
    const { payload } = verified;
    const principal = principalFromClaims(payload, { groupsClaim: this.groupsClaim });
    return isFailure(principal) ? principal : { ok: true, principal };
  }
}
