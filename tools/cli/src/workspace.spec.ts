import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot, resolvePaths } from './workspace';

let dir: string;
let workspace: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'orders-workspace-'));
  workspace = join(dir, 'serverless-orders');
  mkdirSync(join(workspace, 'apps', 'get-orders', 'src'), { recursive: true });
  mkdirSync(join(dir, 'elsewhere'));
  writeFileSync(join(workspace, 'nx.json'), '{}');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the workspace root', () => {
  it('is found by walking up from any folder inside the workspace', () => {
    expect(findWorkspaceRoot(join(workspace, 'apps', 'get-orders', 'src'))).toBe(workspace);
    expect(findWorkspaceRoot(workspace)).toBe(workspace);
    expect(findWorkspaceRoot(join(dir, 'elsewhere'))).toBeUndefined();
  });

  it('gives the local stack’s outputs and the session file under its .local/, whatever the current folder', () => {
    expect(resolvePaths(join(workspace, 'apps', 'get-orders'), undefined)).toEqual({
      root: workspace,
      outputs: join(workspace, '.local', 'outputs.json'),
      session: join(workspace, '.local', 'cli-session.json'),
    });
  });

  it('falls back to the workspace the CLI was built in when the current folder is in none', () => {
    expect(resolvePaths(join(dir, 'elsewhere'), workspace).root).toBe(workspace);
    expect(resolvePaths(join(dir, 'elsewhere'), join(dir, 'elsewhere'))).toEqual({ root: undefined, outputs: undefined, session: undefined });
  });

  it('reads --outputs relative to the current folder, and keeps the session beside it', () => {
    expect(resolvePaths(join(dir, 'elsewhere'), undefined, 'stack/outputs.json')).toEqual({
      root: undefined,
      outputs: join(dir, 'elsewhere', 'stack', 'outputs.json'),
      session: join(dir, 'elsewhere', 'stack', 'cli-session.json'),
    });
  });
});
