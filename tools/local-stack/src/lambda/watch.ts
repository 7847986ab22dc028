import { copyFileSync, existsSync, mkdirSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { context, type BuildContext, type BuildOptions } from 'esbuild';

/** A function the watcher rebuilds: its app (apps/<app>/src/main.ts) and where its new bundle goes. */
export interface WatchedFunction {
  readonly app: string;
  /** Runs a new bundle from now on (FunctionRuntime.reload); resolves when the old environments are gone. */
  reload(file: string): Promise<void>;
}

export interface WatchOptions {
  /** The workspace: apps/ and libs/ under it are watched, and the build runs from it. */
  readonly root: string;
  /** Where each rebuilt bundle is written: <dir>/<app>/<n>/main.js. */
  readonly outDir: string;
  readonly functions: readonly WatchedFunction[];
  /** How a function's bundle is built to `outfile`, as its deployed bundle is (lambdaBuild in lambda-bundle.config.ts). */
  readonly buildOptions: (app: string, outfile: string) => BuildOptions;
  readonly log: (line: string) => void;
  /** How long changes settle before a rebuild (an editor's save may write a file more than once). */
  readonly settleMs?: number;
}

interface Build {
  readonly fn: WatchedFunction;
  readonly context: BuildContext<{ metafile: true }>;
  /** Workspace-relative paths of the files its last build read. */
  inputs: ReadonlySet<string>;
  version: number;
}

/**
 * `--watch`: when a source file changes, rebuild the functions whose bundle it is part of (as
 * the esbuild metafile of their last build says), with the options the deployed bundles are
 * built with, and hand each new bundle to its runtime, which replaces only that function's
 * environments. Everything else (tables, queues, executions, users) is untouched.
 * esbuild's incremental contexts make a rebuild a fraction of a cold build.
 */
export class FunctionWatcher {
  private readonly builds = new Map<string, Build>();
  private readonly watchers: FSWatcher[] = [];
  private readonly changed = new Set<string>();
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(private readonly options: WatchOptions) {}

  /** Builds every function once (so that later rebuilds are incremental and know their inputs), then watches. */
  static async start(options: WatchOptions): Promise<FunctionWatcher> {
    const watcher = new FunctionWatcher(options);
    try {
      for (const fn of options.functions) await watcher.prepare(fn);
      for (const folder of ['apps', 'libs']) {
        const dir = join(options.root, folder);
        if (!existsSync(dir)) continue;
        const fsWatcher = watch(dir, { recursive: true }, (_event, name) => {
          if (name) watcher.onChange(join(folder, name.toString()));
        });
        fsWatcher.on('error', (error) => options.log(`[watch] ${folder}/ is no longer watched: ${error.message}`));
        watcher.watchers.push(fsWatcher);
      }
    } catch (error) {
      await watcher.close();
      throw error;
    }
    return watcher;
  }

  private async prepare(fn: WatchedFunction): Promise<void> {
    const o = this.options;
    const ctx = await context({ ...o.buildOptions(fn.app, join(o.outDir, fn.app, 'build', 'main.js')), metafile: true, logLevel: 'silent' });
    const build: Build = { fn, context: ctx, inputs: new Set(), version: 0 };
    this.builds.set(fn.app, build);
    const result = await ctx.rebuild();
    build.inputs = inputsOf(result.metafile);
  }

  private onChange(path: string): void {
    if (this.closed || /(^|\/)(node_modules|dist)\//.test(path) || /\.spec\.ts$/.test(path)) return;
    this.changed.add(path.replace(/\\/g, '/'));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const paths = [...this.changed];
      this.changed.clear();
      this.running = this.running.then(() => this.rebuild(paths));
    }, this.options.settleMs ?? 50);
  }

  /** Rebuilds the functions whose last build read one of `paths`; resolves when each runs its new bundle. */
  private async rebuild(paths: readonly string[]): Promise<void> {
    const affected = [...this.builds.values()].filter((b) => paths.some((p) => b.inputs.has(p)));
    await Promise.all(affected.map((b) => this.rebuildOne(b, paths.filter((p) => b.inputs.has(p)))));
  }

  private async rebuildOne(build: Build, because: readonly string[]): Promise<void> {
    const { fn } = build;
    const started = performance.now();
    try {
      const result = await build.context.rebuild();
      build.inputs = inputsOf(result.metafile);
    } catch (error) {
      // esbuild's errors name the file, line and problem; the function keeps running its last bundle.
      const errors = (error as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors ?? [];
      const first = errors[0];
      const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
      this.options.log(`[watch] ${fn.app} not reloaded: ${where}${first?.text ?? (error as Error).message}`);
      return;
    }
    // Each version in its own folder: environments still finishing on the old code keep theirs.
    const version = ++build.version;
    const dir = join(this.options.outDir, fn.app, String(version));
    mkdirSync(dir, { recursive: true });
    const built = join(this.options.outDir, fn.app, 'build');
    copyFileSync(join(built, 'main.js'), join(dir, 'main.js'));
    if (existsSync(join(built, 'main.js.map'))) copyFileSync(join(built, 'main.js.map'), join(dir, 'main.js.map'));
    void fn.reload(join(dir, 'main.js'));
    const ms = Math.round(performance.now() - started);
    this.options.log(`[watch] ${fn.app} reloaded in ${ms} ms (${because.join(', ')})`);
  }

  /** Waits for the rebuilds under way (for tests). */
  settled(): Promise<void> {
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    for (const w of this.watchers.splice(0)) w.close();
    await this.running.catch(() => undefined);
    await Promise.all([...this.builds.values()].map((b) => b.context.dispose()));
    this.builds.clear();
  }
}

/** The workspace files a build read (the metafile's inputs are relative to its working directory). */
function inputsOf(metafile: { inputs: Record<string, unknown> } | undefined): Set<string> {
  return new Set(Object.keys(metafile?.inputs ?? {}).filter((p) => !p.includes('node_modules/')));
}
