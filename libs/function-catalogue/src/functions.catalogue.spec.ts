import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FUNCTIONS, functionDefinition } from './functions.catalogue';

/** The catalogue and the apps/ folder describe the same functions: infra and the local stack deploy exactly what exists. */
const apps = path.resolve(__dirname, '../../../apps');

describe('the function catalogue', () => {
  it('has one entry per app folder, and an app folder with a handler per entry', () => {
    const folders = readdirSync(apps, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(FUNCTIONS.map((f) => f.app).sort()).toEqual(folders);
    for (const fn of FUNCTIONS) {
      const main = path.join(apps, fn.app, 'src', 'main.ts');
      expect(existsSync(main)).toBe(true);
      expect(readFileSync(main, 'utf8')).toMatch(/export const handler\b/);
    }
  });

  it('names each setting once per function', () => {
    for (const fn of FUNCTIONS) {
      const names = fn.settings.map((s) => s.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('finds an entry by name and refuses an unknown one', () => {
    expect(functionDefinition('create-order').trigger.kind).toBe('queue');
    expect(() => functionDefinition('no-such-function' as never)).toThrow('no function named no-such-function');
  });
});
