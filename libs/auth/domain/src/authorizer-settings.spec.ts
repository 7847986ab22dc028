import { authorizerIdentityHeader, settingsFor } from './authorizer-settings';

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

  it('reads the setting the shared-secret scheme publishes', () => {
    expect(settingsFor('shared-secret').map((s) => s.name)).toContain('SHARED_SECRET_HEADER');
  });
});
