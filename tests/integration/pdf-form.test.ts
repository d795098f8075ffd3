/**
 * PDF data entry forms end to end, with tools no one here wrote: make a form with `ferry export pdf-form`, look at it
 * with pdftk (field names, types, flags) and poppler (page 1 rendered to PNG, kept in the test output folder), fill it
 * with pdftk `fill_form`, import it with `ferry import` and get exactly the filled values. Also: a form made with
 * DHIS2's own conventions, many forms in one job, the org unit id scheme, dry run, conflicts naming the field, and
 * the refusals (no org unit, not a form, encrypted with qpdf, truncated) that write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFHexString, PDFName, PDFDict } from '@cantoo/pdf-lib';
import { openDb, type Db } from '../../src-main/db/open.ts';
import type { ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import type { ExportSummary, JobRecord } from '../../src-shared/api/contract.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { loadMetadata, storedValues, type StoredValue } from '../unit/importers/data-values/helpers.ts';
import { FORM_METADATA, artefactDir, fillWithPdftk, pdftkFields, run, skipMessage } from '../helpers/pdf-form.ts';
import { withDbAt } from '../helpers/db.ts';

const missing = skipMessage(['pdftk', 'qpdf', 'pdftoppm']);
const withTools = missing ? describe.skip : describe;

let dir: string;
let dbPath: string;
beforeAll(() => {
  dir = tmpDir('ferry-pdf-');
  dbPath = path.join(dir, 'site.sqlite');
  const db = openDb(dbPath);
  loadMetadata(db, FORM_METADATA);
  db.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const withDb = <T>(fn: (db: Db) => T): T => withDbAt(dbPath, fn);
const values = (): StoredValue[] => withDb((db) => storedValues(db));
const snapshot = (): unknown => withDb((db) => [db.prepare(`SELECT * FROM data_value ORDER BY ou, pe, de, coc, aoc`).all(), db.prepare(`SELECT * FROM period ORDER BY id`).all()]);
const clearValues = (): void => withDb((db) => void db.prepare(`DELETE FROM data_value`).run());

async function makeForm(name: string, args: string[] = []): Promise<string> {
  const out = path.join(dir, name);
  const r = await ferryCli(['--db', dbPath, 'export', 'pdf-form', '--data-set', 'DsSante0001', ...args, '--out', out, '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  const s = r.json<ExportSummary>();
  expect(s).toMatchObject({ status: 'OK', format: 'pdf', counts: { dataSets: 1, fields: 14 } });
  return out;
}

/** What a facility types in: every field type, with accents. */
const FILLED: Record<string, string> = {
  TXFDDV_DeVisits001_CocMU500001: '12',
  TXFDDV_DeVisits001_CocFO500001: '7',
  TXFDDV_DeWeight001_CocFU500001: '3.5',
  TXFDDV_DeInteger01_HllvX50cXC0: '5',
  TXFDDV_DeBool00001_HllvX50cXC0: 'false',
  TXFDDV_DeTrueOnly1_HllvX50cXC0_T4: 'On',
  TXFDDV_DeColour001_HllvX50cXC0: 'BLUE',
  TXFDDV_DeText00001_HllvX50cXC0: 'Olá, ñandú — œuvre façade',
};
const EXPECTED: [string, string, string][] = [
  ['DeBool00001', 'HllvX50cXC0', 'false'],
  ['DeColour001', 'HllvX50cXC0', 'BLUE'],
  ['DeInteger01', 'HllvX50cXC0', '5'],
  ['DeText00001', 'HllvX50cXC0', 'Olá, ñandú — œuvre façade'],
  ['DeTrueOnly1', 'HllvX50cXC0', 'true'],
  ['DeVisits001', 'CocFO500001', '7'],
  ['DeVisits001', 'CocMU500001', '12'],
  ['DeWeight001', 'CocFU500001', '3.5'],
];
const got = (ou: string, pe: string): [string, string, string][] =>
  values()
    .filter((v) => v.orgUnit === ou && v.period === pe)
    .map((v): [string, string, string] => [v.dataElement, v.categoryOptionCombo, v.value!]);

