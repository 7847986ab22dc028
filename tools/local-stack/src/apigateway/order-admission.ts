/**
 * Backpressure at the local front door, where AWS needs none. In AWS the functions scale out and
 * the workflow keeps pace with any rate the API lets through; here it all runs on this machine's
 * cores, and clients that never pause can place orders faster than the workflow carries them to
 * a final status. The backlog would then grow without bound: more running executions, more
 * throttled steps, longer retry pauses, less done per second. So POST /orders waits before it
 * queues the order while more than `limit` orders are in the workflow, at most `maxHoldMs` (an
 * answer later, never an error; a client waits as it would for a slow network), first come
 * first served. Under that load the clients slow to the pace the machine keeps.
 */
export class OrderAdmission {
  private readonly waiting: Array<{ resolve: () => void; until: number }> = [];
  /** When the orders of the last `settleMs` were let through. */
  private readonly recent: number[] = [];
  private timer?: NodeJS.Timeout;
  /** Orders that waited so far. */
  held = 0;

  constructor(
    /** Orders in the workflow now (running executions). */
    private readonly inFlight: () => number,
    readonly limit: number,
    readonly maxHoldMs: number,
    private readonly everyMs = 50,
    /** How long an order let through takes to show as a running execution (the queue, then the consumer). */
    private readonly settleMs = 500,
    /** Told when orders start to wait, and when they no longer do (with how many waited). */
    private readonly log?: (line: string) => void,
  ) {}

  /** Orders held since the door last had room for every order (for the log). */
  private heldInEpisode = 0;

  /** Resolves when the order may be queued: at once while there is room, else when there is, or after maxHoldMs. */
  admit(): Promise<void> {
    if (this.waiting.length === 0 && this.room(Date.now()) > 0) {
      this.recent.push(Date.now());
      return Promise.resolve();
    }
    this.held++;
    if (this.heldInEpisode++ === 0) this.log?.(`the workflow holds ${this.inFlight()} orders (limit ${this.limit}): POST /orders waits for room, ${this.maxHoldMs / 1000} s at most`);
    return new Promise((resolve) => {
      this.waiting.push({ resolve, until: Date.now() + this.maxHoldMs });
      this.schedule();
    });
  }

  /** Room in the workflow: orders let through within `settleMs` count as in it, their executions not started yet. */
  private room(now: number): number {
    while (this.recent.length > 0 && (this.recent[0] ?? now) < now - this.settleMs) this.recent.shift();
    return this.limit - this.inFlight() - this.recent.length;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.release(), this.everyMs);
  }

  private release(): void {
    this.timer = undefined;
    const now = Date.now();
    let room = this.room(now);
    while (this.waiting.length > 0 && (room > 0 || (this.waiting[0]?.until ?? Infinity) <= now)) {
      this.waiting.shift()?.resolve();
      this.recent.push(now);
      room--;
    }
    if (this.waiting.length > 0) return this.schedule();
    if (this.heldInEpisode > 0) this.log?.(`room again: ${this.heldInEpisode} orders waited`);
    this.heldInEpisode = 0;
  }

  /** Lets every waiting order through (the stack stops: its gateway answers what it has). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.waiting.splice(0)) w.resolve();
  }
}
