import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The file that marks the workspace root (where npm start writes .local/). */
const MARKER = 'nx.json';

/** The nearest folder at or above `from` that is the root of an Nx workspace, or undefined. */
export function findWorkspaceRoot(from: string, exists: (path: string) => boolean = existsSync): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (exists(join(dir, MARKER))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Where a command's files are: the workspace root, the stack outputs and the session file. */
export interface Paths {
  readonly root: string | undefined;
  /** The local stack's outputs: --outputs, else <root>/.local/outputs.json. */
  readonly outputs: string | undefined;
  /** Where the tokens of the last login are kept: beside the outputs, else <root>/.local. */
  readonly session: string | undefined;
}

/**
 * The workspace is the one around the current folder; outside any, the one this CLI was built in
 * (so an alias to the bin works from anywhere). --outputs is read relative to the current folder.
 */
export function resolvePaths(cwd: string, ownWorkspace: string | undefined, outputsOption?: string): Paths {
  const root = findWorkspaceRoot(cwd) ?? (ownWorkspace && existsSync(join(ownWorkspace, MARKER)) ? ownWorkspace : undefined);
  const outputs = outputsOption ? resolve(cwd, outputsOption) : root ? join(root, '.local', 'outputs.json') : undefined;
  const session = outputs ? join(dirname(outputs), 'cli-session.json') : undefined;
  return { root, outputs, session };
}
