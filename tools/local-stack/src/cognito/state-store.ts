import { readFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { DamagedStateFileError } from '../state-files';

/**
 * cognito-local keeps each user pool, and the app clients, in a JSON file through StormDB's file
 * engine, which saves with a bare `fs.writeFile` after every change, not waiting for the previous
 * save: two at once (two sign-ups) both truncate the file and write from its start, and a longer
 * older state written after a shorter newer one leaves the newer JSON followed by the tail of the
 * older: a file no start can read ("Failed to load StormDB database file"). A process stopped
 * in the middle of a save leaves half a file the same way.
 *
 * The engine installed here saves with write-file-atomic instead: saves of one file run one after
 * another in the order they were asked for (so the last state asked for is the one on disk), each
 * written to a temporary file, fsynced and renamed over the old one, so that a reader, or the
 * next start after a crash, sees the old file or the new one, never a mix. A file that cannot be
 * read is named, with the reason, instead of StormDB's message that names nothing.
 */

interface FileEngine {
  readonly path: string;
  serialize(data: unknown): string;
  read(): object;
  write(data: unknown): Promise<void> | null;
}
type FileEngineClass = new (path: string, options?: object) => FileEngine;

const SAFE = Symbol.for('serverless-orders.local-stack.safe-state-files');

/** Saves not finished yet, of every file. */
const pending = new Set<Promise<void>>();

/** Why a state file could not be read: JSON.parse's own words (StormDB replaces them with a message naming nothing). */
function problemOf(file: string, error: Error): string {
  try {
    JSON.parse(readFileSync(file, 'utf8'));
  } catch (parseError) {
    return (parseError as Error).message;
  }
  return error.message;
}

/**
 * Makes every StormDB database of this process save one write at a time per file, atomically.
 * `stormdb` is the module cognito-local loads (its `localFileEngine` is what it instantiates).
 * Installing it twice changes nothing.
 */
export function useSafeStateFiles(stormdb: { localFileEngine: FileEngineClass }): FileEngineClass {
  const Base = stormdb.localFileEngine;
  if ((Base as unknown as Record<symbol, boolean>)[SAFE]) return Base;

  class SafeFileEngine extends Base {
    static readonly [SAFE] = true;

    override read(): object {
      try {
        return super.read();
      } catch (error) {
        // StormDB's own parse failure ("invalid or corrupted format"); an fs error names its file already.
        if ((error as Error).message.startsWith('Failed to load StormDB')) throw new DamagedStateFileError(this.path, problemOf(this.path, error as Error));
        throw error;
      }
    }

    override write(data: unknown): Promise<void> {
      const saved = writeFileAtomic(this.path, this.serialize(data));
      const tracked = saved.catch(() => undefined);
      pending.add(tracked);
      void tracked.then(() => pending.delete(tracked));
      return saved;
    }
  }
  stormdb.localFileEngine = SafeFileEngine;
  return SafeFileEngine;
}

/** Resolves when every save asked for so far is on disk (or has failed). */
export async function stateFilesSaved(): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending]);
}

/** Whether this engine (a StormDB instance's `engine`) saves safely. */
export function savesSafely(engine: unknown): boolean {
  return !!engine && !!(engine.constructor as unknown as Record<symbol, boolean>)[SAFE];
}
