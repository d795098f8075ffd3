/**
 * The PDF form writer: DHIS2's field names and types (text, narrow number fields, combo boxes with export values,
 * TRUE_ONLY checkboxes with the "On" state), the read-only pre-filled org unit, the pre-selected period, grids of
 * option combos, page breaks that keep a section header with its rows, and text outside WinAnsi written safely.
 */
import { describe, expect, it } from 'vitest';
import { PDFCheckBox, PDFDocument, PDFDropdown, PDFName, PDFTextField } from '@cantoo/pdf-lib';
import { writePdfForm } from '../../../../src-main/formats/pdf-form/writer.ts';
import { readPdfFields, rowsFromFields } from '../../../../src-main/formats/pdf-form/reader.ts';
import type { DataSetForm, FormCombo, FormDataElement, PdfFormInput } from '../../../../src-main/formats/pdf-form/spec.ts';
import { sortCocs } from '../../../../src-main/db/repos/data-set-forms.ts';

const DEFAULT: FormCombo = { uid: 'bjDvmb4bfuf', name: 'default', isDefault: true, categories: [], cocs: [{ uid: 'HllvX50cXC0', name: 'default', optionUids: [] }] };
const sexAge: FormCombo = (() => {
  const categories = [
    { uid: 'CatSex00001', name: 'Sexe', options: [{ uid: 'CoM00000001', name: 'Masculin' }, { uid: 'CoF00000001', name: 'Féminin' }] },
    { uid: 'CatAge00001', name: 'Âge', options: [{ uid: 'CoU50000001', name: '< 5 ans' }, { uid: 'CoO50000001', name: '5 ans et +' }] },
  ];
  const cocs = [
    { uid: 'CocFO500001', name: 'Féminin, 5 ans et +', optionUids: ['CoF00000001', 'CoO50000001'] },
    { uid: 'CocMU500001', name: 'Masculin, < 5 ans', optionUids: ['CoM00000001', 'CoU50000001'] },
    { uid: 'CocFU500001', name: 'Féminin, < 5 ans', optionUids: ['CoU50000001', 'CoF00000001'] },
    { uid: 'CocMO500001', name: 'Masculin, 5 ans et +', optionUids: ['CoO50000001', 'CoM00000001'] },
  ];
  return { uid: 'CcSexAge001', name: 'Sexe et âge', isDefault: false, categories, cocs: sortCocs(categories, cocs) };
})();

const de = (uid: string, valueType: string, extra: Partial<FormDataElement> = {}): FormDataElement => ({
  uid,
  name: `Élément ${uid}`,
  formName: null,
  valueType,
  options: null,
  combo: DEFAULT,
  ...extra,
});

function input(form: DataSetForm, extra: Partial<PdfFormInput> = {}): PdfFormInput {
  return {
    form,
    orgUnit: null,
    periods: [
      { iso: '202610', label: 'October 2026 - 2026-10-01 - 2026-10-31' },
      { iso: '202611', label: 'November 2026 - 2026-11-01 - 2026-11-30' },
    ],
    period: null,
    footer: 'test form',
    ...extra,
  };
}

const FORM: DataSetForm = {
  uid: 'DsTest00001',
  name: 'Formulário de saúde — niños y œuvres',
  description: 'Données mensuelles (é ç ã ñ œ)',
  periodType: 'Monthly',
  sections: [
    { name: 'Consultations prénatales', dataElements: [de('DeVisits001', 'INTEGER', { combo: sexAge, formName: 'Consultas pré-natais' }), de('DeInt000001', 'NUMBER')] },
    {
      name: 'Qualité',
      dataElements: [
        de('DeBool00001', 'BOOLEAN'),
        de('DeTrueOnly1', 'TRUE_ONLY'),
        de('DeColour001', 'TEXT', { options: [{ code: 'RED', name: 'Rouge' }, { code: 'BLUE', name: 'Bleu' }] }),
        de('DeText00001', 'TEXT'),
        de('DeLong00001', 'LONG_TEXT'),
      ],
    },
  ],
};

async function fieldsOf(bytes: Uint8Array) {
  const doc = await PDFDocument.load(bytes);
  return new Map(doc.getForm().getFields().map((f) => [f.getName(), f]));
}

