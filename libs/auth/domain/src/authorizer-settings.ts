import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, ISSUED_AT_CLOCK_SKEW_SECONDS } from './token-times';

/** The range a maximum token lifetime setting may take, in seconds: a minute to 30 days. */
export const MAX_TOKEN_LIFETIME_RANGE = { min: 60, max: 2_592_000 } as const;

const maxLifetimeDescription = (tokens: string) =>
  `The longest a ${tokens} may be valid for, in seconds (exp − iat; exp − now for a token without iat), ` +
  `from ${MAX_TOKEN_LIFETIME_RANGE.min} to ${MAX_TOKEN_LIFETIME_RANGE.max}; a longer-lived token is refused. ` +
  `Every JWT scheme also refuses a crit header and an iat more than ${ISSUED_AT_CLOCK_SKEW_SECONDS} s in the future.`;

/**
 * The settings (environment variables) the authorizer reads, per token scheme. Read by the
 * authorizer's composition root; published here so the infrastructure and the local stack
 * set exactly these names. A required setting that is missing fails the cold start, naming it.
 */
export const AUTH_SCHEMES = ['cognito', 'oidc', 'shared-secret'] as const;
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

export interface SettingDoc {
  readonly name: string;
  readonly required: boolean;
  /** What happens when it is absent (only for optional settings). */
  readonly default?: string;
  readonly description: string;
}

/** Read by the JWT schemes (cognito, oidc), which download their keys; not by shared-secret. */
const JWKS_TIMEOUT: SettingDoc = {
  name: 'AUTH_JWKS_TIMEOUT_MS',
  required: false,
  default: '3000',
  description: 'Time allowed for one JWKS download (cold start or new key id).',
};

export const AUTHORIZER_SETTINGS = {
  common: [
    { name: 'AUTH_SCHEME', required: true, description: `Token scheme: ${AUTH_SCHEMES.join(' | ')}.` },
  ],
  cognito: [
    JWKS_TIMEOUT,
    { name: 'COGNITO_USER_POOL_ID', required: true, description: 'The user pool id, e.g. eu-west-1_AbCdEf123.' },
    {
      name: 'COGNITO_CLIENT_ID',
      required: true,
      description: 'The app client id(s) accepted, comma-separated (aud of an ID token, client_id of an access token).',
    },
    {
      name: 'COGNITO_TOKEN_USE',
      required: false,
      default: 'id',
      description: 'id | access: which token the callers send (API Gateway\'s Cognito authorizer takes ID tokens).',
    },
    {
      name: 'COGNITO_GROUPS',
      required: false,
      default: 'any group or none',
      description: 'Comma-separated groups; if set, the caller must be in at least one.',
    },
    {
      name: 'COGNITO_ISSUER',
      required: false,
      default: 'https://cognito-idp.<region>.amazonaws.com/<pool id> (required when the pool id is not in AWS form)',
      description: 'Override of the expected iss, for a local identity provider, e.g. http://127.0.0.1:9229/<pool id>.',
    },
    {
      name: 'COGNITO_JWKS_URI',
      required: false,
      default: '<issuer>/.well-known/jwks.json',
      description:
        'Override of where the signing keys are fetched. Only together with COGNITO_ISSUER, or as an http loopback URL (a local identity provider, e.g. http://127.0.0.1:9229/<pool id>/.well-known/jwks.json); otherwise the cold start fails.',
    },
    {
      name: 'COGNITO_MAX_TOKEN_LIFETIME_SECONDS',
      required: false,
      default: `${DEFAULT_MAX_TOKEN_LIFETIME_SECONDS} (a day, the longest Cognito issues ID and access tokens for)`,
      description: maxLifetimeDescription('Cognito token'),
    },
  ],
  oidc: [
    JWKS_TIMEOUT,
    { name: 'OIDC_ISSUER', required: true, description: 'The expected iss claim.' },
    { name: 'OIDC_AUDIENCE', required: true, description: 'The accepted aud value(s), comma-separated.' },
    { name: 'OIDC_JWKS_URI', required: false, default: '<issuer>/.well-known/jwks.json', description: 'Where the signing keys are fetched.' },
    { name: 'OIDC_GROUPS_CLAIM', required: false, default: 'groups', description: 'The claim that lists the caller\'s groups.' },
    {
      name: 'OIDC_REQUIRED_SCOPES',
      required: false,
      default: 'no scope required',
      description: 'Space- or comma-separated scopes; if set, the token must carry at least one.',
    },
    {
      name: 'OIDC_MAX_TOKEN_LIFETIME_SECONDS',
      required: false,
      default: `${DEFAULT_MAX_TOKEN_LIFETIME_SECONDS} (a day)`,
      description: maxLifetimeDescription('token of the issuer'),
    },
  ],
  'shared-secret': [
    {
      name: 'SHARED_SECRET',
      required: true,
      description: 'The secret callers send (at least 16 characters); compared in constant time. Inject it from a secret store.',
    },
    {
      name: 'SHARED_SECRET_HEADER',
      required: false,
      default: 'Authorization',
      description: 'The header that carries the secret (raw or "Bearer <secret>").',
    },
    {
      name: 'SHARED_SECRET_PRINCIPAL',
      required: false,
      default: 'shared-secret-client',
      description: 'The principalId and sub given to every caller that knows the secret.',
    },
  ],
} as const satisfies Record<'common' | AuthScheme, readonly SettingDoc[]>;

/** The settings one scheme reads, the common ones included. */
export function settingsFor(scheme: AuthScheme): readonly SettingDoc[] {
  return [...AUTHORIZER_SETTINGS.common, ...AUTHORIZER_SETTINGS[scheme]];
}

const HEADER_NAME = /^[A-Za-z0-9-]+$/;

/**
 * The header the Lambda authorizer reads the token (or secret) from, i.e. API Gateway's
 * identity source for the REQUEST authorizer: SHARED_SECRET_HEADER for the shared-secret
 * scheme (default Authorization), Authorization for every other scheme. `settings` are the
 * authorizer's settings (its environment). The deployed API and the local gateway both
 * derive it here, so a request without this header is refused (401) before the authorizer runs.
 */
export function authorizerIdentityHeader(scheme: AuthScheme, settings: Readonly<Record<string, string | undefined>>): string {
  const header = scheme === 'shared-secret' ? (settings['SHARED_SECRET_HEADER'] ?? 'Authorization') : 'Authorization';
  if (!HEADER_NAME.test(header)) throw new Error(`setting SHARED_SECRET_HEADER "${header}" is not a header name`);
  return header;
}