withTools('PDF data entry forms with pdftk, qpdf and poppler', () => {
  it('makes a form pdftk reads as DHIS2 names and types it, and poppler renders (page 1 kept as a PNG)', async () => {
    const form = await makeForm('sante-sao-joao.pdf', ['--org-unit', 'OuSaoJoao01', '--period', '202611']);
    const f = pdftkFields(form);
    expect([...f.keys()]).toEqual([
      'TXFD_OrgID',
      'TXFD_PeriodID',
      'TXFDDV_DeVisits001_CocMU500001',
      'TXFDDV_DeVisits001_CocMO500001',
      'TXFDDV_DeVisits001_CocFU500001',
      'TXFDDV_DeVisits001_CocFO500001',
      'TXFDDV_DeWeight001_CocMU500001',
      'TXFDDV_DeWeight001_CocMO500001',
      'TXFDDV_DeWeight001_CocFU500001',
      'TXFDDV_DeWeight001_CocFO500001',
      'TXFDDV_DeInteger01_HllvX50cXC0',
      'TXFDDV_DeBool00001_HllvX50cXC0',
      'TXFDDV_DeTrueOnly1_HllvX50cXC0_T4',
      'TXFDDV_DeColour001_HllvX50cXC0',
      'TXFDDV_DeText00001_HllvX50cXC0',
      'TXFDDV_DeLongTxt01_HllvX50cXC0',
    ]);
    expect(f.get('TXFD_OrgID')).toMatchObject({ type: 'Text', value: 'OuSaoJoao01', flags: 1 }); // ReadOnly
    expect(f.get('TXFD_PeriodID')).toMatchObject({ type: 'Choice', value: '202611' });
    expect(f.get('TXFD_PeriodID')!.options).toHaveLength(37); // Jan of last year … Jan of the year after next
    expect(f.get('TXFDDV_DeTrueOnly1_HllvX50cXC0_T4')).toMatchObject({ type: 'Button', options: ['Off', 'On'] });
    expect(f.get('TXFDDV_DeBool00001_HllvX50cXC0')).toMatchObject({ type: 'Choice', options: ['', 'true', 'false'] });
    expect(f.get('TXFDDV_DeColour001_HllvX50cXC0')).toMatchObject({ type: 'Choice', options: ['', 'RED', 'BLUE'] });
    expect(f.get('TXFDDV_DeLongTxt01_HllvX50cXC0')!.flags & 4096).toBe(4096); // multiline

    const png = path.join(artefactDir(), 'sante-sao-joao-page');
    const r = run('pdftoppm', ['-png', '-r', '100', '-f', '1', '-l', '1', '-singlefile', form, png]);
    expect(r.status, r.stderr).toBe(0);
    const bytes = fs.readFileSync(png + '.png');
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.readUInt32BE(16)).toBe(827); // A4 portrait at 100 dpi: 8.27 × 11.69 in
    expect([1169, 1170]).toContain(bytes.readUInt32BE(20));
    console.log(`[pdf-form] page 1 rendered by pdftoppm: ${png}.png`);
    // and poppler reads the text with its accents
    const text = run('pdftotext', ['-layout', form, '-']);
    if (text.status === 0) expect(text.stdout).toContain('Santé maternelle — Formulário mensual');
  });

  it('make → fill with pdftk → import gives exactly the filled values (the header\'s org unit and period)', async () => {
    clearValues();
    const form = await makeForm('pre-filled.pdf', ['--org-unit', 'OuSaoJoao01', '--period', '202611']);
    const filled = path.join(dir, 'sao-joao-202611.pdf');
    fillWithPdftk(form, FILLED, filled);
    // the filled page as poppler shows it (kept beside the empty one)
    const png = path.join(artefactDir(), 'sante-sao-joao-filled-page');
    expect(run('pdftoppm', ['-png', '-r', '100', '-f', '1', '-l', '1', '-singlefile', filled, png]).status).toBe(0);
    const r = await ferryCli(['--db', dbPath, 'import', filled, '--kind', 'data', '--json'], { inline: false });
    expect(r.code, r.stderr).toBe(0);
    const s = r.json<ImportSummary>();
    expect(s.status).toBe('SUCCESS');
    expect(s.importCount).toEqual({ imported: 8, updated: 0, ignored: 0, deleted: 0 });
    expect(s.fileSummaries![0]).toMatchObject({ file: 'sao-joao-202611.pdf', format: 'pdf' });
    expect(got('OuSaoJoao01', '202611')).toEqual(EXPECTED);
    // nothing else was written: empty fields and the unchecked … are not values
    expect(values()).toHaveLength(8);
    expect(values().every((v) => v.comment === null && v.attributeOptionCombo === 'HllvX50cXC0')).toBe(true);
    // the same form again: no change
    const again = await ferryCli(['--db', dbPath, 'import', filled, '--json']);
    expect(again.json<ImportSummary>().importCount).toEqual({ imported: 0, updated: 0, ignored: 8, deleted: 0 });
  });

  it('reads the org unit the facility typed with the org unit id scheme; --kind pdf is another name for data; dry run writes nothing', async () => {
    clearValues();
    const form = await makeForm('blank.pdf');
    expect(pdftkFields(form).get('TXFD_OrgID')).toMatchObject({ flags: 0 });
    const filled = path.join(dir, 'typed-code.pdf');
    fillWithPdftk(form, { TXFD_OrgID: 'OU_SJ', TXFD_PeriodID: '202610', ...FILLED }, filled);
    const before = snapshot();
    const dry = await ferryCli(['--db', dbPath, 'import', filled, '--kind', 'pdf', '--org-unit-id-scheme', 'CODE', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json<ImportSummary>()).toMatchObject({ dryRun: true, importCount: { imported: 8 } });
    expect(snapshot()).toEqual(before);
    // with UID (the default) the code is an unknown org unit
    const uid = await ferryCli(['--db', dbPath, 'import', filled, '--json']);
    expect(uid.json<ImportSummary>().conflicts.map((c) => [c.errorCode, c.object])).toEqual([['E7612', 'OU_SJ']]);
    expect(snapshot()).toEqual(before);
    const r = await ferryCli(['--db', dbPath, 'import', filled, '--org-unit-id-scheme', 'CODE', '--json']);
    expect(r.json<ImportSummary>().importCount.imported).toBe(8);
    expect(got('OuSaoJoao01', '202610')).toEqual(EXPECTED);
  });

  it('names the form field in a conflict', async () => {
    clearValues();
    const form = await makeForm('conflict.pdf', ['--org-unit', 'OuClinicA01', '--period', '202611']);
    const filled = path.join(dir, 'clinic-a-bad.pdf');
    fillWithPdftk(form, { TXFDDV_DeVisits001_CocMO500001: 'douze', TXFDDV_DeInteger01_HllvX50cXC0: '4' }, filled);
    const r = await ferryCli(['--db', dbPath, 'import', filled, '--json']);
    const s = r.json<ImportSummary>();
    expect(s.status).toBe('WARNING');
    expect(s.importCount).toMatchObject({ imported: 1, ignored: 1 });
    expect(s.conflicts).toHaveLength(1);
    expect(s.conflicts[0]).toMatchObject({ errorCode: 'E7619', object: 'DeVisits001', fields: ['TXFDDV_DeVisits001_CocMO500001'] });
    expect(got('OuClinicA01', '202611')).toEqual([['DeInteger01', 'HllvX50cXC0', '4']]);
    // the CLI's text summary names it too
    const text = await ferryCli(['--db', dbPath, 'import', filled, '--dry-run']);
    expect(text.stdout).toContain('E7619 Value must match value type of data element `DeVisits001`: `value_not_zero_or_positive_integer` (fields TXFDDV_DeVisits001_CocMO500001)');
  });

  it('imports many forms in one job (auto-detected), one summary per file', async () => {
    clearValues();
    const form = await makeForm('district.pdf', ['--period', '202609']);
    const files = ['OuClinicA01', 'OuClinicB01', 'OuSaoJoao01'].map((ou, i) => {
      const f = path.join(dir, `${ou}.pdf`);
      fillWithPdftk(form, { TXFD_OrgID: ou, TXFDDV_DeInteger01_HllvX50cXC0: String(10 + i), TXFDDV_DeVisits001_CocMU500001: String(i + 1) }, f);
      return f;
    });
    const r = await ferryCli(['--db', dbPath, 'import', ...files, '--json'], { inline: false });
    expect(r.code, r.stderr).toBe(0);
    const s = r.json<ImportSummary>();
    expect(s.importCount.imported).toBe(6);
    expect(s.fileSummaries!.map((f) => [f.file, f.status, f.importCount.imported])).toEqual([
      ['OuClinicA01.pdf', 'SUCCESS', 2],
      ['OuClinicB01.pdf', 'SUCCESS', 2],
      ['OuSaoJoao01.pdf', 'SUCCESS', 2],
    ]);
    expect(values().map((v) => [v.orgUnit, v.period, v.dataElement, v.value])).toEqual([
      ['OuClinicA01', '202609', 'DeInteger01', '10'],
      ['OuClinicB01', '202609', 'DeInteger01', '11'],
      ['OuSaoJoao01', '202609', 'DeInteger01', '12'],
      ['OuClinicA01', '202609', 'DeVisits001', '1'],
      ['OuClinicB01', '202609', 'DeVisits001', '2'],
      ['OuSaoJoao01', '202609', 'DeVisits001', '3'],
    ]);
    const jobs = (await ferryCli(['--db', dbPath, 'jobs', '--json'])).json<JobRecord[]>();
    expect(jobs[0]!.kind).toBe('data');
    expect(jobs[0]!.files.map((f) => [f.name, f.format, f.status])).toEqual(files.map((f) => [path.basename(f), 'pdf', 'SUCCESS']));
  });

  it('refuses, naming the file and writing nothing: no org unit, not a form, encrypted, truncated; a broken form among good ones is its own error', async () => {
    clearValues();
    const blank = await makeForm('refusals.pdf', ['--period', '202611']);
    const noOu = path.join(dir, 'no-org-unit.pdf');
    fillWithPdftk(blank, { TXFDDV_DeInteger01_HllvX50cXC0: '3' }, noOu);
    const letter = path.join(dir, 'letter.pdf');
    const doc = await PDFDocument.create();
    doc.addPage().drawText('Dear district, here are our figures: 3, 4, 5.');
    fs.writeFileSync(letter, await doc.save());
    const good = path.join(dir, 'good.pdf');
    fillWithPdftk(await makeForm('good-form.pdf', ['--org-unit', 'OuClinicA01', '--period', '202611']), { TXFDDV_DeInteger01_HllvX50cXC0: '9' }, good);
    const locked = path.join(dir, 'locked.pdf');
    expect(run('qpdf', ['--encrypt', 'secret', 'owner', '256', '--', good, locked]).status).toBe(0);
    const cut = path.join(dir, 'cut.pdf');
    const bytes = fs.readFileSync(good);
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    const noPeriod = path.join(dir, 'no-period.pdf');
    fillWithPdftk(await makeForm('np.pdf', ['--org-unit', 'OuClinicA01']), { TXFDDV_DeInteger01_HllvX50cXC0: '3' }, noPeriod);

    const before = snapshot();
    const cases: [string, RegExp][] = [
      [noOu, /^no-org-unit\.pdf: The organisation unit was not specified/],
      [noPeriod, /^no-period\.pdf: The period was not specified\./],
      [letter, /^letter\.pdf: this PDF has no form fields: it is not a data entry form/],
      [locked, /^locked\.pdf: the PDF is protected by a password/],
      [cut, /^cut\.pdf: the PDF is truncated/],
    ];
    for (const [file, message] of cases) {
      const r = await ferryCli(['--db', dbPath, 'import', file, '--json']);
      expect(r.code, file).toBe(2);
      const out = r.json<{ status: string; error: { code: string; message: string; details: { file?: string } } }>();
      expect(out.error.code).toBe('BAD_FILE');
      expect(out.error.message).toMatch(message);
      expect(snapshot()).toEqual(before);
    }
    // in a job of several files, each broken one is an ERROR summary and the good one imports
    const r = await ferryCli(['--db', dbPath, 'import', noOu, good, cut, '--json']);
    expect(r.code).toBe(1);
    const s = r.json<ImportSummary>();
    expect(s.fileSummaries!.map((f) => [f.file, f.status])).toEqual([
      ['no-org-unit.pdf', 'ERROR'],
      ['good.pdf', 'SUCCESS'],
      ['cut.pdf', 'ERROR'],
    ]);
    expect(values().map((v) => [v.orgUnit, v.dataElement, v.value])).toEqual([['OuClinicA01', 'DeInteger01', '9']]);
  });

  it('a password that only restricts editing (empty user password, qpdf) still reads', async () => {
    clearValues();
    const good = path.join(dir, 'restricted-src.pdf');
    fillWithPdftk(await makeForm('r.pdf', ['--org-unit', 'OuClinicB01', '--period', '202611']), { TXFDDV_DeInteger01_HllvX50cXC0: '21' }, good);
    const restricted = path.join(dir, 'restricted.pdf');
    expect(run('qpdf', ['--encrypt', '', 'owner', '256', '--modify=none', '--', good, restricted]).status).toBe(0);
    const r = await ferryCli(['--db', dbPath, 'import', restricted, '--json']);
    expect(r.json<ImportSummary>().importCount.imported).toBe(1);
  });
});

