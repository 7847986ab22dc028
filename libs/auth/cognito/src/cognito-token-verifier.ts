import {
  isFailure,
  principalFromClaims,
  type Principal,
  type TokenVerifier,
  type VerificationFailure,
  type VerificationResult,
} from '@serverless-orders/auth-domain';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { JwksFetcher, requireExpiry, verifyPayload, type PayloadVerifier } from '@serverless-orders/auth-jwt';

export interface CognitoSettings {
  /** e.g. eu-west-1_AbCdEf123; any form when `issuer` is given (a local identity provider). */
  readonly userPoolId: string;
  /** The app client id(s) accepted: aud of an ID token, client_id of an access token. */
  readonly clientIds: readonly string[];
  readonly tokenUse: 'id' | 'access';
  /** If non-empty, the caller must be in at least one of these groups. */
  readonly groups?: readonly string[];
  /** Expected iss; default https://cognito-idp.<region>.amazonaws.com/<userPoolId>. */
  readonly issuer?: string;
  /** Where the keys are; default <issuer>/.well-known/jwks.json. http: is allowed. */
  readonly jwksUri?: string;
  /** Time allowed for one JWKS download. */
  readonly jwksTimeoutMs: number;
}

/**
 * A verified token: the principal, and the token's payload claims as they are in the token
 * (numbers stay numbers, arrays stay arrays). How a gateway renders them (API Gateway turns
 * every claim into a string, times into dates) is the gateway's business, not the verifier's.
 */
export type ClaimsVerification =
  | { readonly ok: true; readonly principal: Principal; readonly claims: Readonly<Record<string, unknown>> }
  | VerificationFailure;


const AWS_POOL_ID = /^(?:eusc-[a-z]{2}|[a-z]{2})-(?:gov-)?[a-z]+-\d_[a-zA-Z0-9]+$/;

/**
 * Cognito user-pool tokens (the TokenVerifier port), through aws-jwt-verify.
 *
 * - Real Cognito (pool id in AWS form, no issuer override): CognitoJwtVerifier, its issuer
 *   derived from the pool id; `jwksUri` may still point the key download elsewhere.
 * - A local identity provider (issuer given, pool id in any form): JwtVerifier with that
 *   issuer plus the same Cognito claim checks (token_use, aud/client_id, groups) that
 *   CognitoJwtVerifier applies, via aws-jwt-verify's validateCognitoJwtFields.
 *
 * Keys are fetched on the first verification and again only for an unknown kid
 * (SimpleJwksCache, with a back-off after a miss). verify() never throws.
 */
export class CognitoTokenVerifier implements TokenVerifier {
  private readonly verifier: PayloadVerifier;

  constructor(readonly settings: CognitoSettings) {
    if (settings.clientIds.length === 0) throw new Error('Cognito verifier: at least one client id is required');
    const issuer = settings.issuer ?? defaultIssuer(settings.userPoolId);
    const jwksCache = new SimpleJwksCache({
      fetcher: new JwksFetcher({ timeoutMs: settings.jwksTimeoutMs, uriOverride: settings.jwksUri }),
    });
    const clientId = [...settings.clientIds];
    const groups = settings.groups && settings.groups.length > 0 ? [...settings.groups] : null;

    if (settings.issuer === undefined) {
      this.verifier = CognitoJwtVerifier.create(
        { userPoolId: settings.userPoolId, clientId, tokenUse: settings.tokenUse, groups, customJwtCheck: requireExpiry },
        { jwksCache },
      ) as unknown as PayloadVerifier;
    } else {
      this.verifier = JwtVerifier.create(
        {
          issuer,
          audience: null, // checked below as Cognito does: aud for ID tokens, client_id for access tokens
          jwksUri: settings.jwksUri ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`,
          customJwtCheck: ({ payload }) => {
            requireExpiry({ payload });
            validateCognitoJwtFields(payload, { clientId, tokenUse: settings.tokenUse, groups });
          },
        },
        { jwksCache },
      ) as unknown as PayloadVerifier;
    }
  }

  async verify(token: string): Promise<VerificationResult> {
    const result = await this.verifyClaims(token);
    return result.ok ? { ok: true, principal: result.principal } : result;
  }

  /**
   * Verify as API Gateway's Cognito user-pool authorizer does, and return the verified token's
   * payload claims unchanged, beside the principal.
   */
  async verifyClaims(token: string): Promise<ClaimsVerification> {
    const verified = await verifyPayload(this.verifier, token);
    if (!verified.ok) return verified;
    const { payload } = verified;
    const principal = principalFromClaims(payload, { groupsClaim: 'cognito:groups' });
    if (isFailure(principal)) return principal;
    return { ok: true, principal, claims: { ...payload } };
  }
}

export function defaultIssuer(userPoolId: string): string {
  if (!AWS_POOL_ID.test(userPoolId)) {
    throw new Error(`Cognito user pool id "${userPoolId}" is not in AWS form (region_id): set the issuer explicitly`);
  }
  return CognitoJwtVerifier.parseUserPoolId(userPoolId).issuer;
}

export const isAwsUserPoolId = (userPoolId: string): boolean => AWS_POOL_ID.test(userPoolId);
