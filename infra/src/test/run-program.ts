import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { FUNCTIONS } from '@serverless-orders/function-catalogue';
import type { HarnessRequest, HarnessResult } from './program-harness';

/**
 * Runs the built Pulumi program (infra/dist/main.js, `nx run infra:build`) as Pulumi runs it,
 * under mocks: each run is a Node.js process of its own (program-harness.ts), started from the
 * Pulumi project directory, with the stack's config. App bundles are stand-ins in a temporary
 * directory (the program only checks that they exist and archives the directory).
 */

const PROJECT = 'serverless-orders';
const infraDir = path.resolve(__dirname, '../..');
const workspace = path.resolve(infraDir, '..');
const PROGRAM_BUNDLE = path.join(infraDir, 'dist', 'main.js');

export interface ProgramRun {
  /** Runs the program of stack `stack` with these config values (keys without the project prefix). */
  run(config: Readonly<Record<string, string>>, options?: { stack?: string; secrets?: readonly string[] }): Promise<HarnessResult>;
  /** The stand-in app bundles, for `artifactsDir`. */
  readonly artifactsDir: string;
  dispose(): void;
}

export function programRunner(): ProgramRun {
  if (!existsSync(PROGRAM_BUNDLE)) {
    throw new Error(`no program bundle at ${PROGRAM_BUNDLE}: run \`npx nx run infra:build\` (infra:integration depends on it)`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'orders-program-'));
  const harness = path.join(dir, 'harness.js');
  // The harness is TypeScript; Pulumi's SDK stays external so that the harness and the program share one copy.
  buildSync({
    entryPoints: [path.join(__dirname, 'program-harness.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['@pulumi/*'],
    outfile: harness,
    logLevel: 'silent',
  });
  const artifactsDir = path.join(dir, 'apps');
  for (const { app } of FUNCTIONS) {
    mkdirSync(path.join(artifactsDir, app), { recursive: true });
    writeFileSync(path.join(artifactsDir, app, 'main.js'), 'exports.handler = async () => ({});\n');
  }

  let runs = 0;
  return {
    artifactsDir,
    async run(config, options = {}) {
      const id = ++runs;
      const request: HarnessRequest = {
        bundle: PROGRAM_BUNDLE,
        project: PROJECT,
        stack: options.stack ?? 'dev',
        config: Object.fromEntries(Object.entries(config).map(([key, value]) => [`${PROJECT}:${key}`, value])),
        secretKeys: (options.secrets ?? []).map((key) => `${PROJECT}:${key}`),
      };
      const requestFile = path.join(dir, `request-${id}.json`);
      const resultFile = path.join(dir, `result-${id}.json`);
      writeFileSync(requestFile, JSON.stringify(request));
      await promisify(execFile)(process.execPath, [harness, requestFile, resultFile], {
        cwd: infraDir,
        // The harness lives outside the workspace: it finds @pulumi/* where the program does.
        env: { ...process.env, NODE_PATH: path.join(workspace, 'node_modules') },
        timeout: 45_000,
      });
      return JSON.parse(readFileSync(resultFile, 'utf8')) as HarnessResult;
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
