import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, ISSUED_AT_CLOCK_SKEW_SECONDS, tokenTimeProblem } from './token-times';

const NOW = 1_800_000_000;
const DAY = 86_400;
const YEAR = 365 * DAY;
const rules = { maxLifetimeSeconds: DEFAULT_MAX_TOKEN_LIFETIME_SECONDS };

describe('tokenTimeProblem', () => {
  it('by default accepts a lifetime of a day (86,400 s) and an iat 60 s ahead, and not a second more', () => {
    expect(tokenTimeProblem({ iat: NOW, exp: NOW + 86_400 }, NOW, rules)).toBeUndefined();
    expect(tokenTimeProblem({ iat: NOW, exp: NOW + 86_401 }, NOW, rules)).toMatchObject({ reason: 'lifetime-too-long' });
    expect(tokenTimeProblem({ iat: NOW + 60, exp: NOW + 3600 }, NOW, rules)).toBeUndefined();
    expect(tokenTimeProblem({ iat: NOW + 61, exp: NOW + 3600 }, NOW, rules)).toMatchObject({ reason: 'not-yet-valid' });
  });

  it.each([
    ['an hour-long token issued now', { iat: NOW, exp: NOW + 3600 }],
    ['a token of exactly the maximum lifetime (Cognito at its longest)', { iat: NOW - 10, exp: NOW - 10 + DAY }],
    ['iat within the clock skew ahead', { iat: NOW + ISSUED_AT_CLOCK_SKEW_SECONDS, exp: NOW + 3600 }],
    ['no iat, expiring within the maximum from now', { exp: NOW + DAY }],
    ['no exp (required elsewhere)', { iat: NOW }],
  ])('accepts %s', (_, claims) => expect(tokenTimeProblem(claims, NOW, rules)).toBeUndefined());

  it.each([
    ['iat 10 years in the future', { iat: NOW + 10 * YEAR, exp: NOW + 10 * YEAR + 3600 }, 'not-yet-valid'],
    ['iat a second beyond the clock skew', { iat: NOW + ISSUED_AT_CLOCK_SKEW_SECONDS + 1, exp: NOW + 3600 }, 'not-yet-valid'],
    ['a lifetime of 10 years', { iat: NOW, exp: NOW + 10 * YEAR }, 'lifetime-too-long'],
    ['a lifetime of a day and a second', { iat: NOW, exp: NOW + DAY + 1 }, 'lifetime-too-long'],
    ['a lifetime over the maximum though issued long ago', { iat: NOW - 3 * DAY, exp: NOW + 60 }, 'lifetime-too-long'],
    ['no iat, expiring 10 years from now', { exp: NOW + 10 * YEAR }, 'lifetime-too-long'],
  ])('refuses %s', (_, claims, reason) => {
    const problem = tokenTimeProblem(claims, NOW, rules);
    expect(problem).toMatchObject({ ok: false, reason });
    expect(problem?.detail).toMatch(/\d+ s/);
  });

  it('applies the configured maximum and skew', () => {
    expect(tokenTimeProblem({ iat: NOW, exp: NOW + 7200 }, NOW, { maxLifetimeSeconds: 3600 })).toMatchObject({ reason: 'lifetime-too-long' });
    expect(tokenTimeProblem({ iat: NOW + 30, exp: NOW + 600 }, NOW, { maxLifetimeSeconds: 3600, clockSkewSeconds: 10 })).toMatchObject({
      reason: 'not-yet-valid',
    });
  });
});
