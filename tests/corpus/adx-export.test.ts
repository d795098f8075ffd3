/**
 * ADX export conformance: the `adx` cases with phase "export" in ../shared/corpus/cases.json (DHIS2's
 * AdxDataServiceIntegrationTest#testWriteDataValueSet*). Each case's fixture is loaded, the 4 values are seeded
 * directly (as the DHIS2 test does), Ferry exports ADX with the case's parameters and the SET of <group> elements is
 * compared with DHIS2's golden file by content (attributes, data values, annotations; order is not defined by DHIS2).
 * Parameter mapping: DHIS2's `children=true` means the whole subtree, which is Ferry's `descendants`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SaxesParser } from 'saxes';
import { corpusExists, corpusPath, loadCases, openCaseDb } from './harness.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { parsePeriod } from '../../src-shared/dhis2/period.ts';
import type { Db } from '../../src-main/db/open.ts';
import { adoptTextRows } from '../../src-main/db/repos/data-values.ts';

interface Seed {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo: string;
  attributeOptionCombo: string;
  value: string;
}

/** Canonical text of every <group>: sorted group attributes + sorted canonical data values. */
export function adxGroups(xml: string): string[] {
  const groups: string[] = [];
  let group: { attrs: Record<string, string>; values: string[] } | null = null;
  let value: { attrs: Record<string, string>; annotation: string } | null = null;
  let inAnnotation = false;
  const canon = (a: Record<string, string>): string =>
    Object.entries(a)
      .filter(([k]) => k !== 'xmlns')
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ');
  const p = new SaxesParser();
  p.on('opentag', (t) => {
    const attrs = t.attributes as Record<string, string>;
    if (t.name === 'group') group = { attrs, values: [] };
    else if (t.name === 'dataValue') value = { attrs, annotation: '' };
    else if (t.name === 'annotation') inAnnotation = true;
  });
  p.on('text', (s) => {
    if (inAnnotation && value) value.annotation += s;
  });
  p.on('closetag', (t) => {
    if (t.name === 'annotation') inAnnotation = false;
    else if (t.name === 'dataValue' && value && group) {
      group.values.push(canon(value.attrs) + (value.annotation ? ` annotation=${JSON.stringify(value.annotation)}` : ''));
      value = null;
    } else if (t.name === 'group' && group) {
      groups.push(`${canon(group.attrs)} [${group.values.sort().join(' | ')}]`);
      group = null;
    }
  });
  p.write(xml).close();
  return groups.sort();
}

function seed(db: Db, periods: string[], values: Seed[]): void {
  const insP = db.prepare(`INSERT OR IGNORE INTO period (iso, type, start_date, end_date) VALUES (?, ?, ?, ?)`);
  for (const iso of periods) {
    const p = parsePeriod(iso)!;
    insP.run(p.iso, p.type, p.startDate, p.endDate);
  }
  const id = db.prepare(`SELECT id FROM metadata_object WHERE uid = ?`).pluck();
  const pe = db.prepare(`SELECT id FROM period WHERE iso = ?`).pluck();
  const ins = db.prepare(`INSERT INTO data_value (de, pe, ou, coc, aoc, value, stored_by, created, last_updated) VALUES (?,?,?,?,?,?,?,?,?)`);
  for (const v of values)
    ins.run(id.get(v.dataElement), pe.get(v.period), id.get(v.orgUnit), id.get(v.categoryOptionCombo), id.get(v.attributeOptionCombo), v.value, 'admin', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');
  adoptTextRows(db); // the texts as data_value_text ids, as an import stores them
}

function exportOptions(params: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k === 'children') o.descendants = v;
    else o[k] = v;
  }
  return o;
}

const cases = loadCases('adx').filter((c) => c.phase === 'export');

describe.skipIf(!corpusExists)('ADX export conformance (../shared/corpus)', () => {
  it('has the three DHIS2 export cases', () => {
    expect(cases.map((c) => c.id).sort()).toEqual(['adx-exportA', 'adx-exportB', 'adx-exportD']);
  });

  for (const c of cases) {
    it(`${c.id}: Ferry's ADX holds the same groups as DHIS2's golden file`, async () => {
      const db = await openCaseDb(c);
      try {
        const raw = c as unknown as { seed: { dataValues: Seed[] }; exportParams: Record<string, unknown>; expect: { groups: number } };
        seed(db.ferry.db, c.periods ?? [], raw.seed.dataValues);
        const out = path.join(db.dir, 'out.adx.xml');
        const r = await invoke(db.ferry.handlers, 'export:start', { kind: 'data', out, format: 'adx', options: exportOptions(raw.exportParams) });
        expect(r.ok).toBe(true);
        const job = await db.ferry.jobs.wait((r as { value: { jobId: number } }).value.jobId);
        expect(job.error).toBeNull();
        const ours = adxGroups(fs.readFileSync(out, 'utf8'));
        const golden = adxGroups(fs.readFileSync(corpusPath(c.file), 'utf8'));
        expect(ours).toHaveLength(raw.expect.groups);
        expect(ours).toEqual(golden);
      } finally {
        await db.close();
      }
    });
  }
});

if (!corpusExists) {
  describe('ADX export conformance', () => {
    it.skip('skipped: ../shared/corpus is not present', () => undefined);
  });
}
