import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The workspace root: where nx.json is. */
export const workspaceRoot = path.resolve(__dirname, '../../..');

export function bundlePath(app: string): string {
  return path.join(workspaceRoot, 'dist/apps', app, 'main.js');
}

/**
 * Loads an app's built bundle (dist/apps/<app>/main.js) as Lambda would: the environment is
 * set first, then the module is evaluated once (its cold start) and `handler` is returned.
 * This is what proves the bundle works at run time, decorators and all.
 */
export function loadBundle<H = (...args: never[]) => unknown>(app: string, env: Record<string, string>): H {
  const file = bundlePath(app);
  if (!existsSync(file)) throw new Error(`${file} is missing: build the app first (nx run ${app}:build)`);
  Object.assign(process.env, env);
  const mod = require(file) as { handler?: H };
  if (typeof mod.handler !== 'function') throw new Error(`${app} exports no handler`);
  return mod.handler;
}

/** Cold-starts the bundle in a fresh node process with exactly `env`; for start-up failures. */
export function coldStart(app: string, env: Record<string, string>): { status: number | null; stderr: string } {
  // The error's name and message only: Node would print the minified source line it was thrown from.
  const script = `try { require(${JSON.stringify(bundlePath(app))}) } catch (e) { console.error(e.name + ': ' + e.message); process.exit(1) }`;
  const result = spawnSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr };
}