describe('making a form: what is refused', () => {
  it('needs one known data set; an org unit and a period of its period type', async () => {
    const out = path.join(dir, 'refused.pdf');
    const make = async (...args: string[]) => {
      const r = await ferryCli(['--db', dbPath, 'export', 'pdf-form', ...args, '--out', out, '--json']);
      return { code: r.code, error: r.json<{ error?: { code: string; message: string } }>().error };
    };
    expect(await make()).toMatchObject({ error: { code: 'BAD_REQUEST', message: 'A PDF form needs a data set (--data-set UID).' } });
    expect(await make('--data-set', 'NoSuchSet01')).toMatchObject({ error: { code: 'NOT_FOUND', message: 'Data set not found: NoSuchSet01' } });
    expect(await make('--data-set', 'DsSante0001', '--data-set', 'DsMonthly01')).toMatchObject({ error: { code: 'BAD_REQUEST', message: 'A PDF form is made for one data set.' } });
    expect(await make('--data-set', 'DsSante0001', '--org-unit', 'NoSuchOu01')).toMatchObject({ error: { code: 'NOT_FOUND', message: 'Organisation unit not found: NoSuchOu01' } });
    expect(await make('--data-set', 'DsSante0001', '--period', '2026Q1')).toMatchObject({
      error: { code: 'BAD_REQUEST', message: 'Period 2026Q1 is not a Monthly period (the period type of Santé maternelle — Formulário mensual).' },
    });
    expect(await make('--data-set', 'DsSante0001', '--period', 'soon')).toMatchObject({ error: { code: 'BAD_REQUEST', message: 'Invalid period: soon' } });
    expect(await make('--data-set', 'DsSante0001', '--format', 'csv')).toMatchObject({ error: { code: 'UNSUPPORTED', message: "A data entry form is exported as pdf, not 'csv'." } });
    expect(fs.existsSync(out)).toBe(false);
    // the data set by code, the org unit by code; a period outside DHIS2's range is still offered when asked for
    const ok = await ferryCli(['--db', dbPath, 'export', 'pdf-form', '--data-set', 'DS_SANTE', '--org-unit', 'OU_SJ', '--period', '201001', '--out', out, '--json']);
    expect(ok.code, ok.stdout).toBe(0);
    const doc = await PDFDocument.load(fs.readFileSync(out));
    expect(doc.getForm().getTextField('TXFD_OrgID').getText()).toBe('OuSaoJoao01');
    expect(doc.getForm().getDropdown('TXFD_PeriodID').acroField.getOptions().map((o) => o.value.decodeText())[0]).toBe('201001');
  });
});

