/**
 * Issue 16, defect 5: a database in a read-only place (a write-protected USB key, a CD, a read-only folder or file)
 * opens for info, jobs, exports, dry runs and the check — through a private copy, since SQLite cannot open a WAL
 * database there (no -shm) — while an import says plainly that the database is read-only (CLI exit 2). Nothing is
 * left beside the database (no -wal/-shm), its bytes and mtime do not change, and the private copy is deleted.
 *
 * Real read-only places, each used when this machine allows it (else skipped, saying why): a read-only bind mount
 * (EROFS, as a write-protected key; needs root with CAP_SYS_ADMIN), `chattr +i` on the file and its folder (EPERM;
 * root with CAP_LINUX_IMMUTABLE on ext4 and the like), and plain permissions for a user that is not root (root ignores
 * them). A non-root run of the real `ferry` command (runuser -u nobody) is tested when running as root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { seedData, seedMetadata, seedValues, U } from '../unit/exporters/seed.ts';
import { readDataRows, runExport, summaryOf } from '../unit/exporters/read-export.ts';
import { ferryCli } from '../helpers/cli.ts';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';
import type { ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import type { Channel, Req, Res } from '../../src-shared/api/contract.ts';
import { localizedMessage } from '../../src-shared/i18n/error-messages.ts';
import { createI18n } from '../../src-shared/i18n/create.ts';

async function call<C extends Channel>(f: Ferry, channel: C, req: Req<C>): Promise<Res<C>> {
  const r = await invoke(f.handlers, channel, req);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as Res<C>;
}

const LIVE = seedValues().filter((v) => !v.deleted).length;
const CSV = `dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n${U.deNum},202403,${U.ouA1},${U.cocM},${U.def.coc},5\n`;

interface Place {
  name: string;
  /** null when this machine cannot make it (the reason is in `why`) */
  make: ((dir: string) => { root: string; undo(): void }) | null;
  why: string;
}

const sh = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const isRoot = process.getuid?.() === 0;

