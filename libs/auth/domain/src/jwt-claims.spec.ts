import { isFailure, principalFromClaims } from './jwt-claims';
import { AUTH_SCHEMES, settingsFor } from './authorizer-settings';

describe('principalFromClaims', () => {
  it('reads a Cognito ID token', () => {
    expect(
      principalFromClaims(
        {
          sub: 'u1',
          'cognito:username': 'ana',
          email: 'ana@example.com',
          'cognito:groups': ['a', 'b'],
          token_use: 'id',
          iss: 'https://issuer',
        },
        { groupsClaim: 'cognito:groups' },
      ),
    ).toEqual({ sub: 'u1', username: 'ana', email: 'ana@example.com', groups: ['a', 'b'], token_use: 'id', scopes: [], issuer: 'https://issuer' });
  });
  it('reads scopes and string groups', () => {
    const p = principalFromClaims({ sub: 'u', scope: 'orders/read orders/write', groups: 'x,y' }, { groupsClaim: 'groups' });
    expect(p).toMatchObject({ scopes: ['orders/read', 'orders/write'], groups: ['x', 'y'] });
  });
  it.each([{}, { sub: '' }, { sub: 42 }])('refuses %p as missing-subject', (claims) => {
    const p = principalFromClaims(claims, { groupsClaim: 'groups' });
    expect(isFailure(p) && p.reason).toBe('missing-subject');
  });
  it('ignores non-string group entries', () => {
    expect(principalFromClaims({ sub: 'u', groups: ['a', 1, null, ''] }, { groupsClaim: 'groups' })).toMatchObject({ groups: ['a'] });
  });
});

describe('AUTHORIZER_SETTINGS', () => {
  it.each(AUTH_SCHEMES)('names each setting of the %s scheme once', (scheme) => {
    const names = settingsFor(scheme).map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });
  it('lists the common settings with each scheme', () => {
    expect(settingsFor('oidc').map((s) => s.name)).toEqual(expect.arrayContaining(['AUTH_SCHEME', 'OIDC_ISSUER']));
  });
});
