import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { backupDatabase, backupPartPath, hasStatistics, isSoundFerryDb } from '../../src-main/db/maintenance.ts';
import { LARGE_JOB_ROWS, rowsWritten } from '../../src-main/services/maintenance.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { ferryCli } from '../helpers/cli.ts';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';
import { CSV_HEADER, SMALL_METADATA, loadMetadata, runImport } from '../unit/importers/data-values/helpers.ts';

/**
 * Database maintenance: the statistics and checkpoint after a large import, `ferry backup` (SQLite's online backup,
 * verified, renamed when complete) and `ferry vacuum` (VACUUM in a worker, refused while another connection writes).
 */

/** `rows` data values of SMALL_METADATA (never 0: DeNumber001's zeros are not stored), 6 a day from `firstYear` (2 org units × 3 data element/option combos). */
function valuesCsv(dir: string, name: string, rows: number, firstYear = 1950, value = (i: number) => String((i % 1000) + 1)): string {
  const combos = [
    ['DeInteger01', 'HllvX50cXC0'],
    ['DeNumber001', 'CocMale0001'],
    ['DeNumber001', 'CocFemale01'],
  ];
  const lines = [CSV_HEADER];
  const day = new Date(Date.UTC(firstYear, 0, 1));
  for (let i = 0; i < rows; ) {
    const iso = day.toISOString().slice(0, 10).replace(/-/g, '');
    for (const ou of ['OuClinicA01', 'OuClinicB01'])
      for (const [de, coc] of combos) {
        if (i >= rows) break;
        lines.push(`${de},${iso},${ou},${coc},HllvX50cXC0,${value(i)},tester,2024-01-01T00:00:00.000,,false,false`);
        i++;
      }
    day.setUTCDate(day.getUTCDate() + 1);
  }
  const p = path.join(dir, name);
  fs.writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

const open: Ferry[] = [];
function site(mode: 'inline' | 'worker' = 'inline'): { ferry: Ferry; dir: string; dbPath: string } {
  const dir = tmpDir('ferry-maint-');
  const dbPath = path.join(dir, 'site.sqlite');
  const ferry = openFerry({ dbPath, mode, user: 'tester' });
  open.push(ferry);
  loadMetadata(ferry.db, SMALL_METADATA);
  return { ferry, dir, dbPath };
}

afterEach(async () => {
  for (const f of open.splice(0)) await f.close();
});

async function dataValueCount(f: Ferry): Promise<number> {
  const r = await invoke(f.handlers, 'db:info', {});
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { dataValues: number }).dataValues;
}

/** every stored value, in key order, as one string (the comparison of "data identical") */
function dump(db: Database.Database): string {
  return JSON.stringify(db.prepare('SELECT * FROM data_value ORDER BY ou, pe, de, coc, aoc').raw().all());
}

