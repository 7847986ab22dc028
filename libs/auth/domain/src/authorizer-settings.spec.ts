import { authorizerIdentityHeader, MAX_TOKEN_LIFETIME_RANGE, settingsFor } from './authorizer-settings';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from './token-times';

describe('authorizerIdentityHeader', () => {
  it('is SHARED_SECRET_HEADER for the shared-secret scheme, Authorization by default and for every other scheme', () => {
    expect(authorizerIdentityHeader('shared-secret', { SHARED_SECRET_HEADER: 'X-Api-Secret' })).toBe('X-Api-Secret');
    expect(authorizerIdentityHeader('shared-secret', {})).toBe('Authorization');
    expect(authorizerIdentityHeader('cognito', { SHARED_SECRET_HEADER: 'X-Api-Secret' })).toBe('Authorization');
    expect(authorizerIdentityHeader('oidc', {})).toBe('Authorization');
  });

  it('refuses a value that is not a header name', () => {
    expect(() => authorizerIdentityHeader('shared-secret', { SHARED_SECRET_HEADER: 'bad header' })).toThrow(/not a header name/);
    expect(() => authorizerIdentityHeader('shared-secret', { SHARED_SECRET_HEADER: 'X-Secret:' })).toThrow(/not a header name/);
  });
});

describe('the maximum token lifetime of each JWT scheme', () => {
  it.each([
    ['cognito', 'COGNITO_MAX_TOKEN_LIFETIME_SECONDS'],
    ['oidc', 'OIDC_MAX_TOKEN_LIFETIME_SECONDS'],
  ] as const)('%s publishes %s, optional, a day by default', (scheme, name) => {
    const setting = settingsFor(scheme).find((s) => s.name === name);
    expect(setting).toMatchObject({ required: false, default: expect.stringContaining(String(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS)) });
    expect(setting?.description).toContain(String(MAX_TOKEN_LIFETIME_RANGE.max));
  });

  it('is not a setting of the shared-secret scheme', () => {
    expect(settingsFor('shared-secret').map((s) => s.name).filter((n) => n.includes('LIFETIME'))).toEqual([]);
  });
});
