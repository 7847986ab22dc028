import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readStackSettings } from './stack-settings';

/** The files around the program agree with it: where Pulumi finds the bundle, what deploy builds, which keys a stack has. */

const infra = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(infra, file), 'utf8');
const project = JSON.parse(read('project.json'));

describe('project files', () => {
  it('points Pulumi at the bundle the build target writes, inside the Pulumi project', () => {
    const main = /^main:\s*(\S+)\s*$/m.exec(read('Pulumi.yaml'))?.[1];
    const build = project.targets.build.options;
    expect(main).toBeDefined();
    expect(path.resolve(infra, main ?? '')).toBe(path.resolve(infra, '..', build.outputPath, 'main.js'));
    expect(path.relative(infra, path.resolve(infra, main ?? '')).startsWith('..')).toBe(false);
    expect(build.main).toBe('infra/src/main.ts');
    expect(build.external).toEqual(expect.arrayContaining(['@pulumi/pulumi', '@pulumi/aws']));
    expect(/^name:\s*serverless-orders\s*$/m.test(read('Pulumi.yaml'))).toBe(true);
  });

  it.each(['preview', 'deploy'])('%s builds the program and every app first', (target) => {
    expect(project.targets[target].dependsOn).toEqual(['build', { projects: ['tag:type:app'], target: 'build' }]);
    expect(project.targets[target].options.cwd).toBe('infra');
  });

  it('is tagged type:infra', () => {
    expect(project.tags).toEqual(['type:infra']);
  });

  it('the example stack and the README name exactly the keys the program reads', () => {
    // The keys the program reads, recorded from readStackSettings itself through a config that
    // answers every key with nothing (but the one required key).
    const known = new Set<string>();
    const answer = (key: string, value?: unknown) => (known.add(key), value);
    const recording = {
      get: (key: string) => answer(key, key === 'notificationEmail' ? 'ops@example.com' : undefined),
      getNumber: (key: string) => answer(key),
      getBoolean: (key: string) => answer(key),
      getObject: (key: string) => answer(key),
    };
    readStackSettings(recording as never, 'dev');
    expect(known).toContain('authorizer');
    const exampleKeys = [...read('Pulumi.dev.yaml').matchAll(/^\s+serverless-orders:(\w+):/gm)].map((m) => m[1]);
    expect(exampleKeys.length).toBeGreaterThan(5);
    for (const key of exampleKeys) expect(known).toContain(key);
    const documented = [...read('README.md').matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...known].sort());
  });
});
