/**
 * The PDF form reader: field objects → data value rows (org unit and period from the header fields, TRUE_ONLY "On" →
 * "true", off checkboxes and empty fields skipped, combo boxes by export value), and each refusal as BAD_FILE naming
 * the file: not a PDF, truncated, damaged, no form fields, no org unit or period field or value, over the size limit.
 */
import { describe, expect, it } from 'vitest';
import { PDFDocument } from '@cantoo/pdf-lib';
import { AppError } from '../../../../src-shared/errors.ts';
import { fieldValue, readPdfFields, readWhole, rowsFromFields, readPdfFormDataValues, type PdfFieldObject } from '../../../../src-main/formats/pdf-form/reader.ts';
import { pdfFormFormat } from '../../../../src-main/formats/pdf-form/index.ts';
import { detectFormat } from '../../../../src-main/io/detect.ts';
import { writePdfForm } from '../../../../src-main/formats/pdf-form/writer.ts';
import { rng } from '../../../helpers/seeded.ts';

const text = (value: string): PdfFieldObject[] => [{ type: '' }, { type: 'text', value }];
const combo = (value: string, items: [string, string][]): PdfFieldObject[] => [{ type: 'combobox', value, items: items.map(([exportValue, displayValue]) => ({ exportValue, displayValue })) }];
const checkbox = (value: string): PdfFieldObject[] => [{ type: 'checkbox', value, exportValues: 'On' }];

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('not refused');
}

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}

describe('PDF form fields → data value rows', () => {
  const header = { TXFD_OrgID: text(' OuClinicA01 '), TXFD_PeriodID: combo('202611', [['202610', 'October 2026'], ['202611', 'November 2026']]) };

  it('maps TXFDDV_<de>_<coc> fields to rows with the header org unit and period, naming the field', () => {
    const rows = rowsFromFields(
      {
        ...header,
        TXFDDV_DeInteger01_HllvX50cXC0: text('12'),
        TXFDDV_DeNumber001_CocMale0001: text('2.5'),
        TXFDDV_DeBool00001_HllvX50cXC0: combo('false', [['', '[No Value]'], ['true', 'Yes'], ['false', 'No']]),
        TXFDDV_DeTrueOnly1_HllvX50cXC0_T4: checkbox('On'),
        TXFDDV_DeColour001_HllvX50cXC0: combo('Bleu', [['', '[No Value]'], ['RED', 'Rouge'], ['BLUE', 'Bleu']]),
        TXFDDV_DeEmpty0001_HllvX50cXC0: text(''),
        TXFDDV_DeBlank0001_HllvX50cXC0: text('   '),
        TXFDDV_DeTrueOff01_HllvX50cXC0_T4: checkbox('Off'),
        TXFDDV_DeBoolNone1_HllvX50cXC0: combo('', [['', '[No Value]'], ['true', 'Yes']]),
        BTNFD_SaveAs: [{ type: 'button' }],
      },
      'clinic.pdf',
    );
    expect(rows.map((r) => [r.index, r.dataElement, r.categoryOptionCombo, r.orgUnit, r.period, r.value, r.field, r.comment, r.storedBy])).toEqual([
      [0, 'DeInteger01', 'HllvX50cXC0', 'OuClinicA01', '202611', '12', 'TXFDDV_DeInteger01_HllvX50cXC0', undefined, undefined],
      [1, 'DeNumber001', 'CocMale0001', 'OuClinicA01', '202611', '2.5', 'TXFDDV_DeNumber001_CocMale0001', undefined, undefined],
      [2, 'DeBool00001', 'HllvX50cXC0', 'OuClinicA01', '202611', 'false', 'TXFDDV_DeBool00001_HllvX50cXC0', undefined, undefined],
      [3, 'DeTrueOnly1', 'HllvX50cXC0', 'OuClinicA01', '202611', 'true', 'TXFDDV_DeTrueOnly1_HllvX50cXC0_T4', undefined, undefined],
      // a viewer that stored the display text: mapped back to the option code
      [4, 'DeColour001', 'HllvX50cXC0', 'OuClinicA01', '202611', 'BLUE', 'TXFDDV_DeColour001_HllvX50cXC0', undefined, undefined],
    ]);
  });

  it('takes the period typed as display text, and a checkbox on state other than On', () => {
    expect(fieldValue(combo('November 2026', [['202611', 'November 2026']])[0])).toBe('202611');
    expect(fieldValue(checkbox('Yes')[0])).toBe('Yes');
    expect(fieldValue(text('first line\rsecond\r\nthird')[1])).toBe('first line\nsecond\nthird');
    const rows = rowsFromFields({ ...header, TXFDDV_DeTrueOnly1_HllvX50cXC0_T4: checkbox('Yes') }, 'a.pdf');
    expect(rows.map((r) => r.value)).toEqual(['true']);
  });

  it('refuses a form without the org unit or period, with DHIS2\'s messages and the file name', () => {
    const refuse = (f: Record<string, PdfFieldObject[]>): string => {
      try {
        rowsFromFields(f, 'clinic.pdf');
      } catch (e) {
        expect((e as AppError).code).toBe('BAD_FILE');
        expect((e as AppError).details).toMatchObject({ file: 'clinic.pdf', messageKey: expect.stringMatching(/^pdf\./), messageParams: { file: 'clinic.pdf' } });
        return (e as AppError).message;
      }
      throw new Error('accepted');
    };
    expect(refuse({ ...header, TXFD_OrgID: text('') })).toBe(
      'clinic.pdf: The organisation unit was not specified (field TXFD_OrgID is empty: type the organisation unit\'s identifier in the form)',
    );
    expect(refuse({ ...header, TXFD_PeriodID: combo('', [['202611', 'November 2026']]) })).toBe(
      'clinic.pdf: The period was not specified. (field TXFD_PeriodID is empty: choose the period in the form)',
    );
    expect(refuse({ TXFD_PeriodID: header.TXFD_PeriodID, TXFDDV_DeInteger01_HllvX50cXC0: text('1') })).toMatch(/^clinic\.pdf: not a DHIS2 data entry form: it has no TXFD_OrgID field/);
    expect(refuse({ name: text('x') })).toMatch(/no TXFD_OrgID and no TXFD_PeriodID field/);
  });
});

