import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DamagedStateFileError } from '../state-files';
import { savesSafely, stateFilesSaved, useSafeStateFiles } from './state-store';

// cognito-local's own data store over StormDB, as the identity provider builds it, with the engine installed.
const fromCognitoLocal = createRequire(require.resolve('cognito-local'));
const Engine = useSafeStateFiles(fromCognitoLocal('stormdb'));
const { StormDBDataStoreFactory } = fromCognitoLocal('./services/dataStore/stormDb.js') as {
  StormDBDataStoreFactory: new (dir: string) => {
    create(ctx: unknown, id: string, defaults: object): Promise<{ db: { engine: unknown }; set(ctx: unknown, key: string[], value: unknown): Promise<void> }>;
  };
};
const ctx = { logger: { debug: () => undefined } };
const user = (i: number) => ({ Username: `user-${i}`, Password: 'p'.repeat(20), Attributes: [{ Name: 'email', Value: `user-${i}@example.com` }], UserCreateDate: new Date() });

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'state-store-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('useSafeStateFiles', () => {
  it('is what cognito-local’s data store saves with, once installed (twice changes nothing)', async () => {
    expect(useSafeStateFiles(fromCognitoLocal('stormdb'))).toBe(Engine);
    const store = await new StormDBDataStoreFactory(dir).create(ctx, 'pool', { Users: {} });
    expect(savesSafely(store.db.engine)).toBe(true);
  });

  // With StormDB's own engine, 4 rounds in 10 of exactly this left JSON followed by the tail of an
  // older, longer state ("Unexpected non-whitespace character after JSON").
  it('keeps the file whole, with every user, under 40 saves at once, round after round', async () => {
    for (let round = 0; round < 10; round++) {
      const roundDir = join(dir, String(round));
      const store = await new StormDBDataStoreFactory(roundDir).create(ctx, 'pool', { Users: {} });
      await Promise.all(Array.from({ length: 40 }, (_, i) => store.set(ctx, ['Users', `user-${i}`], user(i))));
      const saved = JSON.parse(readFileSync(join(roundDir, 'pool.json'), 'utf8')) as { Users: Record<string, unknown> };
      expect(Object.keys(saved.Users)).toHaveLength(40);
      // no temporary file is left beside it
      expect(readdirSync(roundDir)).toEqual(['pool.json']);
    }
  });

  it('saves in the order asked: the last state asked for is the one on disk, once stateFilesSaved resolves', async () => {
    const store = await new StormDBDataStoreFactory(dir).create(ctx, 'pool', { Users: {} });
    for (let i = 0; i < 30; i++) void store.set(ctx, ['Users', 'same'], { n: i, pad: 'x'.repeat(30 - i) });
    await stateFilesSaved();
    expect(JSON.parse(readFileSync(join(dir, 'pool.json'), 'utf8')).Users.same).toEqual({ n: 29, pad: 'x' });
  });

  it('names a file it cannot read, with JSON’s own reason', async () => {
    const file = join(dir, 'us-east-1_abc.json');
    writeFileSync(file, '{"Users":{}}\n  }\n}');
    const open = () => new StormDBDataStoreFactory(dir).create(ctx, 'us-east-1_abc', { Users: {} });
    await expect(open()).rejects.toThrow(DamagedStateFileError);
    await expect(open()).rejects.toThrow(`the state file ${file} is damaged and cannot be read (Unexpected non-whitespace character after JSON at position 15`);
    await expect(open()).rejects.toMatchObject({ file, problem: expect.stringContaining('after JSON at position 15') });
  });

  it('leaves other read errors as they are (they name their file already)', async () => {
    const file = join(dir, 'folder.json');
    // a directory where the file should be: EISDIR, not damage
    mkdirSync(file);
    await expect(new StormDBDataStoreFactory(dir).create(ctx, 'folder', {})).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
