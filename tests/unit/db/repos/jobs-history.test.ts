/**
 * The job history rule (issue 16, defect 1; README "Conflicts and the job history"): the newest 200 jobs keep their
 * whole summary, older ones a compacted one (same shape, lists counted in `more…`); rows, files, sha256 and outcome
 * are never deleted; listing without summaries costs the same whatever the summaries hold.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { HISTORY_FULL, JobsRepo } from '../../../../src-main/db/repos/jobs.ts';
import { SUMMARY_LIMITS, type ImportReport, type ImportSummary } from '../../../../src-shared/dhis2/import-summary.ts';
import type { ExportSummary } from '../../../../src-shared/api/contract.ts';
import { ferryCli } from '../../../helpers/cli.ts';
import { tmpDir } from '../../../helpers/tmp.ts';

let dir: string;
let dbPath: string;
let db: Db;
let repo: JobsRepo;
beforeEach(() => {
  dir = tmpDir('ferry-jobs-');
  dbPath = path.join(dir, 'site.sqlite');
  db = openDb(dbPath);
  repo = new JobsRepo(db);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A data summary listing `groups` conflicts of `perGroup` rows each (the cap's worst case at the defaults). */
function dataSummary(seed: number, groups = 20, perGroup = 10, rejected = 200): ImportSummary {
  const conflicts = Array.from({ length: groups }, (_, g) => ({
    object: `De${seed}x${g}`,
    objects: { dataElement: `De${seed}x${g}` },
    value: `Data element not found or not accessible: \`De${seed}x${g}\``,
    errorCode: g % 2 ? 'E7610' : 'E7612',
    property: 'dataElement',
    indexes: Array.from({ length: perGroup }, (_, i) => 1_000_000 + g * perGroup + i),
    lines: Array.from({ length: perGroup }, (_, i) => 1_000_002 + g * perGroup + i),
    ...(g === 0 ? { moreIndexes: 5 } : {}),
  }));
  const one = {
    responseType: 'ImportSummary' as const,
    status: 'WARNING' as const,
    description: 'Import process completed successfully',
    importCount: { imported: seed, updated: 0, ignored: groups * perGroup + 5, deleted: 0 },
    conflicts,
    rejectedIndexes: Array.from({ length: rejected }, (_, i) => 1_000_000 + i),
    moreConflicts: { E7610: { conflicts: 7, rows: 70 } },
    moreRejectedIndexes: 3,
  };
  return { ...one, fileSummaries: [{ ...one, file: `f${seed}.csv`, sha256: 'ab'.repeat(32), format: 'csv', compression: 'none' }] };
}

function addJob(summary: ImportSummary | ImportReport | ExportSummary | null, i: number): number {
  const { jobId } = repo.create({ kind: 'data', direction: 'import', dryRun: false, options: {}, files: [{ path: `/x/f${i}.csv`, name: `f${i}.csv`, size: 10 }] });
  repo.markRunning(jobId);
  repo.finish(jobId, {
    status: summary ? 'done' : 'failed',
    resultStatus: summary ? 'WARNING' : 'ERROR',
    summary,
    error: summary ? null : { code: 'BAD_FILE', message: `broken ${i}`, details: {} },
    files: [{ index: 0, size: 10, sha256: `${String(i).padStart(4, '0')}`.repeat(16), format: 'csv', compression: 'none', status: 'WARNING' }],
  });
  return jobId;
}

