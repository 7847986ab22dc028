import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, MAX_TOKEN_LIFETIME_RANGE } from '@serverless-orders/auth-domain';
import { ConfigError, type ConfigReader } from '@serverless-orders/config';
import { isAwsUserPoolId, type CognitoSettings } from './cognito-token-verifier';

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/** http on the loopback interface: a local identity provider, never a host elsewhere. */
function isLoopbackHttp(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(url.hostname));
}

/**
 * COGNITO_JWKS_URI only together with COGNITO_ISSUER, or as an http loopback URL (the local
 * stack: AWS's issuer, keys served locally). Otherwise a deployed authorizer would expect
 * AWS's issuer yet trust whatever keys that URL serves, so it fails at cold start instead.
 */
function jwksUriFrom(config: ConfigReader, issuer: string | undefined): string | undefined {
  const jwksUri = config.optional('COGNITO_JWKS_URI');
  if (jwksUri !== undefined && issuer === undefined && !isLoopbackHttp(jwksUri)) {
    throw new ConfigError(
      `setting COGNITO_JWKS_URI is "${jwksUri}"; without COGNITO_ISSUER it may only be an http loopback URL (a local identity provider): set COGNITO_ISSUER to the issuer that serves these keys, or remove COGNITO_JWKS_URI`,
    );
  }
  return jwksUri;
}

/**
 * The Cognito scheme's settings, by the names published in AUTHORIZER_SETTINGS.cognito:
 * COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID (comma-separated), COGNITO_TOKEN_USE (id|access,
 * default id), COGNITO_GROUPS, COGNITO_ISSUER, COGNITO_JWKS_URI, COGNITO_MAX_TOKEN_LIFETIME_SECONDS
 * (default a day), and AUTH_JWKS_TIMEOUT_MS.
 */
export function cognitoSettingsFrom(config: ConfigReader): CognitoSettings {
  const userPoolId = config.required('COGNITO_USER_POOL_ID');
  const clientIds = list(config.required('COGNITO_CLIENT_ID'));
  const issuer = config.optional('COGNITO_ISSUER');
  if (issuer === undefined && !isAwsUserPoolId(userPoolId)) {
    // Fail at cold start, naming the setting, rather than on the first request.
    config.required('COGNITO_ISSUER');
  }
  return {
    userPoolId,
    clientIds,
    tokenUse: config.oneOf('COGNITO_TOKEN_USE', ['id', 'access'] as const, 'id'),
    groups: list(config.optional('COGNITO_GROUPS')),
    issuer,
    jwksUri: jwksUriFrom(config, issuer),
    jwksTimeoutMs: config.number('AUTH_JWKS_TIMEOUT_MS', 3000, { min: 50, max: 30_000 }),
    maxTokenLifetimeSeconds: config.number('COGNITO_MAX_TOKEN_LIFETIME_SECONDS', DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, MAX_TOKEN_LIFETIME_RANGE),
  };
}