describe('a form made with DHIS2\'s conventions (its generator\'s field names, types and states), filled with pdf-lib', () => {
  it('imports: TXFD_OrgID text, TXFD_PeriodID combo box of ISO periods, TXFDDV_ text fields, a _T4 checkbox "On", BTNFD_SaveAs ignored', async () => {
    clearValues();
    // what DHIS2's PDF form generator writes (spec §8, DefaultPdfDataEntryFormService): these names and kinds of field
    const doc = await PDFDocument.create();
    const page = doc.addPage([595.28, 841.89]);
    const form = doc.getForm();
    let y = 780;
    const at = () => ({ x: 300, y: (y -= 20), width: 160, height: 12 });
    const ou = form.createTextField('TXFD_OrgID');
    ou.addToPage(page, at());
    const pe = form.createDropdown('TXFD_PeriodID');
    pe.addToPage(page, at());
    pe.acroField.setOptions(['202610', '202611'].map((p) => ({ value: PDFHexString.fromText(p), display: PDFHexString.fromText(`${p} - x - y`) })));
    for (const [de, coc] of [['DeInteger01', 'HllvX50cXC0'], ['DeNumber001', 'CocMale0001'], ['DeNumber001', 'CocFemale01'], ['DeText00001', 'HllvX50cXC0']]) {
      form.createTextField(`TXFDDV_${de}_${coc}`).addToPage(page, at());
    }
    const bool = form.createDropdown('TXFDDV_DeBool00001_HllvX50cXC0');
    bool.addToPage(page, at());
    bool.acroField.setOptions([['', '[No Value]'], ['true', 'Yes'], ['false', 'No']].map(([v, d]) => ({ value: PDFHexString.fromText(v!), display: PDFHexString.fromText(d!) })));
    const cb = form.createCheckBox('TXFDDV_DeTrueOnly1_HllvX50cXC0_T4');
    cb.addToPage(page, { ...at(), width: 10, height: 10 });
    const cbOff = form.createCheckBox('TXFDDV_DeTrueOff01_HllvX50cXC0_T4');
    cbOff.addToPage(page, { ...at(), width: 10, height: 10 });
    form.createButton('BTNFD_SaveAs').addToPage('Save PDF', page, at());
    // the facility fills it in (a viewer stores a combo box's export value, and the checkbox's "On" state)
    ou.setText('OuClinicB01');
    pe.acroField.dict.set(PDFName.of('V'), PDFHexString.fromText('202610'));
    form.getTextField('TXFDDV_DeInteger01_HllvX50cXC0').setText('33');
    form.getTextField('TXFDDV_DeNumber001_CocFemale01').setText('1.25');
    form.getTextField('TXFDDV_DeText00001_HllvX50cXC0').setText('São Tomé');
    bool.acroField.dict.set(PDFName.of('V'), PDFHexString.fromText('true'));
    const w = cb.acroField.getWidgets()[0]!;
    const ap = w.dict.lookup(PDFName.of('AP'), PDFDict).lookup(PDFName.of('N'), PDFDict);
    ap.set(PDFName.of('On'), ap.get(PDFName.of('Yes'))!);
    ap.delete(PDFName.of('Yes'));
    cb.acroField.dict.set(PDFName.of('V'), PDFName.of('On'));
    w.dict.set(PDFName.of('AS'), PDFName.of('On'));
    const file = path.join(dir, 'dhis2-made.pdf');
    fs.writeFileSync(file, await doc.save({ updateFieldAppearances: false }));

    const r = await ferryCli(['--db', dbPath, 'import', file, '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json<ImportSummary>().importCount).toMatchObject({ imported: 5, ignored: 0 });
    expect(got('OuClinicB01', '202610')).toEqual([
      ['DeBool00001', 'HllvX50cXC0', 'true'],
      ['DeInteger01', 'HllvX50cXC0', '33'],
      ['DeNumber001', 'CocFemale01', '1.25'],
      ['DeText00001', 'HllvX50cXC0', 'São Tomé'],
      ['DeTrueOnly1', 'HllvX50cXC0', 'true'],
    ]);
  });
});
