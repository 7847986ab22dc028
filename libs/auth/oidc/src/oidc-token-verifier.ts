import {
  compactJwsShapeProblem,
  isFailure,
  principalFromClaims,
  type TokenVerifier,
  type VerificationResult,
} from '@serverless-orders/auth-domain';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { JwksFetcher } from './jwks-fetcher';
import { failureOf, UnacceptableTokenError } from './jwt-failure';

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

interface PayloadVerifier {
  verify(token: string): Promise<JwtPayload>;
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
        customJwtCheck: ({ payload }) => {
          if (typeof payload.exp !== 'number') throw new UnacceptableTokenError('the token has no exp claim');
        },
      },
      { jwksCache: new SimpleJwksCache({ fetcher: new JwksFetcher({ timeoutMs: settings.jwksTimeoutMs }) }) },
    ) as unknown as PayloadVerifier;
  }

  async verify(token: string): Promise<VerificationResult> {
    let payload: JwtPayload;
    try {
      if (typeof token !== 'string' || token === '') return { ok: false, reason: 'missing' };
      const shapeProblem = compactJwsShapeProblem(token);
      if (shapeProblem) return shapeProblem;
      payload = await this.verifier.verify(token);
    } catch (error) {
      return failureOf(error);
    }
    const principal = principalFromClaims(payload, { groupsClaim: this.groupsClaim });
    return isFailure(principal) ? principal : { ok: true, principal };
  }
}
