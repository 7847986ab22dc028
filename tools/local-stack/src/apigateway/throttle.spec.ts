import { StageThrottle } from './throttle';

describe('StageThrottle (API Gateway: a token bucket per method, burstLimit deep, refilled at rateLimit a second)', () => {
  it('takes a burst at once, then one request per 1/rate seconds', () => {
    let now = 1_000;
    const throttle = new StageThrottle({ rateLimit: 10, burstLimit: 5 }, { now: () => now });
    const burst = Array.from({ length: 7 }, () => throttle.take('GET', '/orders'));
    expect(burst).toEqual([true, true, true, true, true, false, false]);
    now += 100; // one token at 10 a second
    expect([throttle.take('GET', '/orders'), throttle.take('GET', '/orders')]).toEqual([true, false]);
  });

  it('refills no further than the burst, however long it was idle', () => {
    let now = 0;
    const throttle = new StageThrottle({ rateLimit: 100, burstLimit: 3 }, { now: () => now });
    now += 60_000;
    expect(Array.from({ length: 5 }, () => throttle.take('POST', '/orders'))).toEqual([true, true, true, false, false]);
  });

  it('keeps one bucket per method and resource', () => {
    const throttle = new StageThrottle({ rateLimit: 1, burstLimit: 1 }, { now: () => 0 });
    expect([throttle.take('GET', '/orders'), throttle.take('get', '/orders')]).toEqual([true, false]);
    expect([throttle.take('POST', '/orders'), throttle.take('GET', '/orders/{id}')]).toEqual([true, true]);
  });

  it('with a rate under one a second, waits whole seconds for a token', () => {
    let now = 0;
    const throttle = new StageThrottle({ rateLimit: 0.5, burstLimit: 1 }, { now: () => now });
    expect(throttle.take('GET', '/orders')).toBe(true);
    now += 1_500;
    expect(throttle.take('GET', '/orders')).toBe(false);
    now += 500;
    expect(throttle.take('GET', '/orders')).toBe(true);
  });
});
