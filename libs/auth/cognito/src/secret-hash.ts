import { createHmac } from 'node:crypto';

/**
 * Cognito's SECRET_HASH for an app client with a secret: Base64(HMAC-SHA256(key = client
 * secret, message = username + client id)). Every call of the Cognito user-pool API that
 * names a user through such a client carries it (SignUp, ConfirmSignUp, InitiateAuth, …).
 */
export function cognitoSecretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}
