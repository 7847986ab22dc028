import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, MAX_TOKEN_LIFETIME_RANGE } from '@serverless-orders/auth-domain';
import type { ConfigReader } from '@serverless-orders/config';
import type { OidcSettings } from './oidc-token-verifier';

const list = (value: string | undefined, separator = /,/): string[] =>
  (value ?? '')
    .split(separator)
    .map((v) => v.trim())
    .filter((v) => v !== '');

/**
 * The OIDC scheme's settings, by the names published in AUTHORIZER_SETTINGS.oidc:
 * OIDC_ISSUER, OIDC_AUDIENCE (comma-separated), OIDC_JWKS_URI, OIDC_GROUPS_CLAIM,
 * OIDC_REQUIRED_SCOPES, OIDC_MAX_TOKEN_LIFETIME_SECONDS (default a day), and AUTH_JWKS_TIMEOUT_MS.
 */
export function oidcSettingsFrom(config: ConfigReader): OidcSettings {
  return {
    issuer: config.required('OIDC_ISSUER'),
    audiences: list(config.required('OIDC_AUDIENCE')),
    jwksUri: config.optional('OIDC_JWKS_URI'),
    groupsClaim: config.optional('OIDC_GROUPS_CLAIM', 'groups'),
    requiredScopes: list(config.optional('OIDC_REQUIRED_SCOPES'), /[\s,]+/),
    jwksTimeoutMs: config.number('AUTH_JWKS_TIMEOUT_MS', 3000, { min: 50, max: 30_000 }),
    maxTokenLifetimeSeconds: config.number('OIDC_MAX_TOKEN_LIFETIME_SECONDS', DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, MAX_TOKEN_LIFETIME_RANGE),
  };
}
