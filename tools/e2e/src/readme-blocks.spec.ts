import { codeBlocks, commandsOf, kindOf } from './readme-blocks';

const doc = [
  '# Title',
  '```sh',
  'npm start',
  '```',
  'text',
  '````sh no-test',
  'cd infra && pulumi up',
  '```',
  'still inside: a shorter fence does not close a longer one',
  '````',
  '~~~text',
  'local stack: port 3010 is already in use',
  '~~~',
  'Inline ```code``` is no fence.',
  '```',
  'unlabelled',
  '```',
].join('\n');

describe('codeBlocks', () => {
  it('finds every fenced block with its line, info string and body, as CommonMark closes them', () => {
    expect(codeBlocks(doc)).toEqual([
      { line: 2, info: 'sh', body: 'npm start' },
      { line: 6, info: 'sh no-test', body: 'cd infra && pulumi up\n```\nstill inside: a shorter fence does not close a longer one' },
      { line: 11, info: 'text', body: 'local stack: port 3010 is already in use' },
      { line: 15, info: '', body: 'unlabelled' },
    ]);
  });
});

describe('kindOf', () => {
  it('runs sh, bash and shell blocks; leaves sh no-test and text blocks', () => {
    const [run, notRun, output] = codeBlocks(doc);
    expect(kindOf(run)).toBe('run');
    expect(kindOf({ ...run, info: 'bash' })).toBe('run');
    expect(kindOf(notRun)).toBe('not-run');
    expect(kindOf(output)).toBe('output');
  });

  it('refuses a block that does not say what it is, naming its line', () => {
    const unlabelled = codeBlocks(doc)[3];
    expect(() => kindOf(unlabelled)).toThrow(/^line 15: a code block must say what it is/);
    expect(() => kindOf({ line: 3, info: 'ts', body: '' })).toThrow(/line 3/);
    expect(() => kindOf({ line: 4, info: 'sh skip', body: '' })).toThrow(/not ```sh skip/);
  });
});

describe('commandsOf', () => {
  it('joins continued lines and leaves out blank lines and whole-line comments', () => {
    const body = ['# deployed', 'aws sqs start-message-move-task \\', '  --source-arn "$ARN"', '', 'npx orders list   # mine'].join('\n');
    expect(commandsOf(body)).toEqual(['aws sqs start-message-move-task    --source-arn "$ARN"', 'npx orders list   # mine']);
  });
});
