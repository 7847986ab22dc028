import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** An execution as it was started: enough to start it again under the same name. */
export interface JournalEntry {
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
}

type Line = { readonly op: 'start'; readonly entry: JournalEntry } | { readonly op: 'end'; readonly name: string };

/**
 * The running executions of the local Step Functions, kept on disk with --persist, so that an
 * execution interrupted by a crash (kill -9, a power cut of the laptop) or by a stop that did
 * not wait for it is started again at the next start, under the same name. In AWS an
 * execution outlives anything that happens to its caller; locally the stack's process is the
 * service, so this journal is what carries them across.
 *
 * An append-only file of JSON lines, written synchronously on every start and end: a line is
 * on disk before the start is acknowledged. It is compacted to the running ones when opened.
 */
export class ExecutionJournal {
  private readonly running = new Map<string, JournalEntry>();

  private constructor(private readonly file: string) {}

  /** Opens (or creates) the journal; what it holds are the executions left running last time. */
  static open(file: string): ExecutionJournal {
    const journal = new ExecutionJournal(file);
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((text, i) => {
        if (!text.trim()) return;
        let line: Line;
        try {
          line = JSON.parse(text) as Line;
        } catch (error) {
          // A crash can cut the last line short; anything else is damage worth naming.
          if (i >= lines.length - 2) return;
          throw new Error(`${file} line ${i + 1} is damaged (${(error as Error).message}): delete the file to start without the interrupted executions`);
        }
        if (line.op === 'start') journal.running.set(line.entry.name, line.entry);
        else journal.running.delete(line.name);
      });
    }
    journal.compact();
    return journal;
  }

  /** The executions that were running when the journal was last written. */
  interrupted(): JournalEntry[] {
    return [...this.running.values()];
  }

  started(entry: JournalEntry): void {
    this.running.set(entry.name, entry);
    this.append({ op: 'start', entry: { stateMachineArn: entry.stateMachineArn, name: entry.name, input: entry.input } });
  }

  ended(name: string): void {
    if (!this.running.delete(name)) return;
    this.append({ op: 'end', name });
  }

  private append(line: Line): void {
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }

  /** Rewrites the file with only the running executions (atomically: a new file, then a rename). */
  private compact(): void {
    const text = [...this.running.values()].map((entry) => JSON.stringify({ op: 'start', entry } satisfies Line)).join('\n');
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, text ? `${text}\n` : '');
    renameSync(temporary, this.file);
  }
}
