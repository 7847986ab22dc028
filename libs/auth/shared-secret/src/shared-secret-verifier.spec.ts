import { configFrom } from '@serverless-orders/config';
import { sharedSecretSettingsFrom } from './shared-secret-settings';
import { SharedSecretVerifier } from './shared-secret-verifier';

const SECRET = 'correct horse battery staple';

describe('SharedSecretVerifier', () => {
  const verifier = new SharedSecretVerifier({ secret: SECRET, principal: 'legacy-client' });

  it('accepts the secret, answering directly (no promise: nothing to fetch)', () => {
    expect(verifier.verify(SECRET)).toEqual({
      ok: true,
      principal: { sub: 'legacy-client', username: 'legacy-client', groups: [], scopes: [], token_use: 'shared-secret' },
    });
  });

  it.each([
    ['a wrong secret', 'incorrect horse battery staple'],
    ['a prefix', SECRET.slice(0, -1)],
    ['a longer value', `${SECRET}x`],
    ['another case', SECRET.toUpperCase()],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo'],
  ])('refuses %s without echoing it', async (_, token) => {
    const result = await verifier.verify(token);
    expect(result).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('refuses an empty token as missing', () => {
    expect(verifier.verify('')).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('refuses a short secret at construction', () => {
    expect(() => new SharedSecretVerifier({ secret: 'short', principal: 'p' })).toThrow('at least 16');
  });
});

describe('sharedSecretSettingsFrom', () => {
  it('reads the secret and the defaults', () => {
    expect(sharedSecretSettingsFrom(configFrom({ SHARED_SECRET: SECRET }))).toEqual({
      secret: SECRET,
      header: 'Authorization',
      principal: 'shared-secret-client',
    });
  });
  it('fails naming SHARED_SECRET when it is missing or too short', () => {
    expect(() => sharedSecretSettingsFrom(configFrom({}))).toThrow('SHARED_SECRET');
    expect(() => sharedSecretSettingsFrom(configFrom({ SHARED_SECRET: 'abc' }))).toThrow('SHARED_SECRET');
  });
});
