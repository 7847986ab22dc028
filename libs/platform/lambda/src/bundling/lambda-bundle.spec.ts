import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import lambdaBundleOptions from './lambda-bundle.config';

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
async function bundle(source: string): Promise<{ file: string; inputs: string[] }> {
  const file = path.join(dir, `entry-${++entries}`, 'main.js');
  const { metafile } = await build({
    ...lambdaBundleOptions,
    absWorkingDir: workspaceRoot,
    stdin: { contents: source, resolveDir: __dirname, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    outfile: file,
    metafile: true,
    logLevel: 'silent',
  });
  return { file, inputs: Object.keys((metafile as Metafile).inputs) };
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
    const { inputs } = await bundle(client);
    const packages = new Set(inputs.map((f) => f.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1]).filter(Boolean));
    for (const gone of ['@aws-sdk/credential-provider-node', '@aws-sdk/credential-provider-ini', '@aws-sdk/credential-provider-sso', '@aws-sdk/credential-provider-web-identity', '@aws-sdk/nested-clients', '@aws-sdk/token-providers']) {
      expect(packages).not.toContain(gone);
    }
    expect(packages).toContain('@aws-sdk/credential-provider-env');
  });
});
