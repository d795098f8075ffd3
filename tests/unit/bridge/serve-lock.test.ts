/** One `ferry serve` per database: the owner file next to it, and how a stale one (crashed server) is told apart. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireServeLock, processAlive, serveLockPath, type ServeLockDeps } from '../../../src-main/bridge/serve-lock.ts';
import { tmpDir } from '../../helpers/tmp.ts';

const live = (o: Partial<ServeLockDeps> = {}): ServeLockDeps => ({ host: 'here', isAlive: () => true, answers: async () => true, ...o });

function db(): string {
  return path.join(tmpDir(), 'site.sqlite');
}

describe('serve lock', () => {
  it('is <db>-serve.lock, holding pid, port, host and start time; released, it is gone', async () => {
    const file = db();
    const lock = await acquireServeLock(file, live({ pid: 111 }));
    expect(lock.file).toBe(serveLockPath(file));
    expect(lock.file).toBe(`${file}-serve.lock`);
    expect(JSON.parse(fs.readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: 111, port: null, host: 'here', db: file });
    lock.setPort(4321);
    expect(JSON.parse(fs.readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: 111, port: 4321 });
    lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
    lock.release(); // twice is fine
  });

  it('refuses a second server while the first lives, naming its address and process', async () => {
    const file = db();
    const first = await acquireServeLock(file, live({ pid: 111 }));
    first.setPort(4321);
    await expect(acquireServeLock(file, live({ pid: 222 }))).rejects.toMatchObject({
      code: 'BUSY',
      message: `Another Ferry already serves ${file} at http://127.0.0.1:4321/ (process 111). Use the address it printed, or stop it (Ctrl+C in its window) and try again.`,
    });
    // the refused one did not touch the owner's file
    expect(JSON.parse(fs.readFileSync(first.file, 'utf8'))).toMatchObject({ pid: 111, port: 4321 });
  });

  it('a server still starting (no port yet) holds the database too', async () => {
    const file = db();
    await acquireServeLock(file, live({ pid: 111 }));
    await expect(acquireServeLock(file, live({ pid: 222 }))).rejects.toMatchObject({ code: 'BUSY', message: expect.stringContaining('(process 111, starting)') });
  });

  it('takes over from a server that is gone: its process ended, or its pid now belongs to a program not answering on its port', async () => {
    const file = db();
    (await acquireServeLock(file, live({ pid: 111 }))).setPort(4321);
    const second = await acquireServeLock(file, live({ pid: 222, isAlive: (pid) => pid !== 111 }));
    expect(JSON.parse(fs.readFileSync(second.file, 'utf8'))).toMatchObject({ pid: 222 });
    second.setPort(5555);
    const asked: number[] = [];
    const third = await acquireServeLock(file, live({ pid: 333, answers: async (port) => (asked.push(port), false) }));
    expect(asked).toEqual([5555]);
    expect(JSON.parse(fs.readFileSync(third.file, 'utf8'))).toMatchObject({ pid: 333 });
    // the old owner's release does not remove the new owner's file
    second.release();
    expect(fs.existsSync(third.file)).toBe(true);
  });

  it('does not take over a lock from another machine (a shared drive), and says how to clear it', async () => {
    const file = db();
    await acquireServeLock(file, live({ pid: 111, host: 'district-pc' }));
    await expect(acquireServeLock(file, live({ pid: 222, isAlive: () => false }))).rejects.toMatchObject({
      code: 'BUSY',
      message: expect.stringMatching(/on district-pc serves .* \(process 111\)\. Stop it first; if it is surely gone, delete .*-serve\.lock\./),
    });
  });

  it('an unreadable owner file counts for a few seconds (being written), then as stale', async () => {
    const file = db();
    fs.writeFileSync(serveLockPath(file), '');
    const now = Date.now();
    await expect(acquireServeLock(file, live({ now: () => new Date(now + 1000) }))).rejects.toMatchObject({ code: 'BUSY' });
    const lock = await acquireServeLock(file, live({ pid: 9, now: () => new Date(now + 60_000) }));
    expect(lock.owner.pid).toBe(9);
  });

  it('processAlive: this process lives; a pid that does not exist does not', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(2 ** 22 + 12345)).toBe(false);
  });
});
