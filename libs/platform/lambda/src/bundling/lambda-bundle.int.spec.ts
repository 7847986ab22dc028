import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { lambdaBuild } from './lambda-bundle.config';

// A function built the way Nx builds the Lambda bundles, run in a new node with the
// environment Lambda gives a traced function, against a DynamoDB endpoint and an X-Ray daemon
// on loopback. It proves that what the bundles leave out of the X-Ray SDK is never reached
// when Powertools' tracer does its work in Lambda.
//
// AWS behaviour pinned: with active tracing, Lambda sets LAMBDA_TASK_ROOT, AWS_EXECUTION_ENV,
// AWS_LAMBDA_INITIALIZATION_TYPE, AWS_XRAY_DAEMON_ADDRESS and the invocation's
// _X_AMZN_TRACE_ID; the X-Ray SDK then works under a facade segment and sends each closed
// subsegment to the daemon over UDP
// ({"format":"json","version":1} and the subsegment's JSON, one datagram each); the SDK v3
// capture names a DynamoDB call's subsegment "DynamoDB" with its operation and table.
const workspaceRoot = path.resolve(__dirname, '../../../../..');
const TRACE = 'Root=1-67a1b2c3-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1';

let dir: string;
let daemon: Socket;
let datagrams: string[];
let dynamodb: Server;
let calls: string[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lambda-xray-'));
  datagrams = [];
  daemon = createSocket('udp4');
  daemon.on('message', (message) => datagrams.push(message.toString('utf8')));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  calls = [];
  // Answers as DynamoDB does (JSON 1.0 protocol): GetItem finds the order, PutItem's condition fails.
  dynamodb = createServer((req, res) => {
    const target = String(req.headers['x-amz-target']);
    calls.push(target);
    req.resume().on('end', () => {
      const reply = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `req-${calls.length}` });
        res.end(JSON.stringify(body));
      };
      if (target === 'DynamoDB_20120810.GetItem') reply(200, { Item: { user_id: { S: 'alice' }, id: { S: 'o-1' } } });
      else reply(400, { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed' });
    });
  });
  await new Promise<void>((resolve) => dynamodb.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  daemon.close();
  await new Promise((resolve) => dynamodb.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const handlerSource = `
  import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
  import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
  import { createObservability, instrumented } from '@serverless-orders/platform-lambda';

  const obs = createObservability('xray-probe');
  const db = DynamoDBDocumentClient.from(obs.tracer.captureAWSv3Client(new DynamoDBClient({})));

  export const handler = (_event: unknown, context: any) =>
    instrumented(obs, context, 'request-1', async () => {
      const { Item } = await db.send(new GetCommand({ TableName: 'orders', Key: { user_id: 'alice', id: 'o-1' } }));
      let conflict = false;
      try {
        await db.send(new PutCommand({ TableName: 'orders', Item: { user_id: 'alice', id: 'o-1' }, ConditionExpression: 'attribute_not_exists(id)' }));
      } catch (error) {
        conflict = error instanceof ConditionalCheckFailedException;
      }
      return { item: Item, conflict, tracing: obs.tracer.isTracingEnabled() };
    });
`;

it('traces a function in Lambda: its handler and each DynamoDB call reach the X-Ray daemon', async () => {
  const file = path.join(dir, 'main.js');
  await build(lambdaBuild(workspaceRoot, { stdin: { contents: handlerSource, resolveDir: __dirname, loader: 'ts', sourcefile: 'probe.ts' } }, file));

  const { port } = daemon.address() as AddressInfo;
  const invoke = `
    const { handler } = require(${JSON.stringify(file)});
    const context = { functionName: 'xray-probe', functionVersion: '$LATEST', memoryLimitInMB: '256', awsRequestId: 'request-1',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:xray-probe', getRemainingTimeInMillis: () => 10000 };
    handler({}, context).then((result) => setTimeout(() => console.log(JSON.stringify(result)), 200));
  `;
  // Not spawnSync: the endpoint and the daemon answer from this process's event loop.
  const result = await promisify(execFile)(process.execPath, ['-e', invoke], {
    encoding: 'utf8',
    timeout: 20_000,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_FUNCTION_NAME: 'xray-probe',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      LAMBDA_TASK_ROOT: dir,
      _HANDLER: 'main.handler',
      _X_AMZN_TRACE_ID: TRACE,
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}`,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'ASIAROLEKEY',
      AWS_SECRET_ACCESS_KEY: 'role-secret',
      AWS_SESSION_TOKEN: 'role-session',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(dynamodb.address() as AddressInfo).port}`,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
  });
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout.trim().split('\n').at(-1) ?? 'null')).toEqual({
    item: { user_id: 'alice', id: 'o-1' },
    conflict: true,
    tracing: true,
  });
  expect(calls).toEqual(['DynamoDB_20120810.GetItem', 'DynamoDB_20120810.PutItem']);

  await new Promise((resolve) => setTimeout(resolve, 100));
  const subsegments = datagrams.map((datagram) => {
    const [header, body] = datagram.split('\n');
    expect(JSON.parse(header)).toEqual({ format: 'json', version: 1 });
    return JSON.parse(body);
  });
  const traceId = TRACE.split(';')[0].replace('Root=', '');
  expect(subsegments.every((s) => s.trace_id === traceId && s.type === 'subsegment')).toBe(true);
  const byName = (name: string) => subsegments.filter((s) => s.name === name);
  expect(byName('## main.handler')).toHaveLength(1);
  expect(byName('## main.handler')[0].annotations).toMatchObject({ ColdStart: true, Service: 'xray-probe' });
  const dynamoCalls = byName('DynamoDB');
  expect(dynamoCalls.map((s) => [s.namespace, s.aws.operation, s.aws.table_name])).toEqual([
    ['aws', 'GetItem', 'orders'],
    ['aws', 'PutItem', 'orders'],
  ]);
  expect(dynamoCalls[1]).toMatchObject({ error: true, cause: { exceptions: [expect.objectContaining({ message: 'The conditional request failed' })] } });
});
