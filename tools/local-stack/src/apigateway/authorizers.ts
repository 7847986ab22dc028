import type { GatewayResponseType } from '@serverless-orders/api-gateway';
import type { CognitoTokenVerifier } from '@serverless-orders/auth-cognito';
import { AUTH_SCHEMES, authorizerIdentityHeader } from '@serverless-orders/auth-domain';
import type { Invoke } from '@serverless-orders/local-aws';
import { evaluatePolicy, MalformedAuthorizerAnswer, methodArn, parseAuthorizerAnswer, type AuthorizerAnswer } from './policy';
import { headerValue, requestAuthorizerEvent, type GatewayRequest, type StageInfo } from './events';

/** The outcome of the authorizer step, as API Gateway answers it. */
export type Authorization =
  | {
      readonly ok: true;
      /** requestContext.authorizer of the proxy event. */
      readonly authorizer: Record<string, unknown>;
      /** The caller, as the POST /orders mapping puts it into the queue message. */
      readonly principal: Record<string, string>;
    }
  | {
      readonly ok: false;
      /** API Gateway's own answer: the gateway response type, whose body infra configures. */
      readonly responseType: GatewayResponseType;
      readonly status: 401 | 403 | 500;
      readonly message: string | null;
      readonly errorType: string;
    };

export interface GatewayAuthorizer {
  readonly kind: 'cognito' | 'lambda';
  authorize(req: GatewayRequest, stage: StageInfo): Promise<Authorization>;
}