describe('after a large job', () => {
  it(`an import of ${LARGE_JOB_ROWS.toLocaleString('en')} values or more updates the statistics (sqlite_stat1) in its transaction and is followed by a WAL checkpoint to zero bytes; a small one, or a dry run, by neither`, async () => {
    const { ferry, dir, dbPath } = site();
    const small = await runImport(ferry, [valuesCsv(dir, 'small.csv', 600)]);
    expect(small.summary?.importCount.imported).toBe(600);
    await ferry.jobs.idle();
    expect(hasStatistics(ferry.db)).toBe(false);
    expect(fs.statSync(`${dbPath}-wal`).size).toBeGreaterThan(0);
    // the statistics are the job's: a dry run's are rolled back with its rows
    const dry = await runImport(ferry, [valuesCsv(dir, 'dry.csv', LARGE_JOB_ROWS, 1960)], { dryRun: true });
    expect(dry.summary?.importCount.imported).toBe(LARGE_JOB_ROWS);
    await ferry.jobs.idle();
    expect(hasStatistics(ferry.db)).toBe(false);

    const large = await runImport(ferry, [valuesCsv(dir, 'large.csv', LARGE_JOB_ROWS, 1960)]);
    expect(large.summary?.importCount.imported).toBe(LARGE_JOB_ROWS);
    expect(rowsWritten(large.job!)).toBe(LARGE_JOB_ROWS);
    // already there when the job is announced (the after-job checkpoint has not run yet): committed with its rows
    expect(hasStatistics(ferry.db)).toBe(true);
    await ferry.jobs.idle();
    expect(hasStatistics(ferry.db)).toBe(true);
    const stats = ferry.db.prepare(`SELECT tbl, stat FROM sqlite_stat1 WHERE tbl = 'data_value'`).all() as { tbl: string; stat: string }[];
    expect(stats.length).toBeGreaterThan(0);
    // the first number of each stat row is the rows SQLite counted (an estimate under analysis_limit, never 0 here
    // but for the partial index of soft-deleted values, empty after this import)
    expect(Math.max(...stats.map((x) => Number(x.stat.split(' ')[0])))).toBeGreaterThan(0);
    expect(fs.statSync(`${dbPath}-wal`).size).toBe(0);
  }, 120_000);

  it('ferry import: its job worker updates the statistics with the job and checkpoints before the command exits', async () => {
    const { ferry, dir, dbPath } = site();
    await ferry.close();
    open.length = 0;
    const r = await ferryCli(['--db', dbPath, 'import', valuesCsv(dir, 'large.csv', LARGE_JOB_ROWS, 1960), '--json'], { inline: false });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<{ importCount: { imported: number } }>().importCount.imported).toBe(LARGE_JOB_ROWS);
    expect(fs.existsSync(`${dbPath}-wal`) ? fs.statSync(`${dbPath}-wal`).size : 0).toBe(0);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(hasStatistics(db)).toBe(true);
      expect(db.prepare(`SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'data_value'`).pluck().get()).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  }, 120_000);

  it('dry runs, exports and failed jobs write nothing: no maintenance', () => {
    const base = { direction: 'import' as const, dryRun: false, status: 'done' as const, summary: { importCount: { imported: 200_000, updated: 0, ignored: 0, deleted: 0 } } as never };
    expect(rowsWritten(base)).toBe(200_000);
    expect(rowsWritten({ ...base, dryRun: true })).toBe(0);
    expect(rowsWritten({ ...base, direction: 'export' })).toBe(0);
    expect(rowsWritten({ ...base, status: 'failed' })).toBe(0);
    expect(rowsWritten({ ...base, summary: { stats: { created: 5, updated: 7, deleted: 1, ignored: 3, total: 16 } } as never })).toBe(13);
  });
});