describe('reading PDF files', () => {
  it('is the data reader of the pdf format, detected from the magic bytes', () => {
    expect(detectFormat(Buffer.from('%PDF-1.7\n'), 'a.pdf')).toEqual({ format: 'pdf', kind: 'data', module: 'pdf-form' });
    expect(pdfFormFormat.readers?.data).toBeTypeOf('function');
  });

  it('refuses a PDF with no form fields', async () => {
    const doc = await PDFDocument.create();
    doc.addPage().drawText('hello');
    const e = await refusal(readPdfFields(await doc.save(), 'letter.pdf'));
    expect(e.code).toBe('BAD_FILE');
    expect(e.message).toMatch(/^letter\.pdf: this PDF has no form fields: it is not a data entry form/);
  });

  it('refuses a truncated PDF and a damaged one', async () => {
    const doc = await PDFDocument.create();
    doc.getForm().createTextField('TXFD_OrgID').addToPage(doc.addPage());
    const bytes = await doc.save();
    const cut = await refusal(readPdfFields(bytes.subarray(0, Math.floor(bytes.length * 0.6)), 'cut.pdf'));
    expect(cut.message).toMatch(/^cut\.pdf: the PDF is truncated/);
    const garbage = new Uint8Array(Buffer.from('%PDF-1.7\n' + 'x'.repeat(500) + '\n%%EOF\n'));
    const broken = await refusal(readPdfFields(garbage, 'broken.pdf'));
    expect(broken.code).toBe('BAD_FILE');
    expect(broken.message).toMatch(/^broken\.pdf: (the PDF is damaged|this PDF has no form fields)/);
    expect((await refusal(readPdfFields(new Uint8Array(Buffer.from('hello')), 'x.pdf'))).message).toBe('x.pdf: not a PDF file');
  });

  it('reads a PDF whole but refuses one over the size limit', async () => {
    async function* big(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 5; i++) yield new Uint8Array(1000);
    }
    expect((await readWhole(big(), 'a.pdf', 5000)).length).toBe(5000);
    const e = await refusal(readWhole(big(), 'huge.pdf', 4999));
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toMatch(/^huge\.pdf: a PDF form is read whole, and this file is over/);
  });

  it('yields the rows of a filled form in batches', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage();
    const form = doc.getForm();
    const ou = form.createTextField('TXFD_OrgID');
    ou.setText('OuClinicA01');
    ou.addToPage(page, { y: 700 });
    const pe = form.createTextField('TXFD_PeriodID');
    pe.setText('202611');
    pe.addToPage(page, { y: 640 });
    const v = form.createTextField('TXFDDV_DeInteger01_HllvX50cXC0');
    v.setText('42');
    v.addToPage(page, { y: 580 });
    const batches = [];
    for await (const b of readPdfFormDataValues(once(await doc.save()), { fileName: 'f.pdf' })) batches.push(b);
    expect(batches.flatMap((b) => b.rows).map((r) => [r.dataElement, r.categoryOptionCombo, r.orgUnit, r.period, r.value])).toEqual([['DeInteger01', 'HllvX50cXC0', 'OuClinicA01', '202611', '42']]);
  });
});

