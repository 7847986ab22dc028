import type { ConfigReader } from '@serverless-orders/platform-lambda';
import { isAwsUserPoolId, type CognitoSettings } from './cognito-token-verifier';

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/**
 * The Cognito scheme's settings, by the names published in AUTHORIZER_SETTINGS.cognito:
 * COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID (comma-separated), COGNITO_TOKEN_USE (id|access,
 * default id), COGNITO_GROUPS, COGNITO_ISSUER, COGNITO_JWKS_URI, and AUTH_JWKS_TIMEOUT_MS.
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
    jwksUri: config.optional('COGNITO_JWKS_URI'),
    jwksTimeoutMs: config.number('AUTH_JWKS_TIMEOUT_MS', 3000, { min: 50, max: 30_000 }),
  };
}
