/**
 * Issue 16, defect 8: power cuts and damaged files. Every connection commits with synchronous=FULL (a job's commit is
 * on disk when the job history says done); `ferry check`, the db:check channel and the check screen run SQLite's
 * integrity check in steps with progress and say what to do when it fails; a damaged page met during a job fails that
 * job cleanly (DB_CORRUPT, naming the check and the backup), keeping nothing of it. The damage is real: bytes of a
 * data_value page of a copy are overwritten.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { DbChecker, checkDatabaseFile } from '../../src-main/services/check.ts';
import { importers } from '../../src-main/jobs/registry.ts';
import { seedData, seedMetadata, U, type SeedValue } from '../unit/exporters/seed.ts';
import { runExport } from '../unit/exporters/read-export.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import type { Channel, DbCheckProgress, DbCheckResult, Req, Res } from '../../src-shared/api/contract.ts';
import type { Ferry } from '../../src-main/services/context.ts';

async function call<C extends Channel>(f: Ferry, channel: C, req: Req<C>): Promise<Res<C>> {
  const r = await invoke(f.handlers, channel, req);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as Res<C>;
}
import type { ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import { localizedMessage } from '../../src-shared/i18n/error-messages.ts';
import { createI18n } from '../../src-shared/i18n/create.ts';

let dir: string;
let sound: string;
let keys: SeedValue[];

/** 1,500 days × 4 org units × 2 category option combos = 12,000 values: some 100 data_value pages. */
function bigSite(p: string): Promise<void> {
  const f = openFerry({ dbPath: p, mode: 'inline' });
  seedMetadata(f.db);
  const insP = f.db.prepare(`INSERT OR IGNORE INTO period (iso, type, start_date, end_date) VALUES (?, 'Daily', ?, ?)`);
  keys = [];
  for (let d = 0; d < 1500; d++) {
    const day = new Date(Date.UTC(2020, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
    insP.run(day.replace(/-/g, ''), day, day);
    for (const ou of [U.ouRoot, U.ouA, U.ouB, U.ouA1])
      for (const coc of [U.cocM, U.cocF]) keys.push({ de: U.deNum, pe: day.replace(/-/g, ''), ou, coc, aoc: U.def.coc, value: String(d % 97) });
  }
  seedData(f.db, keys);
  return f.close();
}

/**
 * A copy of the sound database with bytes of one data_value leaf page from the middle overwritten: at `at` = 0 its
 * b-tree header (SQLite stops any walk through it), else (any other `at`) its cells from the middle one on.
 */
function damagedCopy(name: string, at = 0): { file: string; page: number } {
  const file = path.join(dir, name);
  fs.copyFileSync(sound, file);
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.prepare(`SELECT pageno FROM dbstat WHERE name = 'data_value' AND pagetype = 'leaf' ORDER BY pageno`).pluck().all() as number[];
  db.close();
  for (const s of ['-wal', '-shm']) fs.rmSync(file + s, { force: true });
  const page = pages[Math.floor(pages.length / 2)]!;
  const fd = fs.openSync(file, 'r+');
  if (at) {
    // from the middle cell of the page on (leaf header: cell count at bytes 3–4, then the 2-byte cell pointers from
    // byte 8), so that the bytes overwritten are live cells whatever the row size and free space
    const buf = Buffer.alloc(pageSize);
    fs.readSync(fd, buf, 0, pageSize, (page - 1) * pageSize);
    const cell = buf.readUInt16BE(8 + 2 * Math.floor(buf.readUInt16BE(3) / 2));
    at = Math.min(cell, pageSize - 200);
  }
  fs.writeSync(fd, Buffer.alloc(at ? 200 : 600, 0xa5), 0, at ? 200 : 600, (page - 1) * pageSize + at);
  fs.closeSync(fd);
  return { file, page };
}

beforeAll(async () => {
  dir = tmpDir('ferry-check-');
  sound = path.join(dir, 'sound.sqlite');
  await bigSite(sound);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the database check', () => {
  it('passes a sound database, with progress table by table and then the whole file', () => {
    const seen: DbCheckProgress[] = [];
    const r = checkDatabaseFile(sound, (p) => seen.push(p));
    expect(r).toMatchObject({ ok: true, messages: [], advice: null });
    expect(r.tables).toBeGreaterThanOrEqual(9);
    expect(r.pages).toBeGreaterThan(100);
    const stages = seen.map((p) => p.stage);
    expect(stages).toContain('checking data_value');
    expect(stages.at(-2)).toBe('checking free pages and page accounting');
    expect(stages.at(-1)).toBe('done');
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);
    expect(seen.at(-1)!.done).toBe(seen.at(-1)!.total);
    // the biggest table is checked last: the bar moves early
    expect(stages.indexOf('checking data_value')).toBe(stages.length - 3);
  });

  it('finds the damaged page, names its table and says to restore the backup', () => {
    const { file, page } = damagedCopy('damaged-1.sqlite', 1500);
    const r = checkDatabaseFile(file);
    expect(r.ok).toBe(false);
    expect(r.messages.some((m) => m.startsWith('data_value: ') && m.includes(`page ${page}`)), r.messages.join('\n')).toBe(true);
    expect(r.advice).toMatch(/restore your latest backup \(README: "Where your data lives, and how to back it up"\)/);
  });

  it('a page too damaged to walk stops SQLite\'s check: the table is named all the same', () => {
    const { file } = damagedCopy('damaged-1b.sqlite');
    const r = checkDatabaseFile(file);
    expect(r.ok).toBe(false);
    expect(r.messages).toEqual([
      'data_value: cannot be checked (database disk image is malformed)',
      'whole file: cannot be checked (database disk image is malformed)',
    ]);
    // Ferry's words around SQLite's, in the screens' and the CLI's language (the key and parameters beside)
    const said = (l: 'fr' | 'pt', i: number) => localizedMessage(createI18n(l), { message: r.messages[i]!, details: r.messageDetails?.[i] ?? {} });
    expect(said('fr', 0)).toBe('data_value : ne peut pas être vérifiée (database disk image is malformed)');
    expect(said('pt', 1)).toBe('ficheiro inteiro: não pode ser verificado (database disk image is malformed)');
  });

  it('runs in a worker behind db:check; db:checkStatus keeps the last result', async () => {
    const { file } = damagedCopy('damaged-2.sqlite');
    const f = openFerry({ dbPath: file, mode: 'worker' });
    try {
      expect(await call(f, 'db:checkStatus', {})).toEqual({ running: false, progress: null, last: null });
      const pending = call(f, 'db:check', {});
      expect((await call(f, 'db:checkStatus', {})).running).toBe(true);
      expect((await pending).ok).toBe(false);
      const after = await call(f, 'db:checkStatus', {});
      expect(after.running).toBe(false);
      expect(after.last?.ok).toBe(false);
    } finally {
      await f.close();
    }
  });

  it('one check at a time: a second request joins the running one', async () => {
    const checker = new DbChecker({ dbPath: sound, mode: 'inline' });
    const [a, b] = await Promise.all([checker.run(), checker.run()]);
    expect(a).toBe(b);
  });

  it('ferry check: exit 0 and a line when sound, exit 1 with the problems and what to do when damaged, --json', async () => {
    const ok = await ferryCli(['--db', sound, 'check'], { inline: false });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: SQLite's integrity check found nothing wrong in .*sound\.sqlite \(\d+ tables, [\d,]+ pages, [\d.]+ s\)\n$/);
    const { file } = damagedCopy('damaged-3.sqlite');
    const bad = await ferryCli(['--db', file, 'check']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^DAMAGED: .* failed SQLite's integrity check:\n {2}data_value: /);
    expect(bad.stdout).toMatch(/What to do: The database is damaged\. Ferry cannot repair it: .*restore your latest backup/);
    const json = await ferryCli(['--db', file, 'check', '--json']);
    expect(json.code).toBe(1);
    expect(json.json<DbCheckResult>()).toMatchObject({ ok: false, advice: expect.stringContaining('backup') });
  });

  it('ferry check refuses what it cannot check: no database, or not a Ferry database (unchanged)', async () => {
    const missing = await ferryCli(['--db', path.join(dir, 'nothing-here.sqlite'), 'check']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/There is no database at/);
    expect(fs.existsSync(path.join(dir, 'nothing-here.sqlite'))).toBe(false);
    const other = path.join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE notes (t TEXT)');
    db.close();
    const bytes = fs.readFileSync(other);
    const r = await ferryCli(['--db', other, 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a Ferry database/);
    expect(fs.readFileSync(other).equals(bytes)).toBe(true);
  });
});

describe('a damaged page met during a job', () => {
  it('fails an export cleanly (in a worker): DB_CORRUPT naming ferry check and the backup, no file left', async () => {
    const { file } = damagedCopy('damaged-export.sqlite');
    const f = openFerry({ dbPath: file, mode: 'worker' });
    try {
      const out = path.join(dir, 'out.csv');
      const job = await runExport(f, { kind: 'data', out, format: 'csv' });
      expect(job.status).toBe('failed');
      expect(job.error?.code).toBe('DB_CORRUPT');
      expect(job.error?.message).toMatch(/^The database is damaged \(SQLite: database disk image is malformed\)/);
      expect(job.error?.message).toMatch(/Run 'ferry check'.*restore your latest backup/);
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      await f.close();
    }
  });

  it('fails an import cleanly: nothing of it is kept, and the CLI says so', async () => {
    const { file } = damagedCopy('damaged-import.sqlite');
    const csv = path.join(dir, 'all.csv');
    // every stored value again with a new value, in key order: the job updates pages before it meets the damaged one
    fs.writeFileSync(csv, 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n' + keys.map((k) => `${k.de},${k.pe},${k.ou},${k.coc},${k.aoc},1000`).join('\n') + '\n');
    const r = await ferryCli(['--db', file, 'import', csv, '--json']);
    expect(r.code).toBe(1);
    const err = r.json<{ status: string; error: { code: string; message: string } }>();
    expect(err).toMatchObject({ status: 'ERROR', error: { code: 'DB_CORRUPT' } });
    expect(err.error.message).toMatch(/ferry check/);
    const db = new Database(file, { readonly: true });
    // the first pages (before the damaged one) still hold the old values: the job's updates were rolled back
    const first = db.prepare(`SELECT value FROM data_value ORDER BY ou, pe, de, coc, aoc LIMIT 200`).pluck().all() as string[];
    expect(first).toHaveLength(200);
    expect(first.filter((v) => v === '1000')).toEqual([]);
    db.close();
    const jobs = await ferryCli(['--db', file, 'jobs', '--json']);
    expect(jobs.json<{ status: string; error: { code: string } | null }[]>()[0]).toMatchObject({ status: 'failed', error: { code: 'DB_CORRUPT' } });
  });
});

describe('power cuts', () => {
  it('a job commits on a connection with synchronous=FULL', async () => {
    const p = path.join(dir, 'sync.sqlite');
    const f = openFerry({ dbPath: p, mode: 'inline' });
    let seen: unknown = null;
    importers.pdf = {
      kind: 'pdf',
      async run(ctx) {
        seen = ctx.db.pragma('synchronous', { simple: true });
        const summary: ImportSummary = { responseType: 'ImportSummary', status: 'SUCCESS', description: '', importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 }, conflicts: [], rejectedIndexes: [] };
        return { summary, status: 'SUCCESS', commit: true, files: [] };
      },
    };
    try {
      fs.writeFileSync(path.join(dir, 'x.pdf'), 'x');
      const id = f.jobs.start({ direction: 'import', kind: 'pdf', dryRun: false, options: {}, files: [{ path: path.join(dir, 'x.pdf'), name: 'x.pdf', size: 1 }] });
      expect((await f.jobs.wait(id)).status).toBe('done');
      expect(seen).toBe(2); // FULL
      expect(f.db.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      delete importers.pdf;
      await f.close();
    }
  });
});
