import { formatLogLine } from './function-logs';

describe('formatLogLine', () => {
  it('shortens Powertools JSON lines', () => {
    const line = JSON.stringify({ level: 'WARN', message: 'denied', reason: 'expired', service: 'authorizer', timestamp: 't' });
    expect(formatLogLine(line, false)).toBe('WARN  denied (reason: expired)');
    expect(formatLogLine(JSON.stringify({ level: 'ERROR', message: 'x', error: { name: 'E', message: 'boom' } }), false)).toBe('ERROR x (E: boom)');
  });
  it('leaves other lines, and everything when verbose', () => {
    expect(formatLogLine('plain text', false)).toBe('plain text');
    const line = JSON.stringify({ level: 'INFO', message: 'm' });
    expect(formatLogLine(line, true)).toBe(line);
  });
});
