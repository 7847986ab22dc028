/**
 * The local stack under load: the whole stack (`npm start`'s process, built bundles, free ports on
 * 127.0.0.1, the workflow's Wait at 0 s, its logs on) driven by 1, 10 and 50 clients on the mixed
 * workload of tools/local-stack-testing/src/load-workload.ts (POST, list, get, PUT, DELETE, each client
 * its own user, as fast as the answers come). For each run it prints the errors and timeouts,
 * the orders reaching their final status per second, POST → final (the order's execution
 * ending) p50 and p99, how long after the load's end the last order was final, whether each
 * order had exactly one execution, and the stack process's CPU time (all its threads, from
 * /proc/<pid>/stat) per order from the load's start until its last order ended. Ratios are
 * to the 1-client run of the same invocation. RSS is read after a warm-up and at the end.
 * A benchmark, not a test: it prints figures and asserts nothing.
 *
 *   npx nx run benchmarks:local-stack-load            (about 4 minutes: 1, 10 and 50 clients)
 *   npx nx run benchmarks:local-stack-load --long     (then 50 clients for 10 minutes: RSS and threads every 30 s, its growth over its start and after its last environment started)
 *   npx nx run benchmarks:local-stack-load --persist  (the stack started with --persist: its tables and queues on disk, as a team leaving it running all day would start it)
 *   BENCH_SECONDS=20 npx nx run benchmarks:local-stack-load   (the 50-client run's length; default 60)
 */
import {
  ExecutionWatcher,
  newUser,
  phaseReport,
  processCpuMs,
  processRssMiB,
  processThreads,
  runLoad,
  startStack,
  type LoadPhase,
  type LoadTarget,
  type PhaseReport,
  type User,
} from '@serverless-orders/local-stack-testing';

const LONG = process.argv.includes('--long');
const PERSIST = process.argv.includes('--persist');
const SECONDS_50 = Number(process.env.BENCH_SECONDS ?? 60);
const DRAIN_LIMIT_MS = 120_000;
const MAX_CLIENTS = 50;

const fmt = (n: number | undefined, digits = 0) => (n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(digits));
const ratio = (n: number, base: number) => (Number.isFinite(n) && Number.isFinite(base) && base > 0 ? `×${(n / base).toFixed(2)}` : '');

interface Measured {
  readonly report: PhaseReport;
  readonly cpuMsPerOrder: number;
  readonly errorSamples: readonly string[];
}

