/**
 * Issue 15, "multi-file jobs tell the whole truth" and "counts add up": a job of five data value files with one broken
 * file (the others kept, the broken one's row saying why, the headline counting files, "would be" in a dry run), and the
 * engine's breakdown of the ignored rows (unchanged, refused, zeros not stored) that makes every row of a file add up.
 */
import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import { runImport, storedValues, useDataSite, writeFile } from './importers/data-values/helpers.ts';
import { filesHeadline, finishSummary } from '../../src-main/jobs/multi-file.ts';
import { isPartlyImported } from '../../src-renderer/components/StatusTag.tsx';
import { invoke } from '../../src-main/ipc/register.ts';

const site = useDataSite();

function fiveFiles(): string[] {
  const files = [
    site.csv('clinic-1.csv', 'DeInteger01,202401,OuClinicA01,,,1,,,,,'),
    site.csv('clinic-2.csv', 'DeInteger01,202402,OuClinicA01,,,2,,,,,'),
    writeFile(site.dir, 'clinic-3.xml', '<?xml version="1.0"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">\n  <dataValue dataElement="DeInteger01" period="202403" orgUnit="OuClinicA01" value="3"\n'),
    site.csv('clinic-4.csv', 'DeInteger01,202404,OuClinicA01,,,4,,,,,'),
    site.csv('clinic-5.csv', 'DeInteger01,202405,OuClinicA01,,,5,,,,,'),
  ];
  return files;
}

describe('a job of five files, one broken', () => {
  it('keeps the four good files, says why the fifth failed, and counts the files in the headline', async () => {
    const files = fiveFiles();
    // the same file alone: its error message is what the multi-file row says
    const alone = await runImport(site.ferry, [files[2]!]);
    expect(alone.job!.status).toBe('failed');
    const single = alone.error!.message;
    expect(single).toMatch(/clinic-3\.xml/);

    const r = await runImport(site.ferry, files);
    expect(r.error).toBeNull();
    const s = r.summary!;
    // DHIS2's status is kept for the API (the worst file), the Ferry extra tells the partial outcome
    expect(r.job!.resultStatus).toBe('ERROR');
    expect(s.status).toBe('ERROR');
    expect(s.filesOutcome).toEqual({ files: 5, failed: 1, imported: 4, partial: true });
    expect(s.description).toBe('1 of 5 files could not be imported; 4 were imported');
    const bad = s.fileSummaries!.find((f) => f.file === 'clinic-3.xml')!;
    expect(bad.status).toBe('ERROR');
    expect(bad.description).toBe(`The import process failed: ${single}`);
    expect(s.importCount).toEqual({ imported: 4, updated: 0, ignored: 0, deleted: 0 });
    expect(storedValues(site.ferry.db).map((v) => v.period)).toEqual(['202401', '202402', '202404', '202405']);
    // the Job overview's list has no summaries: its small row (the files' own statuses) tells the partial job too
    const listed = await invoke(site.ferry.handlers, 'jobs:list', { limit: 10, summaries: false });
    if (!listed.ok) throw new Error(listed.error.message);
    const brief = (listed.value as JobRecord[]).find((j) => j.id === r.job!.id)!;
    expect(brief.files.map((f) => f.status)).toEqual(['SUCCESS', 'SUCCESS', 'ERROR', 'SUCCESS', 'SUCCESS']);
    expect(isPartlyImported(brief)).toBe(true);
    expect(isPartlyImported(alone.job!)).toBe(false);
  });

  it('says "would be" in a dry run and stores nothing', async () => {
    const r = await runImport(site.ferry, fiveFiles(), { dryRun: true });
    expect(r.summary!.description).toBe('1 of 5 files could not be imported; 4 would be imported');
    expect(r.summary!.filesOutcome).toEqual({ files: 5, failed: 1, imported: 4, partial: true });
    expect(storedValues(site.ferry.db)).toEqual([]);
  });

  it('a job whose every file fails is not partial', async () => {
    const a = writeFile(site.dir, 'a.xml', '<dataValueSet><dataValue');
    const b = writeFile(site.dir, 'b.xml', '<dataValueSet><dataValue');
    const r = await runImport(site.ferry, [a, b]);
    expect(r.summary!.filesOutcome).toEqual({ files: 2, failed: 2, imported: 0, partial: false });
    expect(r.summary!.description).toBe('None of the 2 files could be imported; nothing was imported');
  });

  it('headline words', () => {
    expect(filesHeadline({ files: 5, failed: 1, imported: 4 }, false)).toBe('1 of 5 files could not be imported; 4 were imported');
    expect(filesHeadline({ files: 2, failed: 1, imported: 1 }, false)).toBe('1 of 2 files could not be imported; 1 was imported');
    expect(filesHeadline({ files: 3, failed: 2, imported: 1 }, true)).toBe('2 of 3 files could not be imported; 1 would be imported');
  });
});

describe('counts add up', () => {
  it('breaks the ignored rows down into unchanged and refused, and counts the zeros not stored', async () => {
    const first = site.csv('first.csv', 'DeInteger01,202401,OuClinicA01,,,7,,,,,', 'DeInteger01,202402,OuClinicA01,,,8,,,,,');
    await site.imp(first);
    const f = site.csv(
      'month.csv',
      'DeInteger01,202401,OuClinicA01,,,7,,,,,', // unchanged
      'DeInteger01,202402,OuClinicA01,,,9,,,,,', // updated
      'DeInteger01,202403,OuClinicA01,,,10,,,,,', // imported
      'DeNumber001,202401,OuClinicA01,CocMale0001,,0,,,,,', // zero not significant: not stored, not counted by DHIS2
      'DeNumber001,202402,OuClinicA01,CocMale0001,,0.0,,,,,', // another zero
      'DeNope00001,202401,OuClinicA01,,,1,,,,,', // refused (E7610)
    );
    const s = await site.imp(f);
    expect(s.importCount).toEqual({ imported: 1, updated: 1, ignored: 2, deleted: 0 });
    expect(s.ignoredBreakdown).toEqual({ unchanged: 1, refused: 1, zeroNotStored: 2, rows: 6 });
    expect(s.fileSummaries![0]!.ignoredBreakdown).toEqual({ unchanged: 1, refused: 1, zeroNotStored: 2, rows: 6 });
  });

  it('sums the files of a job', async () => {
    const a = site.csv('a.csv', 'DeInteger01,202401,OuClinicA01,,,7,,,,,', 'DeNope00001,202401,OuClinicA01,,,1,,,,,');
    const b = site.csv('b.csv', 'DeNumber001,202401,OuClinicA01,CocMale0001,,0,,,,,', 'DeInteger01,202402,OuClinicA01,,,1,,,,,');
    const r = await runImport(site.ferry, [a, b]);
    expect(r.summary!.ignoredBreakdown).toEqual({ unchanged: 0, refused: 1, zeroNotStored: 1, rows: 4 });
    expect(r.summary!.filesOutcome).toEqual({ files: 2, failed: 0, imported: 2, partial: false });
    // no failed file: DHIS2's description stays
    expect(r.summary!.description).toBe('Import process completed successfully');
  });

  it('leaves a summary without engine notes without a breakdown it cannot know', () => {
    const s: ImportSummary = {
      responseType: 'ImportSummary', status: 'SUCCESS', description: 'x', importCount: { imported: 1, updated: 0, ignored: 2, deleted: 0 },
      conflicts: [], rejectedIndexes: [],
    };
    expect(finishSummary(s, false).ignoredBreakdown).toBeUndefined();
  });
});
