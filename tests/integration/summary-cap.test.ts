/**
 * Issue 16, defect 1: a file whose every row conflicts, each in its own way, must not build a summary that cannot be
 * printed or stored. The summary's counts stay exact, its lists are capped (SUMMARY_LIMITS) with exact `more…`
 * counts, `--json` parses, the exit status matches the stored job even when printing fails, the job row stays small
 * and `jobs` stays fast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src-main/db/open.ts';
import { runCli } from '../../src-main/cli/main.ts';
import { SUMMARY_LIMITS, type ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { CSV_HEADER, SMALL_METADATA, loadMetadata } from '../unit/importers/data-values/helpers.ts';

const ROWS = 200_000;
const COCS = 1000;

/** The kind of conflict row i has (after the two valid rows), and its group key. */
function kindOf(i: number): { code: string; group: string; line: string } {
  switch (i % 5) {
    case 0:
      return { code: 'E7610', group: `de${i}`, line: `DeUnknown${i},202401,OuClinicA01,,,1,,,,,` };
    case 1:
      return { code: 'E7611', group: `pe${i}`, line: `DeInteger01,20X${i},OuClinicA01,,,1,,,,,` };
    case 2:
      return { code: 'E7612', group: `ou${i}`, line: `DeInteger01,202401,OuUnknown${i},,,1,,,,,` };
    case 3:
      return { code: 'E7619', group: 'int', line: `DeInteger01,202401,OuClinicA01,,,abc,,,,,` };
    default:
      return { code: 'E7613', group: `coc${Math.floor(i / 5) % COCS}`, line: `DeInteger01,202401,OuClinicA01,CocUnknown${Math.floor(i / 5) % COCS},,1,,,,,` };
  }
}

let dir: string;
let dbPath: string;
let file: string;
/** per code: rows and distinct conflict groups in the file */
const expected = new Map<string, { rows: number; groups: Set<string> }>();

