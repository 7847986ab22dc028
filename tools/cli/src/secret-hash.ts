import { createHmac } from 'node:crypto';

/**
 * Cognito's SECRET_HASH for an app client with a secret: Base64(HMAC-SHA256(key = client
 * secret, message = username + client id)). The original walkthrough needed openssl for this.
 */
export function secretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}
