import { machineCpuTimes, MachineLoad, SATURATED, type CpuTimes } from './machine-load';

// The stack's reading of the machine (not an AWS behaviour: Lambda gives each environment its
// own CPU). It reads the OS's idle counters against the wall clock; these tests feed it counters.

describe('MachineLoad', () => {
  const loads: MachineLoad[] = [];
  afterEach(() => loads.splice(0).forEach((load) => load.stop()));

  /** A MachineLoad over counters the test advances: `idle` ms of idle out of `capacity` ms of the cores' time. */
  function fed(): { load: MachineLoad; advance(idle: number, capacity: number): void } {
    let now: CpuTimes = { idle: 3000, capacity: 4000 };
    const load = new MachineLoad(() => now, 60_000);
    loads.push(load);
    return {
      load,
      advance(idle, capacity) {
        now = { idle: now.idle + idle, capacity: now.capacity + capacity };
        load.sample();
      },
    };
  }

  it('reads the share of the cores not idle, as the mean of the last reading and this one', () => {
    const { load, advance } = fed();
    expect(load.busy).toBe(0);
    advance(0, 1000);
    expect(load.busy).toBeCloseTo(0.5);
    advance(0, 1000);
    expect(load.busy).toBeCloseTo(0.75);
    advance(750, 1000);
    expect(load.busy).toBeCloseTo(0.5);
  });

  it('is saturated from SATURATED on; one quiet interval after a busy stretch does not open the gate, two do', () => {
    const { load, advance } = fed();
    for (let i = 0; i < 6; i++) advance(20, 1000);
    expect(load.busy).toBeGreaterThan(0.95);
    expect(load.saturated).toBe(true);
    advance(300, 1000);
    expect(load.saturated).toBe(true);
    advance(300, 1000);
    expect(load.busy).toBeLessThan(SATURATED);
    expect(load.saturated).toBe(false);
  });

  it('counts time the OS does not call idle as busy (a host taking its virtual machine’s CPU back, too)', () => {
    const { load, advance } = fed();
    // 1,000 ms of two cores' time: 100 ms idle, whatever the rest was spent on.
    advance(100, 1000);
    advance(100, 1000);
    expect(load.busy).toBeCloseTo(0.675);
    advance(100, 1000);
    expect(load.busy).toBeCloseTo(0.7875);
    advance(100, 1000);
    expect(load.saturated).toBe(true);
  });

  it('keeps its reading over an interval without time (counters not moved)', () => {
    const { load, advance } = fed();
    advance(500, 1000);
    advance(0, 0);
    expect(load.busy).toBeCloseTo(0.25);
  });

  it('reads this machine: idle within the capacity, both growing', () => {
    const first = machineCpuTimes();
    const until = Date.now() + 50;
    while (Date.now() < until);
    const second = machineCpuTimes();
    expect(first.capacity).toBeGreaterThan(0);
    expect(second.capacity - first.capacity).toBeGreaterThanOrEqual(50);
    expect(second.idle).toBeGreaterThanOrEqual(first.idle);
    // 50 ms of this thread spinning: not all of the cores' time was idle.
    expect(second.idle - first.idle).toBeLessThan(second.capacity - first.capacity);
  });
});