describe('the job history rule', () => {
  it(`keeps the whole summary of the newest ${HISTORY_FULL} jobs and compacts older ones, keeping rows, files and counts`, () => {
    const ids: number[] = [];
    for (let i = 0; i < HISTORY_FULL + 5; i++) ids.push(addJob(dataSummary(i), i));
    const rows = db.prepare(`SELECT count(*) FROM job`).pluck().get();
    expect(rows).toBe(HISTORY_FULL + 5);
    for (const [n, id] of ids.entries()) {
      const j = repo.get(id)!;
      const s = j.summary as ImportSummary;
      const original = dataSummary(n);
      // never lost: status, counts, files with their sha256 and outcome
      expect(j.resultStatus).toBe('WARNING');
      expect(j.files[0]!.sha256).toBe(`${String(n).padStart(4, '0')}`.repeat(16));
      expect(j.files[0]!.status).toBe('WARNING');
      expect(s.importCount).toEqual(original.importCount);
      if (n >= 5) {
        expect(s).toEqual(original);
        continue;
      }
      // compacted: the lists counted exactly in the `more…` fields, per code
      expect(s.compacted).toBe(true);
      expect(s.conflicts).toEqual([]);
      expect(s.rejectedIndexes).toEqual([]);
      expect(s.moreRejectedIndexes).toBe(200 + 3);
      expect(s.moreConflicts).toEqual({ E7610: { conflicts: 7 + 10, rows: 70 + 100 }, E7612: { conflicts: 10, rows: 100 + 5 } });
      expect(s.fileSummaries![0]!.file).toBe(`f${n}.csv`);
      expect(s.fileSummaries![0]!.moreConflicts).toEqual(s.moreConflicts);
      expect(JSON.stringify(s).length).toBeLessThan(2000);
    }
    // done once: a second pass finds nothing left to compact
    expect(repo.compactHistory()).toBe(0);
  });

  it('compacts metadata reports to their stats; leaves exports and failed jobs as they are', () => {
    const report: ImportReport = {
      responseType: 'ImportReport',
      status: 'WARNING',
      stats: { created: 1, updated: 0, deleted: 0, ignored: 60, total: 61 },
      typeReports: [
        {
          klass: 'org.hisp.dhis.dataelement.DataElement',
          stats: { created: 1, updated: 0, deleted: 0, ignored: 60, total: 61 },
          objectReports: Array.from({ length: 60 }, (_, i) => ({
            klass: 'org.hisp.dhis.dataelement.DataElement',
            index: i,
            uid: `DeBad${String(i).padStart(6, '0')}`,
            errorReports: [{ message: `Invalid reference [x] on object ${'y'.repeat(40)}`, mainKlass: 'org.hisp.dhis.dataelement.DataElement', errorCode: 'E5002' }],
          })),
        },
      ],
      moreErrorReports: { E5002: 4 },
    };
    const exported: ExportSummary = { responseType: 'ExportSummary', status: 'OK', file: '/x/out.json', format: 'json', compression: 'none', bytes: 1, sha256: 'c'.repeat(64), counts: { dataValues: 1 } };
    const a = addJob(report, 0);
    const b = addJob(exported, 1);
    const c = addJob(null, 2);
    expect(repo.compactHistory(0)).toBe(1);
    const r = repo.get(a)!.summary as ImportReport;
    expect(r.compacted).toBe(true);
    expect(r.stats).toEqual(report.stats);
    expect(r.typeReports[0]!.objectReports).toEqual([]);
    expect(r.typeReports[0]!.moreObjectReports).toBe(60);
    expect(r.moreErrorReports).toEqual({ E5002: 64 });
    expect(repo.get(b)!.summary).toEqual(exported);
    expect(repo.get(c)!.error!.message).toBe('broken 2');
  });
});

describe('listing many jobs with large summaries', () => {
  it('reads no summary when the list does not show them: fast whatever they hold; jobs --json streams them', async () => {
    // 6 jobs whose summaries are as large as the cap lets them be
    const big = dataSummary(1, SUMMARY_LIMITS.total, SUMMARY_LIMITS.indexesPerConflict, SUMMARY_LIMITS.rejectedIndexes);
    const bytes = JSON.stringify(big).length;
    expect(bytes).toBeGreaterThan(1_000_000);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
    for (let i = 0; i < 6; i++) addJob(big, i);
    addJob(null, 6);

    let t = performance.now();
    const brief = repo.list(200, { summaries: false });
    const briefMs = performance.now() - t;
    expect(brief).toHaveLength(7);
    expect(brief.every((j) => j.summary === null)).toBe(true);
    expect(brief[0]!.error!.message).toBe('broken 6');
    expect(brief[1]!.files[0]!.sha256).toMatch(/^(0005)+$/);
    t = performance.now();
    const full = repo.list(200);
    const fullMs = performance.now() - t;
    expect((full[1]!.summary as ImportSummary).conflicts).toHaveLength(SUMMARY_LIMITS.total);
    expect(briefMs).toBeLessThan(Math.max(50, fullMs / 5));

    db.close();
    t = performance.now();
    const text = await ferryCli(['--db', dbPath, 'jobs']);
    const textMs = performance.now() - t;
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').filter(Boolean)).toHaveLength(7);
    // no wall-clock limit on the command (a process start on a shared machine): that the list reads no summary is
    // proved above on the repo, relative to the list that does; the times are printed below
    t = performance.now();
    const json = await ferryCli(['--db', dbPath, 'jobs', '--json']);
    const jsonMs = performance.now() - t;
    expect(json.code).toBe(0);
    const list = json.json<{ id: number; summary: ImportSummary | null }[]>();
    expect(list).toHaveLength(7);
    expect(list[1]!.summary!.conflicts).toHaveLength(SUMMARY_LIMITS.total);
    db = openDb(dbPath);
    repo = new JobsRepo(db);
    // the streamed document is the very text JSON.stringify gives
    expect(json.stdout).toBe(JSON.stringify(repo.list(200), null, 2) + '\n');
    console.log(`6 jobs of ${bytes} bytes each: list without summaries ${briefMs.toFixed(1)} ms, with ${fullMs.toFixed(0)} ms; ferry jobs ${textMs.toFixed(0)} ms, ferry jobs --json ${jsonMs.toFixed(0)} ms (${json.stdout.length} bytes)`);
  }, 60_000);
});
