import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

/**
 * Cumulative CPU time of the machine's cores: idle, as the OS counts it, and all there was (the
 * wall-clock time times the cores), in ms. Whatever is not idle is busy: this process, anything
 * else, and the time a virtual machine's host takes back (steal, which os.cpus() leaves out).
 */
export interface CpuTimes {
  readonly idle: number;
  readonly capacity: number;
}

export function machineCpuTimes(): CpuTimes {
  const cores = cpus();
  let idle = 0;
  for (const { times } of cores) idle += times.idle;
  return { idle, capacity: performance.now() * cores.length };
}

/** Above this share of the machine's CPU in use, a new environment would only divide the cores further. */
export const SATURATED = 0.8;

/**
 * How busy the machine's cores are, sampled a few times a second: whether a new execution
 * environment could run anything sooner. On a machine whose cores are all in use (the stack's
 * threads, or anything else), another worker thread does no more work; it adds a cold start's
 * CPU, its own heap, and one more thread dividing the same cores. Lambda has no such limit (each
 * environment brings its own CPU); this is the stack sparing the machine it runs on.
 */
export class MachineLoad {
  private last: CpuTimes;
  private share = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly times: () => CpuTimes = machineCpuTimes,
    intervalMs = 250,
  ) {
    this.last = times();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** The share of all cores in use over the last intervals (0..1). */
  get busy(): number {
    return this.share;
  }

  /** Whether the cores are (nearly) all in use: a new environment would not run anything sooner. */
  get saturated(): boolean {
    return this.share >= SATURATED;
  }

  /** Reads the counters; the share is the mean of this interval's and the last reading, so one quiet moment does not open the gate. */
  sample(): void {
    const now = this.times();
    const capacity = now.capacity - this.last.capacity;
    if (capacity <= 0) return;
    const share = Math.min(1, Math.max(0, 1 - (now.idle - this.last.idle) / capacity));
    this.share = (this.share + share) / 2;
    this.last = now;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