async function main(): Promise<void> {
  const started = Date.now();
  const stack = await startStack(PERSIST ? ['--persist'] : [], { timeoutMs: 120_000 });
  const pid = stack.child.pid as number;
  const watcher = new ExecutionWatcher(stack.outputs);
  try {
    const users: User[] = [];
    for (let i = 0; i < MAX_CLIENTS; i += 10) {
      users.push(...(await Promise.all(Array.from({ length: Math.min(10, MAX_CLIENTS - i) }, (_, k) => newUser(stack.outputs, `load-${i + k}`)))));
    }
    const target: LoadTarget = { outputs: stack.outputs, users };

    const measure = async (phase: LoadPhase): Promise<Measured> => {
      const cpuBefore = processCpuMs(pid);
      watcher.watch(2000);
      const run = await runLoad(target, phase);
      await watcher.stop();
      const lastEndedAt = await watcher.waitUntilEnded(run.placed.keys(), DRAIN_LIMIT_MS);
      const cpu = processCpuMs(pid) - cpuBefore;
      const report = phaseReport(run, phase, watcher.seen, lastEndedAt);
      const errorSamples = run.errors.slice(0, 5).map((e) => `${e.operation} → ${e.status} ${e.body}`);
      return { report, cpuMsPerOrder: cpu / Math.max(1, report.final), errorSamples };
    };

    process.stdout.write(`stack ready (pid ${pid}); ${users.length} users; warming up (10 clients, 10 s)…\n`);
    await measure({ clients: 10, seconds: 10 });
    const rssAfterWarmUp = processRssMiB(pid);

    const runs: Measured[] = [];
    for (const phase of [
      { clients: 1, seconds: 15 },
      { clients: 10, seconds: 20 },
      { clients: 50, seconds: SECONDS_50 },
    ]) {
      process.stdout.write(`${phase.clients} client(s) for ${phase.seconds} s…\n`);
      runs.push(await measure(phase));
    }
    const rssAfterRuns = processRssMiB(pid);

    const base = runs[0];
    const lines = [
      '',
      `local stack under load — mixed workload (POST, list, get, PUT, DELETE), Wait state 0 s, logs on, ${PERSIST ? 'tables and queues on disk (--persist)' : 'tables and queues in memory'}`,
      `clients  seconds  requests  errors  timeouts  orders  final  not once  final/s        p50 POST→final  p99 POST→final  last final after end  CPU ms/order`,
    ];
    for (const { report: r, cpuMsPerOrder } of runs) {
      lines.push(
        [
          String(r.clients).padStart(7),
          String(r.seconds).padStart(7),
          String(r.requests).padStart(9),
          String(r.errors).padStart(6),
          String(r.timeouts).padStart(8),
          String(r.placed).padStart(6),
          String(r.final).padStart(5),
          String(r.notOnce.length).padStart(8),
          `${fmt(r.finalPerSecond, 1).padStart(6)} ${ratio(r.finalPerSecond, base.report.finalPerSecond).padEnd(6)}`,
          `${fmt(r.postToFinalMs.p50 / 1000, 2).padStart(7)} s ${ratio(r.postToFinalMs.p50, base.report.postToFinalMs.p50).padEnd(6)}`,
          `${fmt(r.postToFinalMs.p99 / 1000, 2).padStart(7)} s ${ratio(r.postToFinalMs.p99, base.report.postToFinalMs.p99).padEnd(6)}`,
          `${r.drainMs === undefined ? `not within ${DRAIN_LIMIT_MS / 1000} s` : `${fmt(Math.max(0, r.drainMs) / 1000, 1)} s`}`.padStart(20),
          `${fmt(cpuMsPerOrder, 1).padStart(6)} ${ratio(cpuMsPerOrder, base.cpuMsPerOrder)}`,
        ].join('  '),
      );
    }
    for (const { report: r, errorSamples } of runs) {
      for (const sample of errorSamples) lines.push(`  ${r.clients} clients, error: ${sample}`);
      if (r.notOnce.length) lines.push(`  ${r.clients} clients: ${r.notOnce.length} orders without exactly one succeeded execution, e.g. ${r.notOnce.slice(0, 3).join(', ')}`);
    }
    lines.push(`RSS after warm-up ${fmt(rssAfterWarmUp)} MiB; after the runs ${fmt(rssAfterRuns)} MiB (${rssAfterRuns >= rssAfterWarmUp ? '+' : ''}${fmt(rssAfterRuns - rssAfterWarmUp)} MiB)`);
    lines.push('Issue targets at 50 clients: 0 errors, 0 timeouts, last final ≤ 10 s after the end, one execution per order, CPU ≤ 12 ms/order, p50 POST→final ≤ 2 s');
    process.stdout.write(`${lines.join('\n')}\n`);

    if (LONG) {
      process.stdout.write('\n50 clients for 10 minutes: RSS and threads every 30 s…\n');
      const rssAtStart = processRssMiB(pid);
      // Each sample with the process's threads: a new thread is a function environment started
      // (each function's are bounded by --environments), so the growth after the last one
      // started is what the stack's state adds, apart from environments.
      const samples: { seconds: number; rss: number; threads: number }[] = [{ seconds: 0, rss: rssAtStart, threads: processThreads(pid) }];
      const sampler = setInterval(() => {
        const sample = { seconds: samples.length * 30, rss: processRssMiB(pid), threads: processThreads(pid) };
        samples.push(sample);
        process.stdout.write(`  ${String(sample.seconds).padStart(4)} s  RSS ${fmt(sample.rss)} MiB (${sample.rss >= rssAtStart ? '+' : ''}${fmt(sample.rss - rssAtStart)}), ${sample.threads} threads\n`);
      }, 30_000);
      const long = await measure({ clients: 50, seconds: 600 });
      clearInterval(sampler);
      const rssAtEnd = processRssMiB(pid);
      samples.push({ seconds: 600, rss: rssAtEnd, threads: processThreads(pid) });
      const highest = Math.max(...samples.map((x) => x.rss));
      const last = samples[samples.length - 1];
      const settled = samples.slice(samples.findLastIndex((x) => x.threads !== last.threads) + 1);
      const settledAt = settled[0];
      const highestSettled = Math.max(...settled.map((x) => x.rss));
      const r = long.report;
      process.stdout.write(
        [
          `10 minutes, 50 clients: ${r.requests} requests, ${r.errors} errors, ${r.timeouts} timeouts, ${r.placed} orders, ${r.final} final, ${r.notOnce.length} not once; ` +
            `${fmt(r.finalPerSecond, 1)} final/s; POST→final p50 ${fmt(r.postToFinalMs.p50 / 1000, 2)} s, p99 ${fmt(r.postToFinalMs.p99 / 1000, 2)} s; CPU ${fmt(long.cpuMsPerOrder, 1)} ms/order`,
          // Its warm-up is the 50-client run before it (the environments it needs started, the code
          // compiled); the short warm-up at 10 clients is shown too, as the environments 50 clients add count there.
          `RSS at its start ${fmt(rssAtStart)} MiB (after the 50-client run; ${fmt(rssAfterWarmUp)} after the 10-client warm-up); ` +
            `highest ${fmt(highest)} MiB, at its end ${fmt(rssAtEnd)} MiB: ${fmt(highest - rssAtStart)} MiB above its start at most (aim ≤ 100), ` +
            `${fmt(rssAtEnd - rssAtStart)} at its end; ${fmt(highest - rssAfterWarmUp)} above the 10-client warm-up`,
          `threads ${samples[0].threads} at its start, ${last.threads} at its end; since the last environment started (${settledAt.seconds} s, ${settled.length} samples): ` +
            `RSS ${fmt(settledAt.rss)} → ${fmt(rssAtEnd)} MiB, ${fmt(highestSettled - settledAt.rss)} MiB above at most, over ${fmt((600 - settledAt.seconds) / 60, 1)} minutes`,
          ...long.errorSamples.map((s) => `  error: ${s}`),
        ].join('\n') + '\n',
      );
    }
    process.stdout.write(`(${((Date.now() - started) / 1000).toFixed(0)} s in all)\n`);
  } finally {
    watcher.close();
    await stack.dispose();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
