import { ACCOUNT_THROTTLING, DEFAULT_STAGE_THROTTLING, throttlingProblem } from './stage-limits';

// The payload limit is a constant with no logic of its own: the local gateway's specs
// (tools/local-stack, request-body and api) check the 413 it answers beyond it.

describe('the stage throttling', () => {
  it('defaults to a limit far below the account quota, which a stack may raise up to that quota', () => {
    expect(throttlingProblem(DEFAULT_STAGE_THROTTLING)).toBeUndefined();
    expect(DEFAULT_STAGE_THROTTLING.rateLimit).toBeLessThan(ACCOUNT_THROTTLING.rateLimit);
    expect(DEFAULT_STAGE_THROTTLING.burstLimit).toBeLessThan(ACCOUNT_THROTTLING.burstLimit);
    expect(throttlingProblem(ACCOUNT_THROTTLING)).toBeUndefined();
    expect(throttlingProblem({ rateLimit: 0.5, burstLimit: 1 })).toBeUndefined();
  });

  it.each([
    [{ rateLimit: 0, burstLimit: 10 }, 'rateLimit', /above 0 .* not 0/],
    [{ rateLimit: 10_001, burstLimit: 10 }, 'rateLimit', /at most 10000/],
    [{ rateLimit: Number.NaN, burstLimit: 10 }, 'rateLimit', /not NaN/],
    [{ rateLimit: 10, burstLimit: 0 }, 'burstLimit', /from 1 to 5000, not 0/],
    [{ rateLimit: 10, burstLimit: 2.5 }, 'burstLimit', /whole number/],
    [{ rateLimit: 10, burstLimit: 5_001 }, 'burstLimit', /not 5001/],
  ])('refuses %j, naming the limit and why', (throttling, limit, problem) => {
    expect(throttlingProblem(throttling)).toEqual({ limit, problem: expect.stringMatching(problem) });
  });
});