describe('PDF form writer', () => {
  it('names and types every field as DHIS2 does', async () => {
    const made = await writePdfForm(input(FORM));
    expect(made.fields).toBe(4 + 1 + 5);
    const fields = await fieldsOf(made.bytes);
    expect([...fields.keys()].sort()).toEqual(
      [
        'TXFD_OrgID',
        'TXFD_PeriodID',
        'TXFDDV_DeVisits001_CocMU500001',
        'TXFDDV_DeVisits001_CocMO500001',
        'TXFDDV_DeVisits001_CocFU500001',
        'TXFDDV_DeVisits001_CocFO500001',
        'TXFDDV_DeInt000001_HllvX50cXC0',
        'TXFDDV_DeBool00001_HllvX50cXC0',
        'TXFDDV_DeTrueOnly1_HllvX50cXC0_T4',
        'TXFDDV_DeColour001_HllvX50cXC0',
        'TXFDDV_DeText00001_HllvX50cXC0',
        'TXFDDV_DeLong00001_HllvX50cXC0',
      ].sort(),
    );
    expect(fields.get('TXFD_OrgID')).toBeInstanceOf(PDFTextField);
    expect(fields.get('TXFD_PeriodID')).toBeInstanceOf(PDFDropdown);
    expect(fields.get('TXFDDV_DeInt000001_HllvX50cXC0')).toBeInstanceOf(PDFTextField);
    expect(fields.get('TXFDDV_DeText00001_HllvX50cXC0')).toBeInstanceOf(PDFTextField);
    expect((fields.get('TXFDDV_DeLong00001_HllvX50cXC0') as PDFTextField).isMultiline()).toBe(true);
    expect(fields.get('TXFDDV_DeBool00001_HllvX50cXC0')).toBeInstanceOf(PDFDropdown);
    expect(fields.get('TXFDDV_DeColour001_HllvX50cXC0')).toBeInstanceOf(PDFDropdown);
    const cb = fields.get('TXFDDV_DeTrueOnly1_HllvX50cXC0_T4') as PDFCheckBox;
    expect(cb).toBeInstanceOf(PDFCheckBox);
    // DHIS2 reads the on state "On" (pdf-lib's own default is "Yes")
    expect(cb.acroField.getWidgets()[0]!.getOnValue()).toEqual(PDFName.of('On'));
    // the org unit is editable when not given; nothing is pre-filled
    expect((fields.get('TXFD_OrgID') as PDFTextField).isReadOnly()).toBe(false);
    expect((fields.get('TXFD_OrgID') as PDFTextField).getText()).toBeUndefined();
    // numbers are narrower than text fields
    const width = (n: string) => fields.get(n)!.acroField.getWidgets()[0]!.getRectangle().width;
    expect(width('TXFDDV_DeInt000001_HllvX50cXC0')).toBeLessThan(width('TXFDDV_DeText00001_HllvX50cXC0'));
  });

  it('gives combo boxes export values: ISO periods, true/false, option codes', async () => {
    const made = await writePdfForm(input(FORM));
    const f = await readPdfFields(made.bytes, 'form.pdf');
    const items = (n: string) => f[n]!.find((o) => o.type)!.items!.map((i) => [i.exportValue, i.displayValue]);
    expect(items('TXFD_PeriodID')).toEqual([
      ['202610', 'October 2026 - 2026-10-01 - 2026-10-31'],
      ['202611', 'November 2026 - 2026-11-01 - 2026-11-30'],
    ]);
    expect(items('TXFDDV_DeBool00001_HllvX50cXC0')).toEqual([
      ['', '[No Value]'],
      ['true', 'Yes'],
      ['false', 'No'],
    ]);
    expect(items('TXFDDV_DeColour001_HllvX50cXC0')).toEqual([
      ['', '[No Value]'],
      ['RED', 'Rouge'],
      ['BLUE', 'Bleu'],
    ]);
  });

  it('pre-fills and locks the org unit, pre-selects the period', async () => {
    const made = await writePdfForm(input(FORM, { orgUnit: { id: 'OuSaoJoao01', name: 'Centro de Saúde São João' }, period: '202611' }));
    const fields = await fieldsOf(made.bytes);
    const ou = fields.get('TXFD_OrgID') as PDFTextField;
    expect(ou.isReadOnly()).toBe(true);
    expect(ou.getText()).toBe('OuSaoJoao01');
    const f = await readPdfFields(made.bytes, 'form.pdf');
    expect(f.TXFD_PeriodID!.find((o) => o.type)!.value).toBe('202611');
    // an untouched pre-filled form reads as org unit + period with no values
    expect(rowsFromFields(f, 'form.pdf')).toEqual([]);
  });

  it('makes the period a text field when there are no periods to list (a period type Ferry does not know)', async () => {
    const made = await writePdfForm(input({ ...FORM, periodType: 'Fortnightly' }, { periods: [], period: null }));
    expect((await fieldsOf(made.bytes)).get('TXFD_PeriodID')).toBeInstanceOf(PDFTextField);
  });

  it('lays out a multi-category combo as a grid: option combos in the categories\' order, one header row per category', async () => {
    expect(sexAge.cocs.map((c) => c.uid)).toEqual(['CocMU500001', 'CocMO500001', 'CocFU500001', 'CocFO500001']);
    const made = await writePdfForm(input(FORM));
    const f = await readPdfFields(made.bytes, 'form.pdf');
    const rect = (n: string) => f[n]!.find((o) => o.type) as unknown as { rect: number[] };
    const grid = ['CocMU500001', 'CocMO500001', 'CocFU500001', 'CocFO500001'].map((c) => rect(`TXFDDV_DeVisits001_${c}`).rect);
    // one row (same y), columns left to right in the sorted order
    expect(new Set(grid.map((r) => Math.round(r[1]!))).size).toBe(1);
    const xs = grid.map((r) => r[0]!);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    // header rows name each category's options (Masculin/Féminin once each, spanning their age columns)
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await getDocument({ data: made.bytes.slice(), isEvalSupported: false, verbosity: 0 }).promise;
    const text = (await (await doc.getPage(1)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).filter(Boolean);
    await doc.destroy();
    expect(text.filter((s) => s === 'Masculin')).toHaveLength(1);
    expect(text.filter((s) => s === '< 5 ans')).toHaveLength(2);
    expect(text).toContain('Consultas pré-natais');
    expect(text).toContain('Formulário de saúde — niños y œuvres');
    expect(text).toContain('Données mensuelles (é ç ã ñ œ)');
  });

  it('keeps each section header on the page of its first rows, and repeats grid headers on a new page', async () => {
    const sections = Array.from({ length: 12 }, (_, s) => ({
      name: `Section ${s}`,
      dataElements: Array.from({ length: 7 }, (_, i) => de(`De${String(s).padStart(2, '0')}x${String(i).padStart(4, '0')}`, 'INTEGER', i % 2 ? {} : { combo: sexAge })),
    }));
    const made = await writePdfForm(input({ ...FORM, sections }));
    expect(made.pages).toBeGreaterThan(2);
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await getDocument({ data: made.bytes.slice(), isEvalSupported: false, verbosity: 0 }).promise;
    const f = (await doc.getFieldObjects())!;
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const items = (await page.getTextContent()).items.flatMap((i) => ('str' in i && i.str ? [{ s: i.str, y: i.transform[5] as number }] : []));
      for (const h of items.filter((i) => /^Section \d+$/.test(i.s))) {
        const s = Number(h.s.slice(8));
        const first = `TXFDDV_De${String(s).padStart(2, '0')}x0000_CocMU500001`;
        const w = f[first]!.find((o) => (o as { type?: string }).type) as unknown as { page: number; rect: number[] };
        expect(w.page, `${h.s} on page ${p}`).toBe(p - 1);
        expect(w.rect[1]!).toBeLessThan(h.y);
      }
      // every page that holds grid fields shows the grid's header (a category option) above them
      const hasGrid = Object.values(f).some((list) => list.some((o) => (o as { page?: number }).page === p - 1 && /_Coc/.test((o as { name?: string }).name ?? '')));
      if (hasGrid) expect(items.some((i) => i.s === 'Masculin')).toBe(true);
    }
    await doc.destroy();
  });

  it('writes A4 portrait pages and characters outside WinAnsi without failing', async () => {
    const made = await writePdfForm(input({ ...FORM, name: 'Đà Nẵng – Ελλάδα ✓ ﬁ', sections: [{ name: '', dataElements: [de('DeA00000001', 'TEXT', { name: 'Nội dung' })] }] }));
    const doc = await PDFDocument.load(made.bytes);
    const { width, height } = doc.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const pdf = await getDocument({ data: made.bytes.slice(), isEvalSupported: false, verbosity: 0 }).promise;
    const text = (await (await pdf.getPage(1)).getTextContent()).items.map((i) => ('str' in i ? i.str : ''));
    await pdf.destroy();
    // accents dropped where the font lacks the letter; unknown letters as "?"
    expect(text.join(' ')).toContain('Dà Nang – ?????? ? fi');
    expect(text.join(' ')).toContain('Noi dung');
  });
});
