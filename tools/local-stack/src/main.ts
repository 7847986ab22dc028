import { banner, cliFor } from './banner';
import { runDemo } from './demo';
import { OptionsError, parseOptions, usage, type StackOptions } from './options';
import { isSecretName, redactLine, Redactor } from './redaction';
import { startStack, type RunningStack } from './stack';

/**
 * `npm start`: the whole system on 127.0.0.1, until Ctrl-C.
 * Runs from the workspace root (npm runs its scripts there).
 */
async function main(): Promise<void> {
  const started = Date.now();
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) throw new Error(`the local stack needs Node 22 or later (this is ${process.version}); run it with npm start`);

  // node cuts small Buffers from shared 8 KiB slabs, so a small Buffer kept for long keeps its
  // whole slab alive, and the stack keeps what it is given for as long as it runs. Before its
  // tables stored strings (patches/dynalite+4.0.0.patch), each stored key and item was such a
  // Buffer: ~30 KB held per order under load for ~3 KB of data. Without the pool each Buffer owns
  // its bytes. A setting of this process, so it is made here, where the process starts.
  Buffer.poolSize = 0;

  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    console.log(usage(process.stdout.isTTY ? process.stdout.columns : 100));
    return;
  }
  const root = process.cwd();
  // Every line is redacted once more on its way out, with the secrets known by value too.
  const redactor = new Redactor().remember(...secretSettings(options));
  const log = (line: string) => console.log(redactor.line(line));
  const stack: RunningStack = await startStack(options, { root, log });
  const o = stack.outputs;
  redactor.remember(o.userPoolClientSecret);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(banner(options, { outputs: o, outputsFile: stack.outputsFile, root, seconds }));

  stack.prewarm();
  let stoppingSince = 0;
  const shutdown = (signal: string) => {
    if (stoppingSince) {
      // The same Ctrl-C often arrives twice (from the terminal and from the parent npm/nx); only a later one forces.
      if (Date.now() - stoppingSince < 3000) return;
      console.log('stopping anyway');
      process.exit(1);
    }
    stoppingSince = Date.now();
    console.log(`\n${signal}: stopping the local stack…`);
    stack.stop().then(
      () => {
        console.log('stopped');
        process.exit(0);
      },
      (error: Error) => {
        console.error(`error while stopping: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  if (options.exitWithParent) {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) shutdown('parent gone');
    }, 1000).unref();
  }
  if (options.demo) {
    // Through the API, as any client: a demo that cannot finish says why, and the stack stays up.
    const cli = cliFor({ outputsFile: stack.outputsFile, root });
    await runDemo(o, { print: (line) => console.log(line), cli }).catch((error: Error) => console.error(`demo: ${error.message}`));
  }
}

/** The values of functions' settings named like secrets (--env authorizer:SHARED_SECRET=…). */
function secretSettings(options: StackOptions): string[] {
  return Object.values(options.functionEnv).flatMap((env) => Object.entries(env).filter(([name]) => isSecretName(name)).map(([, value]) => value));
}

/** What to do about a start-up failure, when the stack knows. */
function remedy(error: Error & { option?: string; code?: string; syscall?: string; port?: number }): string | undefined {
  if (error.name === 'PortInUseError' && error.option) {
    return `Another program (or another stack) listens there: npm start -- ${error.option} 0 takes a free port instead (every port option takes 0; the ports taken are written to the outputs file, where npx orders finds them).`;
  }
  if (error.code === 'EACCES' && error.syscall === 'listen') {
    return `Ports below 1024 need privileges: choose a port from 1024 to 65535, or 0 for a free one.`;
  }
  return undefined;
}

main().catch((error: Error) => {
  const known = error instanceof OptionsError || ['PortInUseError', 'AlreadyRunningError', 'MissingSettingError', 'BundleMissingError', 'DamagedStateFileError'].includes(error.name);
  const help = remedy(error);
  console.error(redactLine(`local stack: ${known || help ? error.message : (error.stack ?? error.message)}${help ? `\n${help}` : ''}`));
  process.exit(1);
});
