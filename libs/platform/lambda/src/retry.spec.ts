import { retryTransient } from './retry';

const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

function clock() {
  let t = 0;
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
    t += ms;
  };
  return { now: () => t, sleep, waits, random: () => 0.999 };
}

describe('retryTransient', () => {
  it('tries again after transient errors, with doubling waits, until the work succeeds', async () => {
    const c = clock();
    let calls = 0;
    const result = await retryTransient(async () => (++calls < 4 ? Promise.reject(refused()) : 'done'), { deadline: 10_000, ...c });
    expect(result).toBe('done');
    expect(calls).toBe(4);
    expect(c.waits).toEqual([99, 199, 399]);
  });

  it('caps each wait and gives up at the deadline with the last error', async () => {
    const c = clock();
    let calls = 0;
    await expect(retryTransient(async () => Promise.reject(Object.assign(refused(), { n: ++calls })), { deadline: 5000, maxDelayMs: 1000, ...c })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    expect(Math.max(...c.waits)).toBeLessThanOrEqual(1000);
    expect(c.waits.reduce((a, b) => a + b, 0)).toBeLessThan(5000);
  });

  it('never retries a permanent error', async () => {
    let calls = 0;
    const invalid = Object.assign(new Error('One or more parameter values were invalid'), { name: 'ValidationException' });
    await expect(retryTransient(async () => (calls++, Promise.reject(invalid)), { deadline: Date.now() + 10_000 })).rejects.toBe(invalid);
    expect(calls).toBe(1);
  });
});
