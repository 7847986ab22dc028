import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';

/** The keys the Pulumi stack exports, then the local endpoints. */
export interface StackOutputs {
  readonly apiUrl: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly userPoolClientSecret: string;
  readonly region: string;
  readonly tableName: string;
  readonly orderQueueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly topicArn: string;
  readonly cognitoEndpoint: string;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly snsEndpoint: string;
  readonly [extra: string]: string;
}

/** Written atomically, so a reader never sees half a file. */
export function writeOutputs(file: string, outputs: StackOutputs): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(outputs, null, 2)}\n`);
  renameSync(temporary, file);
}

/** A path as a message shows it: relative to the current folder when it is inside it, absolute otherwise. */
export function shownPath(path: string, from = process.cwd()): string {
  const r = relative(from, path);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : path;
}

/** A state file the stack cannot read: it names the file, why, and how to start again. */
export class DamagedStateFileError extends Error {
  constructor(
    readonly file: string,
    /** What is wrong with it (the parser's words). */
    readonly problem: string,
    /** How to start again; by default, delete the file. */
    readonly remedy = `delete it to start again without it`,
  ) {
    super(`the state file ${file} is damaged and cannot be read (${problem}): ${remedy}`);
    this.name = 'DamagedStateFileError';
  }
}

export class AlreadyRunningError extends Error {
  constructor(
    readonly pid: number,
    dataDir: string,
  ) {
    super(`another local stack (pid ${pid}) is already running with its data in ${dataDir}: stop it first (Ctrl-C), or give this one another --data-dir and other ports`);
    this.name = 'AlreadyRunningError';
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** One stack per data directory: a lock file with our pid; a stale lock (its process gone) is taken over. */
export function acquireLock(dataDir: string, pid = process.pid): { release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'local-stack.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(pid));
      closeSync(fd);
      return {
        release: () => {
          try {
            if (readFileSync(file, 'utf8').trim() === String(pid)) rmSync(file);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== pid && alive(holder)) throw new AlreadyRunningError(holder, dataDir);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