/** Tries a way to make a folder read-only; it works when a write into it then fails. */
function probe(make: (dir: string) => { root: string; undo(): void }): boolean {
  const dir = tmpDir('ferry-ro-probe-');
  try {
    const p = make(dir);
    let blocked = false;
    try {
      fs.writeFileSync(path.join(p.root, 'x'), 'x');
    } catch {
      blocked = true;
    }
    p.undo();
    return blocked;
  } catch {
    return false;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const bindMount = (dir: string): { root: string; undo(): void } => {
  const mnt = `${dir}-ro`;
  fs.mkdirSync(mnt);
  if (!sh('mount', ['--bind', dir, mnt]) || !sh('mount', ['-o', 'remount,ro,bind', mnt])) {
    sh('umount', ['-l', mnt]);
    fs.rmdirSync(mnt);
    throw new Error('mount failed');
  }
  return { root: mnt, undo: () => (sh('umount', ['-l', mnt]), fs.rmdirSync(mnt)) };
};
const immutable = (dir: string): { root: string; undo(): void } => {
  const files = fs.readdirSync(dir).map((n) => path.join(dir, n));
  if (!sh('chattr', ['+i', ...files, dir])) throw new Error('chattr failed');
  return { root: dir, undo: () => void sh('chattr', ['-i', dir, ...files]) };
};
const permissions = (dir: string): { root: string; undo(): void } => {
  const files = fs.readdirSync(dir).map((n) => path.join(dir, n));
  for (const f of files) fs.chmodSync(f, 0o444);
  fs.chmodSync(dir, 0o555);
  return { root: dir, undo: () => (fs.chmodSync(dir, 0o755), files.forEach((f) => fs.chmodSync(f, 0o644))) };
};

const PLACES: Place[] = [
  { name: 'a read-only mount (a write-protected USB key)', make: isRoot && probe(bindMount) ? bindMount : null, why: 'needs root allowed to mount (CAP_SYS_ADMIN)' },
  { name: 'an immutable file in an immutable folder (chattr +i)', make: isRoot && probe(immutable) ? immutable : null, why: 'needs root and a file system with chattr +i' },
  { name: 'a read-only file in a read-only folder (permissions)', make: !isRoot ? permissions : null, why: 'root ignores permissions' },
];

for (const place of PLACES) {
  describe.skipIf(!place.make)(`a database in ${place.name}${place.make ? '' : ` — skipped: ${place.why}`}`, () => {
    let base: string;
    let src: string;
    let ro: { root: string; undo(): void };
    let db: string;
    let csv: string;
    let out: string;
    let before: Record<string, string>;

    beforeAll(async () => {
      base = tmpDir('ferry-ro-');
      src = path.join(base, 'key');
      fs.mkdirSync(src);
      out = path.join(base, 'out');
      fs.mkdirSync(out);
      csv = path.join(base, 'values.csv');
      fs.writeFileSync(csv, CSV);
      // the site as it was when its database was copied to the key: data, and a job in its history
      const site = openFerry({ dbPath: path.join(src, 'site.sqlite'), mode: 'inline' });
      seedMetadata(site.db);
      seedData(site.db);
      summaryOf(await runExport(site, { kind: 'data', out: path.join(out, 'before.csv'), format: 'csv' }));
      await site.close();
      // and a second database whose last commit is still in its -wal (copied while Ferry had it open; no -shm)
      const live = new Database(path.join(src, 'site.sqlite'));
      live.pragma('wal_autocheckpoint = 0');
      live.exec(`UPDATE metadata_object SET name = 'Renamed in the WAL' WHERE uid = '${U.deNum}'`);
      fs.copyFileSync(path.join(src, 'site.sqlite'), path.join(src, 'walled.sqlite'));
      fs.copyFileSync(path.join(src, 'site.sqlite-wal'), path.join(src, 'walled.sqlite-wal'));
      live.exec(`UPDATE metadata_object SET name = 'Malaria cases' WHERE uid = '${U.deNum}'`);
      live.close(); // checkpoints and removes site.sqlite's -wal/-shm
      fs.utimesSync(path.join(src, 'site.sqlite'), new Date('2021-05-06T07:08:09Z'), new Date('2021-05-06T07:08:09Z'));
      ro = place.make!(src);
      db = path.join(ro.root, 'site.sqlite');
      before = snapshot(ro.root);
    });
    afterAll(() => {
      ro?.undo();
      fs.rmSync(base, { recursive: true, force: true });
    });

    /** name → sha256 and mtime of every file in the folder */
    function snapshot(dir: string): Record<string, string> {
      const o: Record<string, string> = {};
      for (const n of fs.readdirSync(dir).sort()) {
        const p = path.join(dir, n);
        o[n] = `${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')} ${fs.statSync(p).mtimeMs}`;
      }
      return o;
    }
    const myCopies = (): string[] =>
      fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('ferry-readonly-') && fs.readFileSync(path.join(os.tmpdir(), n, 'owner'), 'utf8').startsWith(`${process.pid} `));

    it('opens for info, jobs, exports (in a worker), dry runs and the check; refuses an import plainly', async () => {
      const f: Ferry = openFerry({ dbPath: db, mode: 'worker' });
      try {
        expect(f.readOnly).toMatch(/read-only disk|protected against changes|may not write/);
        expect((await call(f, 'db:info', {})).dataValues).toBe(LIVE);
        const jobs = await call(f, 'jobs:list', {});
        expect(jobs.map((j) => `${j.direction} ${j.kind} ${j.status}`)).toEqual(['export data done']);

        const exported = summaryOf(await runExport(f, { kind: 'data', out: path.join(out, 'from-key.csv'), format: 'csv' }));
        expect(exported.counts.dataValues).toBe(LIVE);
        expect((await readDataRows(path.join(out, 'from-key.csv'), 'csv')).rows).toHaveLength(LIVE);

        const dryJob = await f.jobs.wait((await call(f, 'import:start', { files: [csv], options: { dryRun: true } })).jobId);
        expect(dryJob.error).toBeNull();
        expect(dryJob.dryRun).toBe(true);
        expect((dryJob.summary as ImportSummary).importCount.imported).toBe(1);

        const real = await invoke(f.handlers, 'import:start', { files: [csv], options: {} });
        expect(real.ok).toBe(false);
        if (!real.ok) {
          expect(real.error.code).toBe('DB_READONLY');
          expect(real.error.message).toContain(`The database ${db} is read-only`);
          expect(real.error.message).toMatch(/cannot import into it: copy it to a folder you can write to/);
          // said in French from its key, the reason too (db.why.*)
          const fr = localizedMessage(createI18n('fr'), real.error);
          expect(fr).toMatch(new RegExp(`^La base de données ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} est en lecture seule : `));
          expect(fr).toContain('mais pas y importer');
          expect(fr).not.toMatch(/read-only|protected against|may not write/);
        }
        expect((await call(f, 'db:check', {})).ok).toBe(true);
        expect(myCopies()).toHaveLength(1);
      } finally {
        await f.close();
      }
      expect(myCopies()).toEqual([]);
      expect(snapshot(ro.root)).toEqual(before);
    });

    it('the command line: info, jobs and dry runs work, an import exits 2 saying the database is read-only', async () => {
      const info = await ferryCli(['--db', db, 'info', '--json']);
      expect(info.code).toBe(0);
      expect(info.json<{ dataValues: number }>().dataValues).toBe(LIVE);
      expect((await ferryCli(['--db', db, 'jobs'])).code).toBe(0);
      const dry = await ferryCli(['--db', db, 'import', csv, '--dry-run', '--json']);
      expect(dry.code).toBe(0);
      expect(dry.json<ImportSummary>().importCount.imported).toBe(1);
      const imp = await ferryCli(['--db', db, 'import', csv]);
      expect(imp.code).toBe(2);
      expect(imp.stderr).toMatch(/^ferry: The database .* is read-only: .*cannot import into it/);
      const check = await ferryCli(['--db', db, 'check']);
      expect(check.code).toBe(0);
      expect(check.stdout).toMatch(/^ok: .*a private copy of it was checked/);
      expect(check.stdout).toMatch(/\((on a read-only disk|the (file|folder) .* is protected against changes)/);
      // in French, the reason too
      const fr = await ferryCli(['--db', db, 'check', '--lang', 'fr'], { env: { FERRY_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: '' } });
      expect(fr.stdout).toMatch(/La base est en lecture seule \((elle se trouve sur un disque en lecture seule|le (fichier|dossier) ).*\) : une copie privée en a été contrôlée/);
      expect(fr.stdout).not.toMatch(/read-only disk|protected against/);
      const imFr = await ferryCli(['--db', db, 'import', csv, '--lang', 'pt'], { env: { FERRY_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: '' } });
      expect(imFr.stderr).toMatch(/^ferry: A base de dados .* é só de leitura: .*mas não pode importar para ela/);
      expect(snapshot(ro.root)).toEqual(before);
      expect(myCopies()).toEqual([]);
    });

    it('a database whose last commit is only in its -wal (no -shm) is read with that commit', async () => {
      const f = openFerry({ dbPath: path.join(ro.root, 'walled.sqlite'), mode: 'inline' });
      try {
        expect(f.readOnly).not.toBeNull();
        const list = await call(f, 'metadata:list', { type: 'dataElements', search: 'Renamed' });
        expect(list.map((m) => m.name)).toEqual(['Renamed in the WAL']);
      } finally {
        await f.close();
      }
      expect(snapshot(ro.root)).toEqual(before);
    });

    it('a new database in the read-only folder is a clear error, not INTERNAL', async () => {
      for (const target of [path.join(ro.root, 'new.sqlite'), path.join(ro.root, 'sub', 'new.sqlite')]) {
        const r = await ferryCli(['--db', target, 'info', '--json']);
        expect(r.code).toBe(2);
        const err = r.json<{ error: { code: string; message: string } }>().error;
        expect(err.code).toBe('DB_READONLY');
        expect(err.message).toMatch(/^Cannot create the (database|folder) .*(read-only disk|protected against changes|may not write).*Choose a folder you can write to/);
      }
      expect(snapshot(ro.root)).toEqual(before);
    });
  });
}

describe.skipIf(!isRoot || !sh('runuser', ['-u', 'nobody', '--', 'true']))('the real ferry command as a user that is not root (runuser -u nobody)', () => {
  it('reads a database it may not write, and refuses to import into it', async () => {
    const base = tmpDir('ferry-ro-nobody-');
    fs.chmodSync(base, 0o755);
    try {
      const site = openFerry({ dbPath: path.join(base, 'site.sqlite'), mode: 'inline' });
      seedMetadata(site.db);
      seedData(site.db);
      await site.close();
      fs.writeFileSync(path.join(base, 'values.csv'), CSV);
      const before = fs.readdirSync(base).sort();
      const run = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
        spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, path.join(repoRoot, 'bin/ferry.mjs'), '--db', path.join(base, 'site.sqlite'), ...args], {
          encoding: 'utf8',
          env: { ...process.env, HOME: base, FERRY_INLINE_JOBS: '1' },
        });
      const info = run('info', '--json');
      expect(info.status, info.stderr).toBe(0);
      expect(JSON.parse(info.stdout).dataValues).toBe(LIVE);
      const dry = run('import', path.join(base, 'values.csv'), '--dry-run', '--json');
      expect(dry.status, dry.stderr).toBe(0);
      const imp = run('import', path.join(base, 'values.csv'));
      expect(imp.status).toBe(2);
      expect(imp.stderr).toMatch(/is read-only: this user may not write the (file|folder)/);
      expect(fs.readdirSync(base).sort()).toEqual(before);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  }, 60_000);
});
