import { formatLogLine } from './function-logs';

const TOKEN = 'eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJ1In0.c2lnbmF0dXJl';

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

  // A function that logs its event (POWERTOOLS_LOGGER_LOG_EVENT=true) logs the caller's token:
  // API Gateway hands the Authorization header to the function as it came.
  const event = JSON.stringify({
    level: 'INFO',
    message: 'Lambda invocation event',
    event: { headers: { Authorization: TOKEN, 'X-Api-Secret': 'a-shared-secret-of-length' }, body: '{"password":"hunter22"}' },
  });
  it('redacts the secrets of the raw line when verbose', () => {
    const out = formatLogLine(event, true);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain('a-shared-secret-of-length');
    expect(out).not.toContain('hunter22');
    expect(JSON.parse(out)).toMatchObject({ message: 'Lambda invocation event', event: { headers: { Authorization: '[redacted]', 'X-Api-Secret': '[redacted]' } } });
  });
  it('redacts what the short form shows, and plain lines', () => {
    const refused = JSON.stringify({ level: 'WARN', message: 'token refused', reason: `bad token ${TOKEN}`, error: { name: 'E', message: `Authorization: ${TOKEN}` } });
    expect(formatLogLine(refused, false)).toBe('WARN  token refused (reason: bad token [redacted]; E: Authorization: [redacted])');
    expect(formatLogLine(`console.log says Bearer ${TOKEN}`, false)).toBe('console.log says Bearer [redacted]');
  });
});