beforeAll(() => {
  dir = tmpDir('ferry-cap-');
  dbPath = path.join(dir, 'site.sqlite');
  const db = openDb(dbPath);
  loadMetadata(db, SMALL_METADATA);
  db.close();
  file = path.join(dir, 'all-conflicts.csv');
  const fd = fs.openSync(file, 'w');
  let buf = `${CSV_HEADER}\nDeInteger01,202401,OuClinicA01,,,1,,,,,\nDeInteger01,202402,OuClinicA01,,,2,,,,,\n`;
  for (let i = 0; i < ROWS; i++) {
    const k = kindOf(i);
    const e = expected.get(k.code) ?? expected.set(k.code, { rows: 0, groups: new Set() }).get(k.code)!;
    e.rows++;
    e.groups.add(k.group);
    buf += k.line + '\n';
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function storedJob(): { bytes: number; resultStatus: string; values: number; periods: number } {
  const db = openDb(dbPath);
  try {
    const j = db.prepare(`SELECT octet_length(summary) AS bytes, result_status AS resultStatus FROM job ORDER BY id DESC LIMIT 1`).get() as { bytes: number; resultStatus: string };
    const values = db.prepare(`SELECT count(*) FROM data_value`).pluck().get() as number;
    const periods = db.prepare(`SELECT count(*) FROM period`).pluck().get() as number;
    return { ...j, values, periods };
  } finally {
    db.close();
  }
}

describe('a file whose every row conflicts differently', () => {
  it('commits, prints a parseable capped summary with exact counts, and stores a small job row', async () => {
    const t0 = Date.now();
    const r = await ferryCli(['--db', dbPath, 'import', file, '--json']);
    const importMs = Date.now() - t0;
    const stored = storedJob();
    // the exit status says what was stored: WARNING (2 values written, the rest refused) → 0
    expect(stored.resultStatus).toBe('WARNING');
    expect(r.code, r.stderr).toBe(0);
    expect(stored.values).toBe(2);
    // conflicting rows leave no period behind (issue 16, defect 7): only the two written ones exist
    expect(stored.periods).toBe(2);
    const s = r.json<ImportSummary>();
    expect(s.status).toBe('WARNING');
    expect(s.importCount).toEqual({ imported: 2, updated: 0, ignored: ROWS, deleted: 0 });

    // listed: at most perCode groups per code and total in all, indexesPerConflict rows each
    expect(s.conflicts.length).toBeLessThanOrEqual(SUMMARY_LIMITS.total);
    for (const c of s.conflicts) {
      expect(c.indexes!.length).toBeLessThanOrEqual(SUMMARY_LIMITS.indexesPerConflict);
      expect(c.lines!.length).toBe(c.indexes!.length);
    }
    // listed + more = exactly what the file holds, per code: groups and rows
    for (const [code, e] of expected) {
      const listed = s.conflicts.filter((c) => c.errorCode === code);
      expect(listed.length, code).toBe(Math.min(e.groups.size, SUMMARY_LIMITS.perCode));
      const more = s.moreConflicts?.[code] ?? { conflicts: 0, rows: 0 };
      expect(listed.length + more.conflicts, code).toBe(e.groups.size);
      const listedRows = listed.reduce((n, c) => n + c.indexes!.length + (c.moreIndexes ?? 0), 0);
      expect(listedRows + more.rows, code).toBe(e.rows);
    }
    expect(s.moreConflicts!.E7610).toEqual({ conflicts: ROWS / 5 - 100, rows: ROWS / 5 - 100 });
    expect(s.moreConflicts!.E7613).toEqual({ conflicts: COCS - 100, rows: (COCS - 100) * (ROWS / 5 / COCS) });
    const int = s.conflicts.find((c) => c.errorCode === 'E7619')!;
    expect(int.indexes).toHaveLength(SUMMARY_LIMITS.indexesPerConflict);
    expect(int.moreIndexes).toBe(ROWS / 5 - SUMMARY_LIMITS.indexesPerConflict);
    // the first rows are the ones listed, in file order (row 3 of the data is index 5: two valid rows first)
    expect(int.indexes!.slice(0, 2)).toEqual([5, 10]);
    expect(s.rejectedIndexes).toHaveLength(SUMMARY_LIMITS.rejectedIndexes);
    expect(s.moreRejectedIndexes).toBe(ROWS - SUMMARY_LIMITS.rejectedIndexes);
    // the file's summary says the same (one budget per job)
    expect(s.fileSummaries![0]!.moreConflicts).toEqual(s.moreConflicts);

    // the job row: bounded, whatever the file
    expect(stored.bytes).toBeLessThan(2 * 1024 * 1024);
    expect(r.stdout.length).toBeLessThan(4 * 1024 * 1024);

    const t1 = Date.now();
    const jobs = await ferryCli(['--db', dbPath, 'jobs', '--json']);
    const jobsMs = Date.now() - t1;
    expect(jobs.code, jobs.stderr).toBe(0);
    const [job] = jobs.json<JobRecord[]>();
    expect((job!.summary as ImportSummary).importCount.ignored).toBe(ROWS);
    expect(job!.resultStatus).toBe('WARNING');
    expect(jobsMs).toBeLessThan(2000);
    const t2 = Date.now();
    const text = await ferryCli(['--db', dbPath, 'jobs']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^#1 .* import data done WARNING — all-conflicts\.csv [0-9a-f]{12}\n$/);
    expect(Date.now() - t2).toBeLessThan(1000);
    console.log(`200k conflicting rows: import ${importMs} ms, summary ${stored.bytes} bytes stored, --json ${r.stdout.length} bytes; jobs --json ${jobsMs} ms`);
  }, 60_000);

  it('the text summary says how many conflicts it does not list', async () => {
    const r = await ferryCli(['--db', dbPath, 'import', file, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    const all = [...expected.values()].reduce((n, e) => n + e.groups.size, 0);
    // (counts as English writes them: 39,900)
    expect(r.stdout).toContain(`  ${all.toLocaleString('en')} conflicts:`);
    expect(r.stdout).toContain(`… and ${(ROWS / 5 - 100).toLocaleString('en')} more E7610 conflicts in ${(ROWS / 5 - 100).toLocaleString('en')} rows, not listed in the summary`);
    expect(r.stdout).toMatch(/E7619 Value must match value type .*\(lines 7, 12, .*, … \(40,000 in all\)\)/);
  }, 60_000);
});

describe('when the output fails after the job finished', () => {
  /** an io whose stdout throws (as JSON.stringify did with 'Invalid string length', or a closed pipe) */
  function throwingIo(): { io: Parameters<typeof runCli>[1]; stderr: () => string } {
    let err = '';
    return {
      io: {
        stdout: () => {
          throw new RangeError('Invalid string length');
        },
        stderr: (s) => void (err += s),
        isTTY: false,
        env: { ...process.env, FERRY_INLINE_JOBS: '1' },
      },
      stderr: () => err,
    };
  }

  it('exits with the stored outcome and says where the result is', async () => {
    const small = path.join(dir, 'small.csv');
    fs.writeFileSync(small, `${CSV_HEADER}\nDeInteger01,202403,OuClinicA01,,,7,,,,,\nDeNope00001,202403,OuClinicA01,,,1,,,,,\n`);
    const t = throwingIo();
    const code = await runCli(['--db', dbPath, 'import', small, '--json'], t.io);
    const db = openDb(dbPath);
    const job = db.prepare(`SELECT id, result_status AS rs FROM job ORDER BY id DESC LIMIT 1`).get() as { id: number; rs: string };
    const stored = db.prepare(`SELECT count(*) FROM data_value v JOIN period p ON p.id = v.pe WHERE p.iso = '202403'`).pluck().get();
    db.close();
    expect(job.rs).toBe('WARNING');
    expect(code).toBe(0);
    expect(stored).toBe(1);
    expect(t.stderr()).toContain(`ferry: job #${job.id} import data finished done WARNING (imported 1, updated 0, deleted 0, ignored 1), but its result could not be printed (Invalid string length)`);
    expect(t.stderr()).toContain('ferry jobs --json');
  });

  it('an ERROR outcome still exits 1, a refused file 2, also without output', async () => {
    const aborted = path.join(dir, 'aborted.json');
    fs.writeFileSync(aborted, JSON.stringify({ dataSet: 'DsNope00001', dataValues: [{ dataElement: 'DeInteger01', period: '202404', orgUnit: 'OuClinicA01', value: '1' }] }));
    const t = throwingIo();
    expect(await runCli(['--db', dbPath, 'import', aborted, '--json'], t.io)).toBe(1);
    expect(t.stderr()).toMatch(/finished done ERROR .*could not be printed/);
    const t2 = throwingIo();
    expect(await runCli(['--db', dbPath, 'import', path.join(dir, 'missing.csv'), '--json', '--kind', 'data'], t2.io)).toBe(2);
  });
});