describe('damaged forms', () => {
  it('200 seeded mutations of a filled form each read or are refused as BAD_FILE naming the file (never another error)', async () => {
    const made = await writePdfForm({
      form: {
        uid: 'DsTest00001',
        name: 'Form',
        description: null,
        periodType: 'Monthly',
        sections: [{ name: 'S', dataElements: ['DeA00000001', 'DeB00000001', 'DeC00000001'].map((uid, i) => ({ uid, name: uid, formName: null, valueType: ['INTEGER', 'TRUE_ONLY', 'BOOLEAN'][i]!, options: null, combo: { uid: 'bjDvmb4bfuf', name: 'default', isDefault: true, categories: [], cocs: [{ uid: 'HllvX50cXC0', name: 'default', optionUids: [] }] } })) }],
      },
      orgUnit: { id: 'OuClinicA01', name: 'Clinic A' },
      periods: [{ iso: '202611', label: 'November 2026' }],
      period: '202611',
      footer: 'x',
    });
    const doc = await PDFDocument.load(made.bytes);
    doc.getForm().getTextField('TXFDDV_DeA00000001_HllvX50cXC0').setText('12');
    const good = Buffer.from(await doc.save({ useObjectStreams: false }));
    const r = rng(11);
    const outcomes = { read: 0, refused: 0 };
    for (let n = 0; n < 200; n++) {
      const b = Buffer.from(good);
      const how = Math.floor(r() * 4);
      let bytes: Buffer;
      if (how === 0) bytes = b.subarray(0, Math.floor(r() * b.length));
      else if (how === 1) {
        for (let k = 0; k < 1 + Math.floor(r() * 20); k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
        bytes = b;
      } else if (how === 2) {
        const at = Math.floor(r() * b.length);
        bytes = Buffer.concat([b.subarray(0, at), b.subarray(at + Math.floor(r() * 2000))]);
      } else {
        const at = Math.floor(r() * b.length);
        bytes = Buffer.concat([b.subarray(0, at), Buffer.from('<< /T (TXFDDV_x) /V (' + '('.repeat(Math.floor(r() * 50)) + ') >>'), b.subarray(at)]);
      }
      try {
        const fields = await readPdfFields(new Uint8Array(bytes), `m${n}.pdf`);
        rowsFromFields(fields, `m${n}.pdf`);
        outcomes.read++;
      } catch (e) {
        expect(e, `mutation ${n} (${how})`).toBeInstanceOf(AppError);
        expect((e as AppError).code).toBe('BAD_FILE');
        expect((e as AppError).message.startsWith(`m${n}.pdf: `)).toBe(true);
        expect((e as AppError).message).not.toMatch(/of undefined|is not a function|Cannot read/);
        outcomes.refused++;
      }
    }
    expect(outcomes.read).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(20);
  }, 60_000);
});
