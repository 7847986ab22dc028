import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FunctionWatcher } from './watch';

// --watch on a workspace of its own: two functions, one library only the first imports.
// A change rebuilds exactly the functions whose bundle holds the file, and each gets a new
// bundle in a folder of its own (its old environments finish on the old one); a change that
// does not build is reported with its file and line, and the function keeps its last bundle.

jest.setTimeout(30_000);

function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'watch-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('libs/greeting/src/index.ts', "export const greeting = (): string => 'hello';\n");
  write('apps/greeter/src/main.ts', "import { greeting } from '../../../libs/greeting/src';\nexport const handler = async () => greeting();\n");
  write('apps/greeter/tsconfig.json', '{}');
  write('apps/other/src/main.ts', "export const handler = async () => 'other';\n");
  write('apps/other/tsconfig.json', '{}');
  return { root, write };
}

const until = async (done: () => boolean, ms = 10_000) => {
  for (const end = Date.now() + ms; !done() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 25));
};

describe('FunctionWatcher', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function started() {
    const { root, write } = workspace();
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const reloads: Array<{ app: string; file: string }> = [];
    const log: string[] = [];
    const functions = ['greeter', 'other'].map((app) => ({ app, reload: async (file: string) => void reloads.push({ app, file }) }));
    const buildOptions = (app: string, outfile: string) => ({ entryPoints: [join(root, 'apps', app, 'src', 'main.ts')], outfile, absWorkingDir: root, bundle: true, platform: 'node' as const, format: 'cjs' as const });
    const watcher = await FunctionWatcher.start({ root, outDir: join(root, '.out'), functions, buildOptions, log: (l) => log.push(l), settleMs: 20 });
    cleanups.push(() => watcher.close());
    return { write, reloads, log, watcher };
  }

  it('a library change rebuilds the function that imports it, and only it, into a new bundle', async () => {
    const { write, reloads, log, watcher } = await started();
    write('libs/greeting/src/index.ts', "export const greeting = (): string => 'hello again';\n");
    await until(() => reloads.length > 0);
    await watcher.settled();
    expect(reloads.map((r) => r.app)).toEqual(['greeter']);
    const bundle = require(reloads[0].file) as { handler(): Promise<string> };
    expect(await bundle.handler()).toBe('hello again');
    expect(log.join('\n')).toMatch(/^\[watch\] greeter reloaded in \d+ ms \(libs\/greeting\/src\/index\.ts\)$/m);

    write('apps/greeter/src/main.ts', "export const handler = async () => 'v3';\n");
    await until(() => reloads.length > 1);
    await watcher.settled();
    expect(reloads.map((r) => r.app)).toEqual(['greeter', 'greeter']);
    expect(reloads[1].file).not.toBe(reloads[0].file);
  });

  it('a change that does not build names its file and line; the function keeps its bundle', async () => {
    const { write, reloads, log, watcher } = await started();
    write('apps/other/src/main.ts', "export const handler = async () => 'other'\nconst = ;\n");
    await until(() => log.some((l) => l.includes('not reloaded')));
    await watcher.settled();
    expect(reloads).toEqual([]);
    expect(log.join('\n')).toMatch(/^\[watch\] other not reloaded: apps\/other\/src\/main\.ts:2: /m);
  });
});
