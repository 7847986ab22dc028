import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { lambdaBuild } from './lambda-bundle.config';

// Small entries built the way Nx builds the Lambda bundles (this config, plus what Nx adds:
// platform node, target node22, cjs, minified), then run in a fresh node with exactly the
// environment given, as Lambda runs a bundle.
const workspaceRoot = path.resolve(__dirname, '../../../../..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lambda-bundle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let entries = 0;
/** Builds `source` as a Lambda bundle (with its external map, as nx.json asks for the apps). */
async function bundle(source: string, sourcefile = 'entry.ts'): Promise<{ file: string; metafile: Metafile }> {
  const file = path.join(dir, `entry-${++entries}`, 'main.js');
  const { metafile } = await build(lambdaBuild(workspaceRoot, { stdin: { contents: source, resolveDir: __dirname, loader: 'ts', sourcefile } }, file));
  return { file, metafile: metafile as Metafile };
}

/** Runs the bundle in a new node with only `env` (and PATH); the bundle prints one JSON line. */
function run(file: string, env: Record<string, string>): unknown {
  const result = spawnSync(process.execPath, [file], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 20_000 });
  if (result.status !== 0) throw new Error(`bundle failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? 'null');
}

const lambdaCredentials = { AWS_ACCESS_KEY_ID: 'ASIAROLEKEY', AWS_SECRET_ACCESS_KEY: 'role-secret', AWS_SESSION_TOKEN: 'role-session' };

describe('credentials in a Lambda bundle', () => {
  // Lambda gives a function its execution role's credentials as environment variables
  // (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
  const client = `
    import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
    const client = new DynamoDBClient({ region: 'eu-west-1' });
    client.config.credentials().then(
      (c) => console.log(JSON.stringify({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken })),
      (e) => console.log(JSON.stringify({ refused: e.name, message: e.message })),
    );
  `;

  it('are the environment’s, as Lambda sets them', async () => {
    const { file } = await bundle(client);
    expect(run(file, lambdaCredentials)).toEqual({ accessKeyId: 'ASIAROLEKEY', secretAccessKey: 'role-secret', sessionToken: 'role-session' });
  });

  it('are never looked for elsewhere: a shared credentials file is ignored, and none in the environment is refused', async () => {
    const { file } = await bundle(client);
    const home = path.join(dir, 'home');
    mkdirSync(path.join(home, '.aws'), { recursive: true });
    writeFileSync(path.join(home, '.aws', 'credentials'), '[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = file-secret\n');
    expect(run(file, { HOME: home, AWS_EC2_METADATA_DISABLED: 'true' })).toEqual({
      refused: 'CredentialsProviderError',
      message: 'Unable to find environment variable credentials.',
    });
  });

  it('leave the rest of the SDK’s default chain, and the STS and SSO clients it needs, out of the bundle', async () => {
    const { metafile } = await bundle(client);
    const packages = new Set(Object.keys(metafile.inputs).map((f) => f.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1]).filter(Boolean));
    for (const gone of ['@aws-sdk/credential-provider-node', '@aws-sdk/credential-provider-ini', '@aws-sdk/credential-provider-sso', '@aws-sdk/credential-provider-web-identity', '@aws-sdk/nested-clients', '@aws-sdk/token-providers']) {
      expect(packages).not.toContain(gone);
    }
    expect(packages).toContain('@aws-sdk/credential-provider-env');
  });
});

/** The modules that import `target` (a path as the metafile names it) in a bundle. */
function importersOf(metafile: Metafile, target: string): string[] {
  return Object.entries(metafile.inputs)
    .filter(([, input]) => input.imports.some((i) => i.path === target))
    .map(([file]) => file.replace(/^.*node_modules\//, ''));
}

// What every function bundles: Powertools logger and tracer, an SDK client captured by X-Ray.
const tracedClient = `
  import { Logger } from '@aws-lambda-powertools/logger';
  import { Tracer } from '@aws-lambda-powertools/tracer';
  import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
  import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
  export const logger = new Logger();
  const tracer = new Tracer();
  export const db = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
  try {
    tracer.provider.captureAWS({ VERSION: '2.1692.0' });
    console.log(JSON.stringify({ captured: true }));
  } catch (error) {
    console.log(JSON.stringify({ refused: (error as Error).message }));
  }
`;

describe('what the Lambda bundles leave out', () => {
  it('X-Ray’s patcher for the AWS SDK v2, and semver with it: captureAWS then fails, naming the reason', async () => {
    const { file, metafile } = await bundle(tracedClient);
    expect(importersOf(metafile, 'left-out:aws-xray-sdk-core/dist/lib/patchers/aws_p.js')).toEqual(['aws-xray-sdk-core/dist/lib/aws-xray.js']);
    expect(Object.keys(metafile.inputs).filter((f) => f.includes('node_modules/semver/'))).toEqual([]);
    expect(run(file, { AWS_REGION: 'us-east-1', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_LOG_LEVEL: 'SILENT' })).toEqual({
      refused: expect.stringContaining('capture of the AWS SDK v2 (captureAWS, captureAWSClient) is not supported'),
    });
  });

  it('X-Ray’s centralized sampling and its EC2, ECS and Elastic Beanstalk plugins: only held, never called, by the SDK', async () => {
    const { metafile } = await bundle(tracedClient);
    expect(importersOf(metafile, 'left-out:aws-xray-sdk-core/dist/lib/middleware/sampling/default_sampler.js')).toEqual([
      'aws-xray-sdk-core/dist/lib/middleware/mw_utils.js',
    ]);
    for (const plugin of ['ec2_plugin', 'ecs_plugin', 'elastic_beanstalk_plugin']) {
      expect(importersOf(metafile, `left-out:aws-xray-sdk-core/dist/lib/segments/plugins/${plugin}.js`)).toEqual(['aws-xray-sdk-core/dist/lib/aws-xray.js']);
    }
    const inputs = Object.keys(metafile.inputs);
    for (const gone of ['rule_poller', 'target_poller', 'rule_cache', 'service_connector', 'segments/plugins/plugin.js']) {
      expect(inputs.filter((f) => f.includes(gone))).toEqual([]);
    }
  });

  it('event streams: loaded only by the SDK’s protocol for an operation that streams events', async () => {
    const { metafile } = await bundle(tracedClient);
    expect(importersOf(metafile, 'libs/platform/lambda/src/bundling/event-streams-left-out.ts')).toEqual([
      '@smithy/core/dist-es/submodules/protocols/HttpProtocol.js',
    ]);
  });

  // AWS behaviour pinned: the SDK treats an operation as an event stream when a member of its
  // input or output structure is a streaming union (smithy's @streaming); every client's
  // operations are described by those schemas, which is how the SDK itself decides.
  const clients = Object.keys(require(path.join(workspaceRoot, 'package.json')).dependencies).filter((name) => name.startsWith('@aws-sdk/client-'));
  it.each(clients)('no operation of %s streams events, so the SDK never loads them', (client) => {
    const { NormalizedSchema } = require('@smithy/core/schema');
    const exports: Record<string, unknown> = require(client);
    // Each operation's command carries its schema: [kind 9 (operation), namespace, name, traits, input, output].
    const operations = Object.entries(exports)
      .filter(([name, value]) => /^\w+Command$/.test(name) && name !== 'Command' && typeof value === 'function')
      .map(([name, Command]) => [name, new (Command as new (input: object) => { schema?: unknown })({}).schema] as const)
      .filter((operation): operation is readonly [string, unknown[]] => Array.isArray(operation[1]) && operation[1][0] === 9);
    expect(operations.length).toBeGreaterThan(5);
    const streaming = operations.filter(([, [, , , , input, output]]) =>
      NormalizedSchema.of(input).getEventStreamMember() || NormalizedSchema.of(output).getEventStreamMember(),
    );
    expect(streaming.map(([name]) => name)).toEqual([]);
  });
});

describe('names in a Lambda bundle', () => {
  it('are minified, except in the modules whose class names are read at run time', async () => {
    const { file } = await bundle(`
      import { BatchProcessor, EventType } from '@aws-lambda-powertools/batch';
      import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
      import { OrderNotFoundError } from '@serverless-orders/orders-domain';
      const client = new DynamoDBClient({ region: 'us-east-1' });
      console.log(JSON.stringify({
        client: DynamoDBClient.name,
        defaultLogger: client.config.logger.constructor.name,
        batchProcessor: new BatchProcessor(EventType.SQS).constructor.name,
        domainError: new OrderNotFoundError('o-1').name,
      }));
    `);
    expect(run(file, lambdaCredentials)).toEqual({
      client: expect.not.stringMatching(/^DynamoDBClient$/),
      // The SDK tells its default logger apart by this name; Powertools batch, its async processor.
      defaultLogger: 'NoOpLogger',
      batchProcessor: 'BatchProcessor',
      // Ours name themselves.
      domainError: 'OrderNotFoundError',
    });
  });
});

describe('stack traces of a Lambda bundle', () => {
  // The frames below point into these lines (line 3: the call of `of`, line 6: of refuseQuantity).
  const thrower = [
    "import { ValidationError } from '@serverless-orders/orders-domain';",
    'export function refuseQuantity(quantity: number): never {',
    "  throw ValidationError.of('quantity', `${quantity} is not a whole number`);",
    '}',
    'export function handler(event: { quantity: number }) {',
    '  return refuseQuantity(event.quantity);',
    '}',
  ].join('\n');

  /** Loads the bundle in a new node, counting reads of its map, then formats the stack of an error thrown inside it, twice. */
  const probe = (file: string) => `
    const fs = require('node:fs');
    const read = fs.readFileSync;
    const reads = [];
    fs.readFileSync = (...args) => (reads.push(String(args[0])), read(...args));
    const bundle = require(${JSON.stringify(file)});
    const mapReadsAtLoad = reads.filter((f) => f.endsWith('.map')).length;
    const stacks = [1, 2].map(() => { try { bundle.handler({ quantity: 1.5 }); } catch (error) { return error.stack; } });
    console.log(JSON.stringify({ mapReadsAtLoad, mapReads: reads.filter((f) => f.endsWith('.map')).length, stack: stacks[0].split('\\n') }));
  `;
  const runProbe = (file: string) => {
    const result = spawnSync(process.execPath, ['-e', probe(file)], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 20_000 });
    if (result.status !== 0) throw new Error(result.stderr);
    return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? 'null') as { mapReadsAtLoad: number; mapReads: number; stack: string[] };
  };

  it('name the TypeScript sources and functions, from a map read only when a stack is first formatted', async () => {
    const { file } = await bundle(thrower, 'libs/example/src/entry.ts');
    const { mapReadsAtLoad, mapReads, stack } = runProbe(file);
    expect(mapReadsAtLoad).toBe(0);
    expect(mapReads).toBe(1);
    expect(stack[0]).toBe('ValidationError: quantity: 1.5 is not a whole number');
    // Sources are named relative to the bundle's folder, less the leading ../ (from the
    // workspace root for dist/apps/<app>; this test's bundle lies elsewhere).
    expect(stack[1]).toMatch(/^ {4}at \S+\.of \((?:.*\/)?libs\/orders\/domain\/src\/order\.errors\.ts:\d+:\d+\)$/);
    expect(stack[2]).toMatch(/^ {4}at refuseQuantity \((?:.*\/)?libs\/example\/src\/entry\.ts:3:25\)$/);
    expect(stack[3]).toMatch(/^ {4}at (Object\.)?handler \((?:.*\/)?libs\/example\/src\/entry\.ts:6:10\)$/);
    // Frames outside the bundle stay as V8 writes them.
    expect(stack.slice(4).some((frame) => frame.includes('[eval]'))).toBe(true);
  });

  it('are V8’s own when the map is not beside the bundle', async () => {
    const { file } = await bundle(thrower, 'libs/example/src/entry.ts');
    rmSync(`${file}.map`);
    const { stack } = runProbe(file);
    expect(stack[0]).toBe('ValidationError: quantity: 1.5 is not a whole number');
    expect(stack[2]).toContain(`${file}:`);
  });
});
