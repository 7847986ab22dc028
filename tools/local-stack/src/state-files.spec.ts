import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock, AlreadyRunningError, DamagedStateFileError, shownPath, writeOutputs } from './state-files';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'local-stack-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('acquireLock', () => {
  it('takes the lock and releases it', () => {
    const lock = acquireLock(dir);
    expect(readFileSync(join(dir, 'local-stack.pid'), 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(existsSync(join(dir, 'local-stack.pid'))).toBe(false);
  });

  it('refuses while another live process holds it', () => {
    writeFileSync(join(dir, 'local-stack.pid'), String(process.ppid));
    expect(() => acquireLock(dir)).toThrow(AlreadyRunningError);
    expect(() => acquireLock(dir)).toThrow(`pid ${process.ppid}`);
  });

  it('takes over a stale lock', () => {
    writeFileSync(join(dir, 'local-stack.pid'), '2147483646');
    acquireLock(dir).release();
  });
});

describe('writeOutputs', () => {
  it('writes the outputs as JSON', () => {
    const file = join(dir, 'sub', 'outputs.json');
    writeOutputs(file, { apiUrl: 'http://x' } as never);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ apiUrl: 'http://x' });
  });
});

describe('shownPath', () => {
  it('is relative inside the current folder, absolute outside it', () => {
    expect(shownPath('/home/dev/serverless-orders/.local/outputs.json', '/home/dev/serverless-orders')).toBe('.local/outputs.json');
    expect(shownPath('/tmp/x/outputs.json', '/home/dev/serverless-orders')).toBe('/tmp/x/outputs.json');
    expect(shownPath('/home/dev/serverless-orders', '/home/dev/serverless-orders')).toBe('/home/dev/serverless-orders');
  });
});

describe('DamagedStateFileError', () => {
  it('names the file, what is wrong and what to do', () => {
    const error = new DamagedStateFileError('.local/cognito/clients.json', 'Unexpected end of JSON input', 'delete it');
    expect(error.message).toBe('the state file .local/cognito/clients.json is damaged and cannot be read (Unexpected end of JSON input): delete it');
    expect(error.name).toBe('DamagedStateFileError');
  });
});
