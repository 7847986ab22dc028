/**
 * EventBridge Scheduler, as far as the system uses it: a function invoked every so often with
 * the scheduler's event, one invocation at a time (a run still going when the next is due is
 * not doubled). Stopping waits for the run in progress.
 */
export class Schedule {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly options: {
      readonly everyMs: number;
      readonly invoke: (event: unknown) => Promise<unknown>;
      readonly scheduleArn: string;
      readonly log?: (line: string) => void;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.options.everyMs);
    this.timer.unref();
  }

  /** One run now (also what the timer does); resolves when it ended. */
  async runOnce(): Promise<void> {
    if (this.stopped || this.running) return;
    const event = { 'detail-type': 'Scheduled Event', source: 'aws.scheduler', time: new Date().toISOString(), resources: [this.options.scheduleArn], detail: {} };
    this.running = this.options.invoke(event).catch((error: Error) => this.options.log?.(`scheduled run failed: ${error.message}`));
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
