#!/usr/bin/env node
// `orders`, the workspace's command-line client: `npx orders <command>` from any folder inside
// the workspace (package.json "bin"). It runs the CLI's bundle, building it first if it is missing.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..', '..');
const bundle = join(root, 'dist', 'tools', 'cli', 'main.js');

if (!existsSync(bundle)) {
  // Nx's output goes to stderr, so `TOKEN=$(npx orders token)` still captures only the token.
  process.stderr.write('orders: building the CLI first (npx nx run cli:build)…\n');
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'nx', 'bin', 'nx.js'), 'run', 'cli:build', '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr],
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (build.status !== 0 || !existsSync(bundle)) {
    process.stderr.write('orders: the build failed; run npx nx run cli:build in the workspace to see why\n');
    process.exit(1);
  }
}
require(bundle);
