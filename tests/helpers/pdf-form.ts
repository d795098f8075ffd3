/**
 * Test helpers for PDF data entry forms: a data set with sections, a two-category combo, every field type and names
 * with French, Portuguese and Spanish letters; filling forms with real tools (pdftk `fill_form` from an XFDF the test
 * writes, qpdf) and checking that those tools are installed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SMALL_METADATA } from '../unit/importers/data-values/helpers.ts';

/** true when `cmd` runs (`--version` or `-v`) */
export function hasTool(cmd: string): boolean {
  const r = spawnSync(cmd, [cmd === 'pdftoppm' ? '-v' : '--version'], { encoding: 'utf8' });
  return !r.error;
}

export function skipMessage(tools: string[]): string | null {
  const missing = tools.filter((t) => !hasTool(t));
  if (!missing.length) return null;
  const msg = `PDF form tests: ${missing.join(', ')} not installed (apt-get install pdftk-java qpdf poppler-utils); skipping the tests that need them`;
  console.warn(msg);
  return msg;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An XFDF document setting the given fields (what Acrobat exports and pdftk fill_form reads). */
export function xfdf(values: Record<string, string>): string {
  const fields = Object.entries(values)
    .map(([k, v]) => `<field name="${xmlEscape(k)}"><value>${xmlEscape(v)}</value></field>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve"><fields>\n${fields}\n</fields></xfdf>\n`;
}

/** Fills `form` with pdftk (fill_form from an XFDF written beside it) into `out`. */
export function fillWithPdftk(form: string, values: Record<string, string>, out: string): void {
  const x = out.replace(/\.pdf$/i, '') + '.xfdf';
  fs.writeFileSync(x, xfdf(values));
  const r = spawnSync('pdftk', [form, 'fill_form', x, 'output', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pdftk fill_form failed: ${r.stderr}`);
}

export function run(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** pdftk's view of a form's fields: name → { type, value, options } */
export function pdftkFields(pdf: string): Map<string, { type: string; value?: string; flags: number; options: string[] }> {
  const r = run('pdftk', [pdf, 'dump_data_fields_utf8']);
  const out = new Map<string, { type: string; value?: string; flags: number; options: string[] }>();
  for (const block of r.stdout.split('---')) {
    const get = (k: string): string | undefined => new RegExp(`^${k}: (.*)$`, 'm').exec(block)?.[1];
    const name = get('FieldName');
    if (!name) continue;
    out.set(name, {
      type: get('FieldType') ?? '',
      value: get('FieldValue'),
      flags: Number(get('FieldFlags') ?? 0),
      options: [...block.matchAll(/^FieldStateOption: (.*)$/gm)].map((m) => m[1]!),
    });
  }
  return out;
}

export const DEFAULT_COC = 'HllvX50cXC0';

/**
 * A data set "Santé maternelle" with two sections: "Consultations prénatales" (a grid over Sexe × Âge, and a
 * default-combo integer) and "Qualité" (boolean, TRUE_ONLY, option set, text, long text), names in French,
 * Portuguese and Spanish.
 */
export const FORM_METADATA = {
  ...SMALL_METADATA,
  categoryOptions: [
    ...SMALL_METADATA.categoryOptions,
    { id: 'CoUnder5001', name: 'Moins de 5 ans', code: 'U5', shortName: '<5' },
    { id: 'CoOver50001', name: '5 ans et plus', code: 'O5', shortName: '5+' },
  ],
  categories: [
    ...SMALL_METADATA.categories,
    { id: 'CatAge00001', name: 'Âge', code: 'AGE', categoryOptions: [{ id: 'CoUnder5001' }, { id: 'CoOver50001' }] },
  ],
  categoryCombos: [
    ...SMALL_METADATA.categoryCombos,
    {
      id: 'CcSexAge001',
      name: 'Sexe et âge',
      code: 'CC_SEX_AGE',
      categories: [{ id: 'CatSex00001' }, { id: 'CatAge00001' }],
      categoryOptionCombos: [{ id: 'CocMU500001' }, { id: 'CocMO500001' }, { id: 'CocFU500001' }, { id: 'CocFO500001' }],
    },
  ],
  categoryOptionCombos: [
    ...SMALL_METADATA.categoryOptionCombos,
    // listed out of order on purpose: the form sorts them by the categories' options
    { id: 'CocFO500001', name: 'Female, 5 ans et plus', categoryOptions: [{ id: 'CoFemale001' }, { id: 'CoOver50001' }] },
    { id: 'CocMU500001', name: 'Male, Moins de 5 ans', categoryOptions: [{ id: 'CoMale00001' }, { id: 'CoUnder5001' }] },
    { id: 'CocMO500001', name: 'Male, 5 ans et plus', categoryOptions: [{ id: 'CoMale00001' }, { id: 'CoOver50001' }] },
    { id: 'CocFU500001', name: 'Female, Moins de 5 ans', categoryOptions: [{ id: 'CoFemale001' }, { id: 'CoUnder5001' }] },
  ],
  dataElements: [
    ...SMALL_METADATA.dataElements,
    { id: 'DeVisits001', name: 'Consultations prénatales (CPN)', formName: 'Consultas pré-natais – niño', code: 'DE_VIS', valueType: 'INTEGER_ZERO_OR_POSITIVE', aggregationType: 'SUM', categoryCombo: { id: 'CcSexAge001' } },
    { id: 'DeWeight001', name: 'Poids moyen (kg)', code: 'DE_W', valueType: 'NUMBER', aggregationType: 'AVERAGE', categoryCombo: { id: 'CcSexAge001' } },
    { id: 'DeTrueOnly1', name: 'Vaccination complète', code: 'DE_TO', valueType: 'TRUE_ONLY', aggregationType: 'COUNT', categoryCombo: { id: 'bjDvmb4bfuf' } },
    { id: 'DeLongTxt01', name: 'Remarques du cœur', code: 'DE_LT', valueType: 'LONG_TEXT', aggregationType: 'NONE', categoryCombo: { id: 'bjDvmb4bfuf' } },
  ],
  organisationUnits: [
    ...SMALL_METADATA.organisationUnits,
    { id: 'OuSaoJoao01', name: 'Centro de Saúde São João – Peñalolén', code: 'OU_SJ', shortName: 'São João', parent: { id: 'OuDistrict1' } },
  ],
  sections: [
    { id: 'SecPrenat01', name: 'Consultations prénatales', sortOrder: 1, dataSet: { id: 'DsSante0001' }, dataElements: [{ id: 'DeVisits001' }, { id: 'DeWeight001' }, { id: 'DeInteger01' }] },
    { id: 'SecQualit01', name: 'Qualité des soins', sortOrder: 2, dataSet: { id: 'DsSante0001' }, dataElements: [{ id: 'DeBool00001' }, { id: 'DeTrueOnly1' }, { id: 'DeColour001' }, { id: 'DeText00001' }, { id: 'DeLongTxt01' }] },
  ],
  dataSets: [
    ...SMALL_METADATA.dataSets,
    {
      id: 'DsSante0001',
      name: 'Santé maternelle — Formulário mensual',
      code: 'DS_SANTE',
      description: 'Rapport mensuel des établissements : consultations, qualité (é ç ã ñ œ).',
      periodType: 'Monthly',
      categoryCombo: { id: 'bjDvmb4bfuf' },
      dataSetElements: ['DeVisits001', 'DeWeight001', 'DeInteger01', 'DeBool00001', 'DeTrueOnly1', 'DeColour001', 'DeText00001', 'DeLongTxt01'].map((id) => ({ dataElement: { id } })),
      sections: [{ id: 'SecPrenat01' }, { id: 'SecQualit01' }],
      organisationUnits: [{ id: 'OuClinicA01' }, { id: 'OuSaoJoao01' }],
    },
  ],
};

/**
 * The test output folder, kept after the run (rendered pages for a person to look at): $FERRY_TEST_OUTPUT/pdf-form,
 * else <tmp>/ferry-test-output/pdf-form (the browser tests' screenshots are in <tmp> too).
 */
export function artefactDir(): string {
  const d = path.join(process.env.FERRY_TEST_OUTPUT ?? path.join(os.tmpdir(), 'ferry-test-output'), 'pdf-form');
  fs.mkdirSync(d, { recursive: true });
  return d;
}
