import { OrderAdmission } from './order-admission';

// The local front door's backpressure (not an AWS behaviour: see order-admission.ts): while the
// workflow holds more orders than its limit, POST /orders waits for room, in order, and never
// longer than its bound.

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('OrderAdmission', () => {
  it('lets an order through at once while the workflow has room', async () => {
    const admission = new OrderAdmission(() => 1, 2, 1000);
    const started = Date.now();
    await admission.admit();
    expect(Date.now() - started).toBeLessThan(20);
    expect(admission.held).toBe(0);
  });

  it('holds orders while the workflow is full, then lets them through first come first served, as much as there is room', async () => {
    let inFlight = 5;
    // An order let through counts as in the workflow for 200 ms, until its execution shows.
    const admission = new OrderAdmission(() => inFlight, 5, 5000, 10, 200);
    const through: string[] = [];
    const a = admission.admit().then(() => through.push('a'));
    const b = admission.admit().then(() => through.push('b'));
    await tick(60);
    expect(through).toEqual([]);
    inFlight = 4; // room for one
    await tick(60);
    expect(through).toEqual(['a']);
    await tick(60);
    expect(through).toEqual(['a']);
    inFlight = 0;
    await Promise.all([a, b]);
    expect(through).toEqual(['a', 'b']);
    expect(admission.held).toBe(2);
  });

  it('says when orders start to wait and, once every one is through, how many did', async () => {
    let inFlight = 9;
    const lines: string[] = [];
    const admission = new OrderAdmission(() => inFlight, 5, 5000, 10, 0, (l) => lines.push(l));
    const waiting = [admission.admit(), admission.admit()];
    expect(lines).toEqual(['the workflow holds 9 orders (limit 5): POST /orders waits for room, 5 s at most']);
    inFlight = 0;
    await Promise.all(waiting);
    await tick(30);
    expect(lines).toEqual(['the workflow holds 9 orders (limit 5): POST /orders waits for room, 5 s at most', 'room again: 2 orders waited']);
  });

  it('never holds an order longer than its bound, even when the workflow stays full', async () => {
    const admission = new OrderAdmission(() => 100, 5, 150, 10);
    const started = Date.now();
    await admission.admit();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(1000);
  });

  it('lets every waiting order through when the stack stops', async () => {
    const admission = new OrderAdmission(() => 100, 5, 60_000, 10);
    const waiting = admission.admit();
    admission.close();
    await expect(waiting).resolves.toBeUndefined();
  });
});