describe('ferry backup', () => {
  it('a copy made while another connection reads and a job writes is consistent (before or after the job, never between) and opens in Ferry', async () => {
    const { ferry, dir, dbPath } = site('worker');
    expect((await runImport(ferry, [valuesCsv(dir, 'base.csv', 20_000)])).summary?.importCount.imported).toBe(20_000);
    const reader = new Database(dbPath, { readonly: true });
    const rows = reader.prepare('SELECT * FROM data_value').iterate();
    rows.next(); // a read transaction stays open for the whole backup
    const started = await invoke(ferry.handlers, 'import:start', { files: [valuesCsv(dir, 'more.csv', 30_000, 2010)], options: {} });
    if (!started.ok) throw new Error(started.error.message);
    const out = path.join(dir, 'copies', 'backup.sqlite');
    fs.mkdirSync(path.dirname(out));
    let steps = 0;
    const r = await backupDatabase(ferry.db, out, { pagesPerStep: 16, onProgress: () => void steps++ });
    rows.return?.();
    reader.close();
    const job = await ferry.jobs.wait((started.value as { jobId: number }).jobId);
    expect(job.error).toBeNull();
    expect(steps).toBeGreaterThan(1);
    expect(r.check).toBe('ok');
    expect(fs.existsSync(backupPartPath(out))).toBe(false);
    expect(isSoundFerryDb(out)).toBe(true);
    const copy = openFerry({ dbPath: out, mode: 'inline' });
    open.push(copy);
    expect([20_000, 50_000]).toContain(await dataValueCount(copy));
    expect(await dataValueCount(ferry)).toBe(50_000);
  }, 120_000);

  it('a crash mid-backup leaves no file under the final name (only OUT.part) and the database as it was', () => {
    const dir = tmpDir('ferry-maint-');
    const dbPath = path.join(dir, 'site.sqlite');
    const f = openFerry({ dbPath, mode: 'inline' });
    loadMetadata(f.db, SMALL_METADATA);
    f.db.close();
    const out = path.join(dir, 'backup.sqlite');
    const script = path.join(dir, 'crash.mts');
    fs.writeFileSync(
      script,
      `import { openDb } from ${JSON.stringify(path.join(repoRoot, 'src-main/db/open.ts'))};
import { backupDatabase } from ${JSON.stringify(path.join(repoRoot, 'src-main/db/maintenance.ts'))};
const db = openDb(${JSON.stringify(dbPath)});
await backupDatabase(db, ${JSON.stringify(out)}, { pagesPerStep: 1, onProgress: (p) => { if (p.done >= 3) process.kill(process.pid, 'SIGKILL'); } });
`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.signal, r.stderr).toBe('SIGKILL');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(backupPartPath(out))).toBe(true);
    expect(isSoundFerryDb(dbPath)).toBe(true);
  });

  it('ferry backup --out PATH --json: the copy, its size and its check; it replaces an older backup; a missing database or --out is refused', async () => {
    const { ferry, dir, dbPath } = site();
    await runImport(ferry, [valuesCsv(dir, 'v.csv', 300)]);
    await ferry.close();
    open.length = 0;
    const out = path.join(dir, 'usb', 'ferry-backup.sqlite');
    fs.mkdirSync(path.dirname(out));
    fs.writeFileSync(out, 'an older backup');
    const r = await ferryCli(['--db', dbPath, 'backup', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ status: 'OK', task: 'backup', out, check: 'ok', bytes: fs.statSync(out).size });
    expect(fs.readdirSync(path.dirname(out))).toEqual(['ferry-backup.sqlite']);
    const info = await ferryCli(['--db', out, 'info', '--json']);
    expect(info.json<{ dataValues: number }>().dataValues).toBe(300);

    const text = await ferryCli(['--db', dbPath, 'backup', '--out', out]);
    expect(text.stdout).toMatch(new RegExp(`^ok: backed up .*site\\.sqlite to .*ferry-backup\\.sqlite \\([\\d.]+ MB, SQLite's quick check of the copy: ok`));

    const noOut = await ferryCli(['--db', dbPath, 'backup']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('backup needs --out FILE');
    const missing = await ferryCli(['--db', path.join(dir, 'nothing.sqlite'), 'backup', '--out', path.join(dir, 'x.sqlite')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/There is no database at .*nothing\.sqlite/);
    expect(fs.existsSync(path.join(dir, 'nothing.sqlite'))).toBe(false);
    const nowhere = await ferryCli(['--db', dbPath, 'backup', '--out', path.join(dir, 'no-such-folder', 'b.sqlite')]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toBe(`ferry: The folder ${path.join(dir, 'no-such-folder')} does not exist: nothing was written. Choose another place for the backup.\n`);
    const self = await ferryCli(['--db', dbPath, 'backup', '--out', dbPath]);
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('The backup cannot replace the database itself');
  });

  it('db:backup writes only a path from the save dialog (the app and the bridge)', async () => {
    const dir = tmpDir('ferry-maint-');
    const target = path.join(dir, 'picked.sqlite');
    const { pickedPaths } = await import('../../src-main/ipc/ports.ts');
    const paths = pickedPaths();
    const f = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline', paths, dialogs: { openFiles: async () => [], saveFile: async () => target } });
    open.push(f);
    const refused = await invoke(f.handlers, 'db:backup', { out: target });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.message).toContain('Ferry writes only files chosen in its save dialog (picked.sqlite)');
    expect(fs.existsSync(target)).toBe(false);
    await invoke(f.handlers, 'dialog:saveFile', { title: 'Back up', defaultName: 'ferry-backup.sqlite' });
    const done = await invoke(f.handlers, 'db:backup', { out: target });
    expect(done.ok && done.value).toMatchObject({ task: 'backup', out: target, check: 'ok' });
    const st = await invoke(f.handlers, 'db:maintenanceStatus', {});
    expect(st.ok && st.value).toMatchObject({ running: null, progress: null, last: { task: 'backup', out: target } });
  });
});

describe('ferry vacuum', () => {
  it('gives back the space of deleted values, keeps every other value identical, and reports its progress', async () => {
    const { ferry, dir, dbPath } = site();
    await runImport(ferry, [valuesCsv(dir, 'v.csv', 60_000)]);
    await ferry.jobs.idle();
    ferry.db.prepare(`DELETE FROM data_value WHERE pe IN (SELECT id FROM period WHERE iso < '19750101')`).run();
    const kept = dump(ferry.db);
    expect(JSON.parse(kept).length).toBeGreaterThan(1000);
    ferry.db.pragma('wal_checkpoint(TRUNCATE)');
    const sizeBefore = fs.statSync(dbPath).size;
    const stages = new Set<string>();
    const r = await ferry.maintenance.vacuum((p) => stages.add(p.stage));
    expect(r.task).toBe('vacuum');
    expect(r.checkpointed).toBe(true);
    const sizeAfter = fs.statSync(dbPath).size;
    expect(sizeAfter).toBeLessThan(sizeBefore * 0.75);
    expect(r.bytesBefore).toBe(sizeBefore);
    expect(r.bytesAfter).toBe(sizeAfter);
    expect(r.savedBytes).toBe(sizeBefore - sizeAfter);
    expect(stages.has('copying')).toBe(true);
    expect(dump(ferry.db)).toBe(kept);
    expect(isSoundFerryDb(dbPath)).toBe(true);
  }, 120_000);

  it('a crash mid-compaction (the process killed while VACUUM writes its copy back) leaves the database sound and its values identical', async () => {
    const { ferry, dir, dbPath } = site();
    await runImport(ferry, [valuesCsv(dir, 'v.csv', 60_000)]);
    await ferry.jobs.idle();
    ferry.db.prepare(`DELETE FROM data_value WHERE pe IN (SELECT id FROM period WHERE iso < '19750101')`).run();
    const kept = dump(ferry.db);
    await ferry.close();
    open.length = 0;
    const script = path.join(dir, 'crash-vacuum.mts');
    fs.writeFileSync(
      script,
      `import fs from 'node:fs';
import { openDb } from ${JSON.stringify(path.join(repoRoot, 'src-main/db/open.ts'))};
import { vacuumDatabase } from ${JSON.stringify(path.join(repoRoot, 'src-main/db/maintenance.ts'))};
const file = ${JSON.stringify(dbPath)};
const db = openDb(file);
const done = vacuumDatabase(db, file);
// VACUUM runs in its worker: killed once it has written part of the compacted database into the -wal, uncommitted
setInterval(() => {
  if (fs.statSync(file + '-wal').size > 64 * 1024) process.kill(process.pid, 'SIGKILL');
}, 1);
await done;
console.log('finished before the kill');
`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.signal, r.stdout + r.stderr).toBe('SIGKILL');
    expect(isSoundFerryDb(dbPath)).toBe(true);
    const db = new Database(dbPath);
    try {
      expect(dump(db)).toBe(kept);
    } finally {
      db.close();
    }
  }, 120_000);

  it('is refused (BUSY) while another connection holds the write lock, and the database is unchanged; it runs once the writer is done', async () => {
    const { ferry, dir, dbPath } = site();
    await runImport(ferry, [valuesCsv(dir, 'v.csv', 3000)]);
    await ferry.jobs.idle();
    const writer = new Database(dbPath);
    writer.prepare('BEGIN IMMEDIATE').run();
    const before = dump(ferry.db);
    await expect(ferry.maintenance.vacuum()).rejects.toMatchObject({ code: 'BUSY', message: expect.stringContaining('is writing to') });
    writer.prepare('ROLLBACK').run();
    writer.close();
    expect(dump(ferry.db)).toBe(before);
    const st = ferry.maintenance.status();
    expect(st.last).toMatchObject({ task: 'vacuum', error: { code: 'BUSY' } });
    const cli = await ferryCli(['--db', dbPath, 'vacuum', '--json']);
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    expect(cli.json()).toMatchObject({ status: 'OK', task: 'vacuum', checkpointed: true });
  }, 60_000);

  it('is refused while a job of this Ferry runs', async () => {
    const { ferry, dir } = site('worker');
    const started = await invoke(ferry.handlers, 'import:start', { files: [valuesCsv(dir, 'v.csv', 3000)], options: {} });
    const refused = await invoke(ferry.handlers, 'db:vacuum', {});
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatchObject({ code: 'BUSY', message: 'A job is running: compact the database when it has finished.' });
    await ferry.jobs.wait((started as { value: { jobId: number } }).value.jobId);
  }, 60_000);
});
