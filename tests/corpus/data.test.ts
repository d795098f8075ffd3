/**
 * Conformance: every aggregate data value and ADX import case of ../shared/corpus/cases.json (DHIS2 2.42 classic
 * semantics and older) is its own test, run through import:start exactly as the CLI does. v43 data cases are
 * informative (the rewritten 2.43 pipeline) and are listed as skipped; export cases belong to the exporter.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { corpusDir, corpusExists as hasCorpus, loadFixture } from './harness.ts';
import { addPeriods, freshFerry, runImport, storedValues, type ImportOutcome } from '../unit/importers/data-values/helpers.ts';
import { DATA_EXPECTED_FAILURES } from './data-expected-failures.ts';
import type { Ferry } from '../../src-main/services/context.ts';

interface Case {
  id: string;
  kind: string;
  phase?: string;
  applicable?: boolean;
  reason?: string;
  semantics: string;
  setup: string[];
  before?: { file: string; options?: Record<string, unknown> }[];
  periods?: string[];
  file: string;
  options?: Record<string, unknown>;
  expect: Record<string, unknown>;
}

if (!hasCorpus) console.warn(`[corpus] ${corpusDir} is absent: the data conformance cases are skipped`);

const cases: Case[] = hasCorpus
  ? (JSON.parse(fs.readFileSync(path.join(corpusDir, 'cases.json'), 'utf8')) as Case[]).filter((c) => c.kind === 'data' || c.kind === 'adx')
  : [];

function splitOptions(o: Record<string, unknown> = {}): { options: Record<string, unknown>; format?: string } {
  const options: Record<string, unknown> = {};
  let format: string | undefined;
  for (const [k, v] of Object.entries(o)) {
    if (k === 'format') format = String(v);
    else if (k === 'strategy') options.importStrategy = v;
    else options[k] = v;
  }
  return { options, format };
}

const opened: Ferry[] = [];
afterAll(async () => {
  for (const f of opened) await f.close();
});

async function runCase(c: Case): Promise<void> {
  const { ferry } = freshFerry('inline');
  opened.push(ferry);
  // the metadata engineer's lenient fixture loader (applies default-object properties such as OC_DEF_CODE)
  for (const s of c.setup) await loadFixture(ferry.db, s);
  addPeriods(ferry.db, c.periods ?? []);
  for (const b of c.before ?? []) {
    const { options, format } = splitOptions(b.options);
    const r = await runImport(ferry, [path.join(corpusDir, b.file)], options, { format });
    expect(r.error, `before-import ${b.file}`).toBeNull();
  }
  const liveBefore = storedValues(ferry.db).length;
  const { options, format } = splitOptions(c.options);
  const out: ImportOutcome = await runImport(ferry, [path.join(corpusDir, c.file)], options, { format });
  const e = c.expect;
  const s = out.summary;
  // status: an import refused before or while reading is an ERROR outcome
  const status = s?.status ?? (out.error ? 'ERROR' : undefined);
  if (e.status) expect(status, JSON.stringify(s?.conflicts ?? out.error)).toBe(e.status);
  if (out.error) {
    // a refused file must name itself and change nothing
    expect(out.error.message).toContain(path.basename(c.file));
    expect(storedValues(ferry.db).length).toBe(liveBefore);
  }
  const count = s?.importCount ?? { imported: 0, updated: 0, ignored: 0, deleted: 0 };
  if (e.importCount) expect(count, JSON.stringify(s?.conflicts)).toMatchObject(e.importCount as object);
  if (typeof e.importedPlusUpdatedMin === 'number') expect(count.imported + count.updated).toBeGreaterThanOrEqual(e.importedPlusUpdatedMin);
  const conflicts = s?.conflicts ?? [];
  if (typeof e.conflictCount === 'number') expect(conflicts.length, JSON.stringify(conflicts)).toBe(e.conflictCount);
  if (typeof e.conflictOccurrences === 'number') expect(conflicts.reduce((n, x) => n + (x.indexes?.length ?? 1), 0)).toBe(e.conflictOccurrences);
  if (Array.isArray(e.conflictCodes)) expect([...new Set(conflicts.map((x) => x.errorCode))].sort()).toEqual([...(e.conflictCodes as string[])].sort());
  for (const want of (e.conflicts as Record<string, unknown>[] | undefined) ?? []) {
    const found = conflicts.find(
      (x) =>
        (want.errorCode === undefined || x.errorCode === want.errorCode) &&
        (want.indexes === undefined || JSON.stringify(x.indexes) === JSON.stringify(want.indexes)) &&
        (want.value === undefined || x.value === want.value),
    );
    expect(found, `conflict ${JSON.stringify(want)} in ${JSON.stringify(conflicts)}`).toBeDefined();
  }
  const after = e.after as Record<string, unknown> | undefined;
  if (after) {
    const live = storedValues(ferry.db);
    if (typeof after.dataValues === 'number') expect(live.length).toBe(after.dataValues);
    for (const v of (after.values as Record<string, string>[] | undefined) ?? []) {
      const hit = live.find(
        (x) =>
          x.dataElement === v.dataElement && x.period === v.period && x.orgUnit === v.orgUnit &&
          x.categoryOptionCombo === v.categoryOptionCombo && x.attributeOptionCombo === v.attributeOptionCombo,
      );
      expect(hit, `value ${JSON.stringify(v)}`).toBeDefined();
      if (v.value !== undefined) expect(hit!.value).toBe(v.value);
    }
    if (after.valuesExhaustive) expect(live.length).toBe(((after.values as unknown[]) ?? []).length);
    if (Array.isArray(after.valueSet)) expect([...new Set(live.map((x) => x.value))].sort()).toEqual([...(after.valueSet as string[])].sort());
    if (Array.isArray(after.valuesIn)) for (const x of live) expect(after.valuesIn as string[]).toContain(x.value);
    const today = new Date().toISOString().slice(0, 10);
    if (after.createdIsImportDate) for (const x of live) expect(x.created.slice(0, 10)).toBe(today);
    if (after.lastUpdatedIsImportDate) for (const x of live) expect(x.lastUpdated.slice(0, 10)).toBe(today);
  }
}

describe.skipIf(!hasCorpus)('corpus: aggregate data and ADX import (DHIS2 2.42 semantics)', () => {
  for (const c of cases) {
    const title = `${c.id} (${c.semantics})`;
    if (c.phase === 'export') {
      it.skip(`${title} — export case, covered by the data exporter`, () => undefined);
      continue;
    }
    if (c.applicable === false) {
      it.skip(`${title} — not applicable offline: ${c.reason ?? ''}`, () => undefined);
      continue;
    }
    if (c.semantics === 'v43') {
      it.skip(`${title} — informative (DHIS2 2.43+ pipeline; Ferry follows 2.42)`, () => undefined);
      continue;
    }
    const reason = DATA_EXPECTED_FAILURES[c.id];
    if (reason) it.fails(`${title} — expected failure: ${reason}`, () => runCase(c));
    else it(title, () => runCase(c));
  }
});

// Ferry, beyond DHIS2: when firstRowIsHeader is not given, the first row of a CSV file is read as a header only when it
// is one (DHIS2's default would silently drop the first value of a file without header).
describe.skipIf(!hasCorpus)('corpus: CSV imported without firstRowIsHeader', () => {
  for (const [id, isHeader] of [['dvs-BNoHeader-csv', false], ['dvs-B-csv', true]] as const) {
    it(`${id}: the first row is read as ${isHeader ? 'a header' : 'data'}, with the same outcome as the case`, async () => {
      const c = cases.find((x) => x.id === id)!;
      const { firstRowIsHeader: _given, ...options } = c.options ?? {};
      await runCase({ ...c, options });
      const { ferry } = freshFerry('inline');
      opened.push(ferry);
      for (const s of c.setup) await loadFixture(ferry.db, s);
      addPeriods(ferry.db, c.periods ?? []);
      const out = await runImport(ferry, [path.join(corpusDir, c.file)], options);
      expect(out.summary!.fileSummaries![0]).toMatchObject({ firstRowIsHeader: isHeader, firstRowIsHeaderDetected: true });
      expect(storedValues(ferry.db).some((v) => v.value === '10001' && v.period === '201201' && v.orgUnit === 'DiszpKrYNg8')).toBe(true);
    });
  }
});
