import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionJournal } from './execution-journal';

const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:orders';
const entry = (name: string) => ({ stateMachineArn: machine, name, input: JSON.stringify({ order: { id: name } }) });

describe('ExecutionJournal', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'journal-'));
    file = join(dir, 'step-functions', 'executions.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back, at the next open, exactly the executions started and not ended (a crash between the two)', () => {
    const first = ExecutionJournal.open(file);
    expect(first.interrupted()).toEqual([]);
    first.started(entry('a'));
    first.started(entry('b'));
    first.started(entry('c'));
    first.ended('b');
    // no close: the process dies here
    expect(ExecutionJournal.open(file).interrupted()).toEqual([entry('a'), entry('c')]);
  });

  it('a redriven execution (started again under its name) is one entry; ending it ends it', () => {
    const journal = ExecutionJournal.open(file);
    journal.started(entry('a'));
    journal.ended('a');
    journal.started(entry('a'));
    expect(ExecutionJournal.open(file).interrupted()).toEqual([entry('a')]);
  });

  it('compacts itself when opened: only the running executions are left in the file', () => {
    const journal = ExecutionJournal.open(file);
    for (let i = 0; i < 50; i++) {
      journal.started(entry(`o-${i}`));
      if (i !== 7) journal.ended(`o-${i}`);
    }
    ExecutionJournal.open(file);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('ignores a last line cut short by a crash, and names the file when a line before it is damaged', () => {
    ExecutionJournal.open(file).started(entry('a'));
    appendFileSync(file, '{"op":"start","entry":{"stateM');
    expect(ExecutionJournal.open(file).interrupted()).toEqual([entry('a')]);

    writeFileSync(file, `not json\n${JSON.stringify({ op: 'start', entry: entry('b') })}\n${JSON.stringify({ op: 'end', name: 'b' })}\n`);
    expect(() => ExecutionJournal.open(file)).toThrow(`${file} line 1 is damaged`);
  });
});
