/**
 * PDF form bench child. Modes:
 *   build <db>                 a database holding a data set of 300 data element × option combo fields (3 sections: a
 *                              2×2 grid of 45 data elements, a 3-option category of 33, 21 default-combo data elements
 *                              of several value types) and 100 facilities (not measured)
 *   make <db> <out> [inline|worker]   one pdf-form export through openFerry + export:start + jobs.wait (measured)
 *   fill <form> <dir> <n>      n copies of the form filled with pdf-lib, one per facility, every field set (not measured)
 *   import <db> <dir> [inline|worker] every PDF in dir in one data import job (measured)
 * FERRY_BENCH_WORKER=out/main/worker.js runs worker jobs in the production bundle's worker instead of the sources.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFHexString, PDFName, PDFTextField, PDFDropdown, PDFCheckBox } from '@cantoo/pdf-lib';
import { openDb } from '../../src-main/db/open.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { ExportSummary } from '../../src-shared/api/contract.ts';
import type { ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import { report } from './measure.ts';

const [mode, ...args] = process.argv.slice(2);
const uid = (prefix: string, n: number): string => (prefix + String(n).padStart(11, '0')).slice(0, 1) + (prefix + String(n).padStart(11 - prefix.length, '0')).slice(1, 11);
export const FACILITIES = 100;

function metadata(): Record<string, Record<string, unknown>[]> {
  const co = (id: string, name: string) => ({ id, name, shortName: name });
  const categoryOptions = [co('CoMale00001', 'Male'), co('CoFemale001', 'Female'), co('CoUnder5001', '< 5 years'), co('CoOver50001', '5 years and over'), co('CoNew000001', 'New'), co('CoRelapse01', 'Relapse'), co('CoTransfer1', 'Transfer in')];
  const categories = [
    { id: 'CatSex00001', name: 'Sex', categoryOptions: [{ id: 'CoMale00001' }, { id: 'CoFemale001' }] },
    { id: 'CatAge00001', name: 'Age', categoryOptions: [{ id: 'CoUnder5001' }, { id: 'CoOver50001' }] },
    { id: 'CatCase0001', name: 'Case type', categoryOptions: [{ id: 'CoNew000001' }, { id: 'CoRelapse01' }, { id: 'CoTransfer1' }] },
  ];
  const cocs = [
    { id: 'CocMU500001', name: 'Male, < 5 years', categoryCombo: { id: 'CcSexAge001' }, categoryOptions: [{ id: 'CoMale00001' }, { id: 'CoUnder5001' }] },
    { id: 'CocMO500001', name: 'Male, 5 years and over', categoryCombo: { id: 'CcSexAge001' }, categoryOptions: [{ id: 'CoMale00001' }, { id: 'CoOver50001' }] },
    { id: 'CocFU500001', name: 'Female, < 5 years', categoryCombo: { id: 'CcSexAge001' }, categoryOptions: [{ id: 'CoFemale001' }, { id: 'CoUnder5001' }] },
    { id: 'CocFO500001', name: 'Female, 5 years and over', categoryCombo: { id: 'CcSexAge001' }, categoryOptions: [{ id: 'CoFemale001' }, { id: 'CoOver50001' }] },
    { id: 'CocNew00001', name: 'New', categoryCombo: { id: 'CcCase00001' }, categoryOptions: [{ id: 'CoNew000001' }] },
    { id: 'CocRelapse1', name: 'Relapse', categoryCombo: { id: 'CcCase00001' }, categoryOptions: [{ id: 'CoRelapse01' }] },
    { id: 'CocTransfe1', name: 'Transfer in', categoryCombo: { id: 'CcCase00001' }, categoryOptions: [{ id: 'CoTransfer1' }] },
  ];
  const combos = [
    { id: 'CcSexAge001', name: 'Sex and age', categories: [{ id: 'CatSex00001' }, { id: 'CatAge00001' }] },
    { id: 'CcCase00001', name: 'Case type', categories: [{ id: 'CatCase0001' }] },
  ];
  const des: Record<string, unknown>[] = [];
  const de = (i: number, valueType: string, combo: string) =>
    des.push({ id: uid('D', i), name: `Data element ${i} — consultations prénatales`, shortName: `DE ${i}`, valueType, aggregationType: 'SUM', domainType: 'AGGREGATE', zeroIsSignificant: true, categoryCombo: { id: combo } });
  for (let i = 0; i < 45; i++) de(i, 'INTEGER_ZERO_OR_POSITIVE', 'CcSexAge001');
  for (let i = 45; i < 78; i++) de(i, 'INTEGER', 'CcCase00001');
  const types = ['NUMBER', 'INTEGER', 'TEXT', 'BOOLEAN', 'TRUE_ONLY'];
  for (let i = 78; i < 99; i++) de(i, types[i % types.length]!, 'bjDvmb4bfuf');
  const ous = [{ id: 'OuDistrict1', name: 'District', shortName: 'District', openingDate: '2000-01-01' }];
  for (let i = 0; i < FACILITIES; i++) ous.push({ id: uid('F', i), name: `Facility ${i}`, shortName: `F${i}`, openingDate: '2000-01-01', parent: { id: 'OuDistrict1' } } as never);
  const section = (id: string, name: string, from: number, to: number, sortOrder: number) => ({ id, name, sortOrder, dataSet: { id: 'DsBench0001' }, dataElements: des.slice(from, to).map((d) => ({ id: d.id })) });
  return {
    categoryOptions,
    categories,
    categoryCombos: combos,
    categoryOptionCombos: cocs,
    dataElements: des,
    organisationUnits: ous,
    sections: [section('SecBench001', 'Consultations by sex and age', 0, 45, 1), section('SecBench002', 'Cases by type', 45, 78, 2), section('SecBench003', 'Other', 78, 99, 3)],
    dataSets: [{ id: 'DsBench0001', name: 'Bench monthly report', periodType: 'Monthly', categoryCombo: { id: 'bjDvmb4bfuf' }, dataSetElements: des.map((d) => ({ dataElement: { id: d.id } })), organisationUnits: ous.slice(1).map((o) => ({ id: o.id })) }],
  };
}

if (mode === 'build') {
  const [dbPath] = args as [string];
  for (const s of ['', '-wal', '-shm']) fs.rmSync(dbPath + s, { force: true });
  const db = openDb(dbPath);
  const repo = new MetadataRepo(db);
  const t0 = performance.now();
  let n = 0;
  db.transaction(() => {
    for (const [type, list] of Object.entries(metadata())) for (const o of list) (repo.upsert(type, o), n++);
    repo.rebuildOrgUnitPaths();
  })();
  db.close();
  report({ seconds: (performance.now() - t0) / 1000, count: n });
} else if (mode === 'make') {
  const [dbPath, out, jobMode] = args as [string, string, string | undefined];
  const ferry = openFerry({ dbPath, mode: jobMode === 'worker' ? 'worker' : 'inline', ...(process.env.FERRY_BENCH_WORKER ? { workerPath: process.env.FERRY_BENCH_WORKER } : {}) });
  const t0 = performance.now();
  const r = await invoke(ferry.handlers, 'export:start', { kind: 'pdf-form', out, format: 'pdf', options: { dataSet: 'DsBench0001', period: '202611' } });
  if (!r.ok) throw new Error(r.error.message);
  const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
  const seconds = (performance.now() - t0) / 1000;
  await ferry.close();
  if (job.error) throw new Error(`${job.error.code}: ${job.error.message}`);
  const s = job.summary as ExportSummary;
  report({ seconds, count: s.counts.fields ?? 0, bytes: s.bytes, pages: s.counts.pages, jobMs: job.durationMs });
} else if (mode === 'fill') {
  const [form, dir, count] = args as [string, string, string];
  fs.mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const bytes = fs.readFileSync(form);
  let fields = 0;
  for (let i = 0; i < Number(count); i++) {
    const doc = await PDFDocument.load(bytes);
    const f = doc.getForm();
    fields = 0;
    for (const field of f.getFields()) {
      const name = field.getName();
      let v: string | null = null;
      if (name === 'TXFD_OrgID') v = uid('F', i);
      else if (name.startsWith('TXFDDV_')) {
        fields++;
        if (field instanceof PDFCheckBox) {
          // checked as a PDF reader checks it: the field's value and its widget's state
          field.acroField.dict.set(PDFName.of('V'), PDFName.of('On'));
          for (const w of field.acroField.getWidgets()) w.dict.set(PDFName.of('AS'), PDFName.of('On'));
          continue;
        }
        v = field instanceof PDFDropdown ? 'true' : String((i * 7 + fields) % 500);
      }
      if (v == null) continue;
      if (field instanceof PDFTextField || field instanceof PDFDropdown) field.acroField.dict.set(PDFName.of('V'), PDFHexString.fromText(v));
    }
    fs.writeFileSync(path.join(dir, `facility-${String(i).padStart(3, '0')}.pdf`), await doc.save({ updateFieldAppearances: false }));
  }
  report({ seconds: (performance.now() - t0) / 1000, count: Number(count), fields });
} else if (mode === 'import') {
  const [dbPath, dir, jobMode] = args as [string, string, string | undefined];
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort().map((f) => path.join(dir, f));
  const ferry = openFerry({ dbPath, mode: jobMode === 'inline' ? 'inline' : 'worker', ...(process.env.FERRY_BENCH_WORKER ? { workerPath: process.env.FERRY_BENCH_WORKER } : {}) });
  const t0 = performance.now();
  const r = await invoke(ferry.handlers, 'import:start', { files, options: {} });
  if (!r.ok) throw new Error(r.error.message);
  const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
  const seconds = (performance.now() - t0) / 1000;
  await ferry.close();
  if (job.error) throw new Error(`${job.error.code}: ${job.error.message}`);
  const s = job.summary as ImportSummary;
  report({ seconds, count: s.importCount.imported + s.importCount.updated + s.importCount.ignored, imported: s.importCount.imported, files: files.length, status: s.status, conflicts: s.conflicts.length, jobMs: job.durationMs });
} else {
  console.error('usage: pdf-child.ts build <db> | make <db> <out> [inline|worker] | fill <form> <dir> <n> | import <db> <dir> [inline|worker]');
  process.exit(2);
}
