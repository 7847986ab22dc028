import { parseArgs, stringFlag, UsageError } from './args';

describe('parseArgs', () => {
  it('splits the command, positionals and flags', () => {
    const args = parseArgs(['get', 'abc', '--stack', 'dev', '--wait', '--limit=5']);
    expect(args).toEqual({ command: 'get', positional: ['abc'], flags: { stack: 'dev', wait: true, limit: '5' } });
  });
  it('names a flag without its value', () => {
    expect(() => parseArgs(['login', '--email'])).toThrow(UsageError);
    expect(() => stringFlag(parseArgs(['login']), 'email', true)).toThrow('--email is required');
  });
});
