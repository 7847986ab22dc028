import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { runStack, startStack } from '../test/local-stack.process';

// Start-up and shutdown: reuse, a second instance, a taken port, Ctrl-C.
describe('local stack process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'local-stack-process-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second instance and a taken port with a clear error, stops on Ctrl-C, and reuses its pool and table', async () => {
    const first = await startStack(['--persist'], { dataDir });
    let firstOutputs: Record<string, string>;
    try {
      firstOutputs = first.outputs;
      const second = await runStack(['--data-dir', dataDir, '--port', '0', '--cognito-port', '0', '--dynamodb-port', '0', '--sqs-port', '0', '--sfn-port', '0']);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/another local stack \(pid \d+\) is already running/);

      const apiPort = new URL(firstOutputs.apiUrl).port;
      const otherDir = mkdtempSync(join(tmpdir(), 'local-stack-port-'));
      try {
        const taken = await runStack(['--data-dir', otherDir, '--port', apiPort, '--cognito-port', '0', '--dynamodb-port', '0', '--sqs-port', '0', '--sfn-port', '0']);
        expect(taken.code).toBe(1);
        expect(taken.stderr).toContain(`API gateway: port ${apiPort} on 127.0.0.1 is already in use (choose another with --port <port>`);
      } finally {
        rmSync(otherDir, { recursive: true, force: true });
      }

      const db = new DynamoDBClient({ endpoint: firstOutputs.dynamodbEndpoint, region: firstOutputs.region, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
      await db.send(new PutItemCommand({ TableName: firstOutputs.tableName, Item: { user_id: { S: 'u' }, id: { S: 'kept' }, created_at: { S: 'now' } } }));
      db.destroy();
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(first.log()).toContain('stopped');

    const again = await startStack(['--persist'], { dataDir });
    try {
      expect(again.outputs.userPoolId).toBe(firstOutputs.userPoolId);
      expect(again.outputs.userPoolClientId).toBe(firstOutputs.userPoolClientId);
      expect(again.outputs.userPoolClientSecret).toBe(firstOutputs.userPoolClientSecret);
      const db = new DynamoDBClient({ endpoint: again.outputs.dynamodbEndpoint, region: again.outputs.region, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
      const { Item } = await db.send(new GetItemCommand({ TableName: again.outputs.tableName, Key: { user_id: { S: 'u' }, id: { S: 'kept' } } }));
      db.destroy();
      expect(Item?.id.S).toBe('kept');
    } finally {
      expect(await again.stop()).toBe(0);
    }
  }, 120_000);
});
