import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './errors';
import { deployedTarget, localTarget, targetFromOutputs } from './target';

// The keys the Pulumi program exports (infra/src/main.ts), which the local stack's outputs.json
// repeats, plus the local endpoints.
const outputs = {
  apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev/',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_Abc',
  userPoolClientId: 'client',
  userPoolClientSecret: 'secret',
  stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:orders',
  cognitoEndpoint: 'http://127.0.0.1:9229',
  stepFunctionsEndpoint: 'http://127.0.0.1:8083',
};

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'orders-target-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('targets', () => {
  it('reads the local stack’s outputs: the API, the pool and the workflow at their local endpoints', () => {
    expect(targetFromOutputs(outputs, 'local', 'outputs.json')).toEqual({
      kind: 'local',
      source: 'outputs.json',
      apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev',
      pool: { region: 'eu-west-1', userPoolId: 'eu-west-1_Abc', userPoolClientId: 'client', userPoolClientSecret: 'secret', endpoint: 'http://127.0.0.1:9229' },
      workflow: { region: 'eu-west-1', stateMachineArn: outputs.stateMachineArn, endpoint: 'http://127.0.0.1:8083' },
    });
  });

  it('lets --api-url replace the outputs’ API, and works with an API URL alone', () => {
    expect(targetFromOutputs(outputs, 'local', 'o', 'http://127.0.0.1:3001/dev').apiUrl).toBe('http://127.0.0.1:3001/dev');
    expect(localTarget(join(dir, 'missing.json'), 'http://x/dev')).toEqual({ kind: 'deployed', source: '--api-url', apiUrl: 'http://x/dev' });
  });

  it('names what is wrong with the outputs file', () => {
    expect(() => localTarget(join(dir, 'missing.json'))).toThrow(`${join(dir, 'missing.json')} not found: start the local stack (npm start)`);
    writeFileSync(join(dir, 'broken.json'), '{');
    expect(() => localTarget(join(dir, 'broken.json'))).toThrow('is not JSON');
    expect(() => targetFromOutputs({ region: 'x' }, 'local', 'o.json')).toThrow('o.json has no apiUrl');
  });

  it('reads a deployed stack’s Pulumi outputs and talks to AWS itself (no local endpoints)', () => {
    const calls: unknown[][] = [];
    const target = deployedTarget('dev', 'infra', undefined, ((cmd: string, args: string[]) => {
      calls.push([cmd, ...args]);
      return JSON.stringify(outputs);
    }) as never);
    expect(calls[0]).toEqual(['pulumi', 'stack', 'output', '--json', '--show-secrets', '--stack', 'dev', '--cwd', 'infra']);
    expect(target.kind).toBe('deployed');
    expect(target.pool?.endpoint).toBeUndefined();
    expect(target.workflow?.endpoint).toBeUndefined();
  });

  it('says plainly that the Pulumi CLI is missing (spawn ENOENT), or what Pulumi said', () => {
    const enoent = Object.assign(new Error('spawnSync pulumi ENOENT'), { code: 'ENOENT' });
    const run = (error: Error) => () =>
      deployedTarget('dev', 'infra', undefined, (() => {
        throw error;
      }) as never);
    expect(run(enoent)).toThrow(CliError);
    expect(run(enoent)).toThrow(/^Pulumi CLI not found: install it .* or use the local stack/);
    const noStack = Object.assign(new Error('Command failed'), { status: 255, stderr: "error: no stack named 'dev' found\n" });
    expect(run(noStack)).toThrow("could not read the outputs of Pulumi stack dev: error: no stack named 'dev' found");
  });
});
