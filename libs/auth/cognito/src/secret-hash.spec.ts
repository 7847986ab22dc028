import { cognitoSecretHash } from './secret-hash';

describe('cognitoSecretHash', () => {
  it('is Base64(HMAC-SHA256(client secret, username + client id)), as Cognito computes SECRET_HASH', () => {
    // printf '%s' 'user@example.comclient' | openssl dgst -sha256 -hmac 'secret' -binary | base64
    expect(cognitoSecretHash('user@example.com', 'client', 'secret')).toBe('4zqhOFl0JivfkWh1VINyOJyrDTdsinJktzPUT+t0plg=');
  });

  it('depends on the username, the client id and the secret', () => {
    const base = cognitoSecretHash('user@example.com', 'client', 'secret');
    expect(cognitoSecretHash('other@example.com', 'client', 'secret')).not.toBe(base);
    expect(cognitoSecretHash('user@example.com', 'client2', 'secret')).not.toBe(base);
    expect(cognitoSecretHash('user@example.com', 'client', 'secret2')).not.toBe(base);
  });
});
