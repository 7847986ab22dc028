import { ACCOUNT_THROTTLING, DEFAULT_STAGE_THROTTLING, PAYLOAD_LIMIT_BYTES, PAYLOAD_TOO_LARGE, throttlingProblem } from './stage-limits';

describe('the payload limit', () => {
  it('is 10 MB, and a request over it is answered as API Gateway does: 413, plain text naming the limit in bytes', () => {
    expect(PAYLOAD_LIMIT_BYTES).toBe(10_485_760);
    expect(PAYLOAD_TOO_LARGE).toEqual({ status: 413, contentType: 'text; charset=utf-8', body: 'HTTP content length exceeded 10485760 bytes.' });
  });
});

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
