import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStack } from '../test/local-stack.process';

// A port already in use stops the start at once, naming the part, the option that moves it and
// how to get a free one; nothing keeps running (the lock is released, the next start works).
describe('a port in use', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'local-stack-ports-'));
  let holder: Server;
  let port: number;
  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    port = (holder.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((r) => holder.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['--cognito-port', 'identity provider (Cognito)'],
    ['--dynamodb-port', 'DynamoDB (dynalite)'],
    ['--sqs-port', 'SQS and SNS (fauxqs)'],
    ['--sfn-port', 'Step Functions'],
  ])('%s: names the part, the option and --… 0', async (option, part) => {
    const others = ['--port', '--cognito-port', '--dynamodb-port', '--sqs-port', '--sfn-port'].filter((o) => o !== option).flatMap((o) => [o, '0']);
    const result = await runStack(['--data-dir', dataDir, ...others, option, String(port)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`local stack: ${part}: port ${port} on 127.0.0.1 is already in use (choose another with ${option} <port>, or 0 for a free one)`);
    expect(result.stderr).toContain(`npm start -- ${option} 0 takes a free port instead`);
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});
