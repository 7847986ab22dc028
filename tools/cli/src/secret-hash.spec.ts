import { createHmac } from 'node:crypto';
import { secretHash } from './secret-hash';

describe('secretHash', () => {
  it('is Base64(HMAC-SHA256(client secret, username + client id)), as the original computed it with openssl', () => {
    // echo -n "user@example.comclient" | openssl dgst -sha256 -hmac "secret" -binary | base64
    expect(secretHash('user@example.com', 'client', 'secret')).toBe(createHmac('sha256', 'secret').update('user@example.comclient').digest('base64'));
    expect(secretHash('user@example.com', 'client', 'secret')).toBe('4zqhOFl0JivfkWh1VINyOJyrDTdsinJktzPUT+t0plg=');
  });
});
