import {
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  isFailure,
  principalFromClaims,
  type Principal,
  type TokenVerifier,
  type VerificationFailure,
  type VerificationResult,
} from '@serverless-orders/auth-domain';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import {
  andThen,
  JwksFetcher,
  JwtSchemeVerifier,
  schemeChecks,
  verifyPayload,
  type IssuerProperties,
  type PayloadVerification,
} from '@serverless-orders/auth-jwt';

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
  /** The longest validity (exp − iat) accepted; default DEFAULT_MAX_TOKEN_LIFETIME_SECONDS (a day). */
  readonly maxTokenLifetimeSeconds?: number;
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
 * Cognito user-pool tokens (the TokenVerifier port), through aws-jwt-verify, with the checks
 * CognitoJwtVerifier makes:
 *
 * - Real Cognito (pool id in AWS form, no issuer override): the pool's issuers as
 *   CognitoJwtVerifier derives them (CognitoJwtVerifier.parseUserPoolId: the regional and the
 *   global issuer form); `jwksUri` may still point the key download elsewhere.
 * - A local identity provider (issuer given, pool id in any form): that issuer.
 *
 * In both, aws-jwt-verify checks the signature, exp, nbf and iss, then the Cognito claims
 * (token_use, aud/client_id, groups) with its validateCognitoJwtFields, after the checks
 * every scheme adds (exp required, iat not in the future, lifetime at most
 * `maxTokenLifetimeSeconds`; a crit header is refused before any of it).
 *
 * Keys are fetched on the first verification and again only for an unknown kid
 * (SimpleJwksCache, with a back-off after a miss); with the keys cached, verify() answers
 * without a promise. verify() never throws.
 */
export class CognitoTokenVerifier implements TokenVerifier {
  private readonly verifier: JwtSchemeVerifier;

  constructor(readonly settings: CognitoSettings) {
    if (settings.clientIds.length === 0) throw new Error('Cognito verifier: at least one client id is required');
    const clientId = [...settings.clientIds];
    const groups = settings.groups && settings.groups.length > 0 ? [...settings.groups] : null;
    const common = {
      audience: null, // checked by validateCognitoJwtFields, as Cognito does: aud for ID tokens, client_id for access tokens
      customJwtCheck: schemeChecks({
        maxTokenLifetimeSeconds: settings.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
        then: (payload: JwtPayload) => validateCognitoJwtFields(payload, { clientId, tokenUse: settings.tokenUse, groups }),
      }),
    };
    const issuers: IssuerProperties[] =
      settings.issuer === undefined
        ? cognitoIssuers(settings.userPoolId).map((issuer) => ({ ...issuer, ...common }))
        : [{ issuer: settings.issuer, jwksUri: settings.jwksUri ?? `${settings.issuer.replace(/\/+$/, '')}/.well-known/jwks.json`, ...common }];
    this.verifier = new JwtSchemeVerifier(
      issuers,
      new SimpleJwksCache({ fetcher: new JwksFetcher({ timeoutMs: settings.jwksTimeoutMs, uriOverride: settings.jwksUri }) }),
    );
  }

  verify(token: string): VerificationResult | Promise<VerificationResult> {
    return andThen(verifyPayload(this.verifier, token), principalVerification);
  }

  /**
   * Verify as API Gateway's Cognito user-pool authorizer does, and return the verified token's
   * payload claims unchanged, beside the principal. Directly when the keys are cached, else a
   * promise; never throws, never rejects.
   */
  verifyClaims(token: string): ClaimsVerification | Promise<ClaimsVerification> {
    return andThen(verifyPayload(this.verifier, token), claimsVerification);
  }
}

function principalVerification(verified: PayloadVerification): VerificationResult {
  if (!verified.ok) return verified;
  const principal = principalFromClaims(verified.payload, { groupsClaim: 'cognito:groups' });
  return isFailure(principal) ? principal : { ok: true, principal };
}

function claimsVerification(verified: PayloadVerification): ClaimsVerification {
  if (!verified.ok) return verified;
  const result = principalVerification(verified);
  return result.ok ? { ok: true, principal: result.principal, claims: { ...verified.payload } } : result;
}

/** The issuers CognitoJwtVerifier accepts for a pool: the regional form and the global one, keys at <issuer>/.well-known/jwks.json. */
function cognitoIssuers(userPoolId: string): { issuer: string; jwksUri: string }[] {
  defaultIssuer(userPoolId); // refuses a pool id not in AWS form
  const region = userPoolId.split('_')[0];
  return [
    CognitoJwtVerifier.parseUserPoolId(userPoolId),
    CognitoJwtVerifier.parseUserPoolId(userPoolId, `https://issuer-cognito-idp.${region}.amazonaws.com/${userPoolId}`),
  ];
}

function defaultIssuer(userPoolId: string): string {
  if (!AWS_POOL_ID.test(userPoolId)) {
    throw new Error(`Cognito user pool id "${userPoolId}" is not in AWS form (region_id): set the issuer explicitly`);
  }
  return CognitoJwtVerifier.parseUserPoolId(userPoolId).issuer;
}

export const isAwsUserPoolId = (userPoolId: string): boolean => AWS_POOL_ID.test(userPoolId);
