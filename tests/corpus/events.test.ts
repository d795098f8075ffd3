/**
 * DHIS2 event and tracker import conformance: every `events` and `tracker` case of ../shared/corpus/cases.json that
 * is an import (no `phase`; the parse and round-trip cases are the format readers' and writers', in
 * events-formats.test.ts) is its own test, run through the same code the CLI uses (openFerry → import:start → job),
 * after the case's `before` imports. Skipped with a message when the corpus is absent.
 */
import { describe, expect, it } from 'vitest';
import type { TrackerImportReport } from '../../src-shared/dhis2/tracker.ts';
import type { EventImportSummaries } from '../../src-shared/dhis2/event-import-summaries.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import { caseOptions, corpusExists, importThrough, loadCases, openCaseDb, type CorpusCase } from './harness.ts';
import { EVENTS_EXPECTED_FAILURES } from './events-expected-failures.ts';

interface Expect {
  status?: string;
  stats?: Record<string, number>;
  errorCount?: number;
  importSummaries?: { count: number; allStatus?: string };
}

function errorsOf(job: JobRecord): string {
  const s = job.summary as TrackerImportReport | EventImportSummaries | null;
  if (!s) return job.error?.message ?? 'no summary';
  if (s.responseType === 'TrackerImportReport') return s.validationReport.errorReports.map((e) => `${e.errorCode} ${e.message}`).join('; ');
  return s.importSummaries.flatMap((x) => x.conflicts.map((c) => `${c.errorCode} ${c.value}`)).join('; ');
}

async function runCase(c: CorpusCase): Promise<void> {
  const cdb = await openCaseDb(c);
  try {
    for (const b of c.before ?? []) {
      const pre = await importThrough(cdb.ferry, b.file, caseOptions(b.options), 'events');
      expect(pre.error, pre.error?.message).toBeNull();
      expect(pre.resultStatus, `before ${b.file}: ${errorsOf(pre)}`).not.toBe('ERROR');
    }
    const job = await importThrough(cdb.ferry, c.file, caseOptions(c.options), 'events');
    expect(job.error, job.error?.message).toBeNull();
    const e = c.expect as Expect;
    const s = job.summary as TrackerImportReport | EventImportSummaries;
    if (s.responseType === 'TrackerImportReport') {
      if (e.status) expect(s.status, errorsOf(job)).toBe(e.status);
      if (e.errorCount !== undefined) expect(s.validationReport.errorReports.length, errorsOf(job)).toBe(e.errorCount);
      for (const [k, v] of Object.entries(e.stats ?? {})) expect(s.stats[k as keyof typeof s.stats], `stats.${k}: ${errorsOf(job)}`).toBe(v);
      expect(e.importSummaries, 'an ImportSummaries case answered with a tracker report').toBeUndefined();
    } else {
      expect(s.responseType).toBe('ImportSummaries');
      if (e.status) expect(s.status, errorsOf(job)).toBe(e.status);
      if (e.importSummaries) {
        expect(s.importSummaries.length).toBe(e.importSummaries.count);
        if (e.importSummaries.allStatus) for (const x of s.importSummaries) expect(x.status, errorsOf(job)).toBe(e.importSummaries.allStatus);
      }
      expect(e.stats, 'a tracker case answered with ImportSummaries').toBeUndefined();
    }
  } finally {
    await cdb.close();
  }
}

const cases = [...loadCases('events'), ...loadCases('tracker')].filter((c) => !c.phase);

describe.skipIf(!corpusExists)('DHIS2 event and tracker import conformance (corpus)', () => {
  it('has event and tracker import cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  for (const c of cases) {
    const failing = EVENTS_EXPECTED_FAILURES[c.id];
    (failing ? it.fails : it)(`${c.id}${failing ? ` (expected failure: ${failing})` : ''}`, () => runCase(c), 30_000);
  }
});
