import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { FUNCTIONS } from '@serverless-orders/function-catalogue';
import { installMocks, REGION, valueOf } from './test/pulumi-mocks';
import { STACK_OUTPUTS } from './test/stack-outputs';

/** The program as Pulumi runs it: config in, stack outputs out. */

describe('the Pulumi program', () => {
  let artifacts: string;

  beforeAll(() => {
    artifacts = mkdtempSync(path.join(tmpdir(), 'orders-artifacts-'));
    for (const { app } of FUNCTIONS) {
      mkdirSync(path.join(artifacts, app));
      writeFileSync(path.join(artifacts, app, 'main.js'), 'exports.handler = async () => ({});\n');
    }
  });
  afterAll(() => rmSync(artifacts, { recursive: true, force: true }));

  const configure = (values: Record<string, string>) =>
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(values).map(([k, v]) => [`serverless-orders:${k}`, v])));

  it('refuses to deploy without the apps built', async () => {
    installMocks('dev');
    configure({ notificationEmail: 'ops@example.com', artifactsDir: path.join(artifacts, 'missing') });
    await jest.isolateModulesAsync(async () => {
      await expect(import('./main')).rejects.toThrow(/no bundle for get-orders/);
    });
  });

  it('exports every stack output', async () => {
    installMocks('dev');
    configure({ notificationEmail: 'ops@example.com', authorizer: 'lambda', artifactsDir: artifacts });
    let program: Record<string, pulumi.Output<string>> = {};
    await jest.isolateModulesAsync(async () => {
      program = { ...(await import('./main')) };
    });
    expect(Object.keys(program).sort()).toEqual([...STACK_OUTPUTS].sort());
    const values = Object.fromEntries(await Promise.all(STACK_OUTPUTS.map(async (key) => [key, await valueOf(program[key])])));
    for (const key of STACK_OUTPUTS) expect(values[key]).toEqual(expect.any(String));
    expect(values['apiUrl']).toMatch(/^https:\/\/.+\/dev$/);
    expect(values['region']).toBe(REGION);
    expect(values['authorizer']).toBe('lambda');
    expect(values['tableName']).toMatch(/^orders-dev-orders/);
    expect(await pulumi.isSecret(program['userPoolClientSecret'])).toBe(true);
  });
});