export const UNAUTHORIZED: Authorization = { ok: false, responseType: 'UNAUTHORIZED', status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' };
const EXPLICIT_DENY: Authorization = {
  ok: false,
  responseType: 'ACCESS_DENIED',
  status: 403,
  message: 'User is not authorized to access this resource with an explicit deny',
  errorType: 'AccessDeniedException',
};
const IMPLICIT_DENY: Authorization = {
  ok: false,
  responseType: 'ACCESS_DENIED',
  status: 403,
  message: 'User is not authorized to access this resource',
  errorType: 'AccessDeniedException',
};
const CONFIGURATION_ERROR: Authorization = {
  ok: false,
  responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
  status: 500,
  message: null,
  errorType: 'AuthorizerConfigurationException',
};

/**
 * The identity source: one header (Authorization unless the authorizer says otherwise); missing
 * or blank is no identity at all.
 */
export function identitySource(req: GatewayRequest, header = 'Authorization'): string | undefined {
  const value = headerValue(req.rawHeaders, header);
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * The Lambda authorizer's identity-source header, from the authorizer function's environment,
 * derived as infra derives it for the deployed API (SHARED_SECRET_HEADER for the shared-secret
 * scheme). An unknown AUTH_SCHEME fails the authorizer's own cold start; the header is then Authorization.
 */
export function lambdaAuthorizerIdentityHeader(env: Readonly<Record<string, string | undefined>>): string {
  const scheme = AUTH_SCHEMES.find((s) => s === env['AUTH_SCHEME']);
  return scheme ? authorizerIdentityHeader(scheme, env) : 'Authorization';
}

export interface Clock {
  now(): number;
}

type Logger = (message: string) => void;

/**
 * A Lambda REQUEST authorizer run as API Gateway runs it: no identity (the identity-source
 * header missing or blank) → 401 without invoking;
 * "Unauthorized" thrown → 401; any other error or a malformed answer → 500; otherwise the policy
 * is evaluated against this request's method ARN (explicit Deny or no matching Allow → 403).
 * Answers (policies) are cached per identity source for `ttlSeconds` and re-evaluated per route.
 */
export class LambdaRequestAuthorizer implements GatewayAuthorizer {
  readonly kind = 'lambda' as const;
  private readonly cache = new Map<string, { answer: AuthorizerAnswer; expires: number }>();

  constructor(
    private readonly invoke: Invoke,
    private readonly ttlSeconds: number,
    private readonly log: Logger = () => undefined,
    private readonly clock: Clock = Date,
    /** The identity source header (API Gateway: `method.request.header.<name>`). */
    readonly identityHeader = 'Authorization',
  ) {}

  async authorize(req: GatewayRequest, stage: StageInfo): Promise<Authorization> {
    const identity = identitySource(req, this.identityHeader);
    if (identity === undefined) return UNAUTHORIZED;
    const arn = methodArn({ ...stage, method: req.method, path: req.path });

    let answer: AuthorizerAnswer;
    const cached = this.cache.get(identity);
    if (cached && cached.expires > this.clock.now()) {
      answer = cached.answer;
    } else {
      this.cache.delete(identity);
      const result = await this.invoke(requestAuthorizerEvent(req, stage, arn));
      if (!result.ok) {
        if (result.errorMessage === 'Unauthorized') return UNAUTHORIZED;
        this.log(`authorizer failed: ${result.errorType}: ${result.errorMessage}`);
        return CONFIGURATION_ERROR;
      }
      try {
        answer = parseAuthorizerAnswer(result.payload);
      } catch (error) {
        if (!(error instanceof MalformedAuthorizerAnswer)) throw error;
        this.log(`authorizer answer refused: ${error.message}`);
        return CONFIGURATION_ERROR;
      }
      if (this.ttlSeconds > 0) this.cache.set(identity, { answer, expires: this.clock.now() + this.ttlSeconds * 1000 });
    }

    const verdict = evaluatePolicy(answer.statements, arn);
    if (verdict === 'explicit-deny') return EXPLICIT_DENY;
    if (verdict === 'implicit-deny') return IMPLICIT_DENY;
    const context = Object.fromEntries(Object.entries(answer.context).map(([k, v]) => [k, String(v)]));
    return {
      ok: true,
      // REST APIs hand the context to the integration with every value as a string.
      authorizer: { ...context, principalId: answer.principalId, integrationLatency: 0 },
      principal: { ...context, sub: answer.principalId },
    };
  }
}

/** Verifies a Cognito user-pool token; resolves its payload claims as they are in the token, or undefined when the token is not valid. */
export type TokenClaimsVerifier = (token: string) => Promise<Record<string, unknown> | undefined>;

/**
 * The user-pool authorizer's verification step, through the Cognito adapter: the verified
 * token's raw claims (numbers stay numbers), which CognitoUserPoolAuthorizer then renders as
 * API Gateway does. A refused token is logged with its reason.
 */
export function cognitoClaimsVerifier(verifier: Pick<CognitoTokenVerifier, 'verifyClaims'>, log: Logger = () => undefined): TokenClaimsVerifier {
  return async (token) => {
    const result = await verifier.verifyClaims(token);
    if (!result.ok) log(`Cognito authorizer: token refused (${result.reason})`);
    return result.ok ? { ...result.claims } : undefined;
  };
}

/**
 * Claims as API Gateway renders them in requestContext.authorizer.claims: every value a string,
 * the time claims (exp, iat, auth_time; epoch seconds in the token) as `Fri Nov 27 02:03:04 UTC 2026`,
 * arrays joined with ",". The one place the local gateway stringifies claims: it expects the
 * token's own values.
 */
export function claimsAsStrings(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(claims)) {
    if (value === undefined || value === null) continue;
    if ((key === 'exp' || key === 'iat' || key === 'auth_time') && typeof value === 'number') {
      out[key] = cognitoDate(new Date(value * 1000));
    } else if (Array.isArray(value)) {
      out[key] = value.join(',');
    } else {
      out[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
  }
  return out;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
/** `Fri Nov 27 02:03:04 UTC 2026`, the form API Gateway gives time claims. */
export function cognitoDate(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(
    d.getUTCSeconds(),
  )} UTC ${d.getUTCFullYear()}`;
}

/**
 * API Gateway's COGNITO_USER_POOLS authorizer: the Authorization header carries the ID token
 * (raw, or after "Bearer "); no header → 401 without verifying; an invalid token → 401; a valid
 * one → its claims in requestContext.authorizer.claims.
 */
export class CognitoUserPoolAuthorizer implements GatewayAuthorizer {
  readonly kind = 'cognito' as const;

  constructor(
    private readonly verify: TokenClaimsVerifier,
    private readonly log: Logger = () => undefined,
  ) {}

  async authorize(req: GatewayRequest): Promise<Authorization> {
    const identity = identitySource(req);
    if (identity === undefined) return UNAUTHORIZED;
    const token = identity.trim().replace(/^bearer\s+/i, '');
    let claims: Record<string, unknown> | undefined;
    try {
      claims = await this.verify(token);
    } catch (error) {
      this.log(`token verification failed: ${(error as Error).message}`);
      claims = undefined;
    }
    if (!claims || typeof claims.sub !== 'string') return UNAUTHORIZED;
    const strings = claimsAsStrings(claims);
    return { ok: true, authorizer: { claims: strings }, principal: { ...strings, sub: claims.sub } };
  }
}
