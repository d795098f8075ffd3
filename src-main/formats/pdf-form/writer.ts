/**
 * Makes a PDF data entry form (AcroForm) for a data set, with DHIS2's field names and types (spec §8) so that DHIS2
 * and Ferry both import it filled: `TXFD_OrgID` (text; pre-filled and read-only when the org unit is given),
 * `TXFD_PeriodID` (combo box: display "<name> - <start> - <end>", export value the ISO period),
 * `TXFDDV_<de>_<coc>` per data element × category option combo — a text field (narrow for numbers), a combo box for
 * booleans ("[No Value]"/"Yes"/"No" → ""/true/false) and option sets (option name → code), a checkbox for TRUE_ONLY
 * (name suffix `_T4`, on state `On`).
 *
 * Layout: A4 portrait, title and description, the two header fields, then one block per section (or one block of all
 * data elements). Data elements with the default category combo are label/field rows; those with another combo
 * become a grid (one row per data element, one column per option combo, a header row per category), cut into column
 * groups when too wide. A page break never separates a section header from its first rows, and a grid continued on
 * a new page repeats its header rows. Text uses the standard Helvetica fonts (WinAnsi: the Latin letters of French,
 * Portuguese and Spanish names, é ç ã ñ œ …); a character they lack is written without its accent, or as "?".
 *
 * Written with @cantoo/pdf-lib (the maintained fork of pdf-lib 1.17, same AcroForm API).
 */
import {
  PDFAcroCheckBox,
  PDFAcroComboBox,
  PDFAcroText,
  PDFCheckBox,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFTextField,
  StandardFonts,
  TextAlignment,
  defaultDropdownAppearanceProvider,
  rgb,
  PDFDropdown,
  type PDFFont,
  type PDFPage,
} from '@cantoo/pdf-lib';
import {
  CHECKBOX_ON,
  NUMERIC_VALUE_TYPES,
  ORG_UNIT_FIELD,
  PERIOD_FIELD,
  valueFieldName,
  type FormCombo,
  type FormDataElement,
  type PdfFormInput,
} from './spec.ts';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = { left: 40, right: 40, top: 40, bottom: 48 };
const WIDTH = A4[0] - MARGIN.left - MARGIN.right;
const BODY = 9;
const SMALL = 7.5;
const LINE = 11;
const FIELD_H = 14;
const LABEL_W = 190;
const GRID_LABEL_W = 150;
const GREY = rgb(0.55, 0.55, 0.55);
const RULE = rgb(0.8, 0.8, 0.8);
const FIELD_BG = rgb(0.96, 0.96, 0.96);
const FIELD_BORDER = rgb(0.25, 0.25, 0.25);
const HEAD_BG = rgb(0.92, 0.94, 0.97);
const BOOLEAN_CHOICES: [string, string][] = [
  ['', '[No Value]'],
  ['true', 'Yes'],
  ['false', 'No'],
];

export interface PdfFormResult {
  bytes: Uint8Array;
  pages: number;
  /** value fields (data element × option combo) */
  fields: number;
}

/** Lays out the form and returns the PDF bytes. `now` stamps the document (creation date). */
export async function writePdfForm(input: PdfFormInput, now: Date = new Date()): Promise<PdfFormResult> {
  const doc = await PDFDocument.create();
  doc.setTitle(input.form.name);
  doc.setSubject(`DHIS2 data entry form for ${input.form.name} (${input.form.uid})`);
  doc.setCreator('Ferry');
  doc.setProducer('Ferry (@cantoo/pdf-lib)');
  doc.setCreationDate(now);
  doc.setModificationDate(now);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const l = new Layout(doc, font, bold);
  l.header(input);
  for (const section of input.form.sections) l.section(section.name, section.dataElements);
  const fields = l.valueFields();
  if (fields === 0) l.note('This data set has no data elements.');
  l.footers(input.footer);
  const bytes = await doc.save({ updateFieldAppearances: false });
  return { bytes, pages: doc.getPageCount(), fields };
}

/** What a block of rows needs: data elements with the default combo are rows, the others grids per combo. */
type Block = { kind: 'rows'; des: FormDataElement[] } | { kind: 'grid'; combo: FormCombo; des: FormDataElement[] };

function blocksOf(des: FormDataElement[]): Block[] {
  const out: Block[] = [];
  for (const de of des) {
    const last = out[out.length - 1];
    if (de.combo.isDefault || de.combo.cocs.length <= 1) {
      if (last?.kind === 'rows') last.des.push(de);
      else out.push({ kind: 'rows', des: [de] });
    } else if (last?.kind === 'grid' && last.combo.uid === de.combo.uid) last.des.push(de);
    else out.push({ kind: 'grid', combo: de.combo, des: [de] });
  }
  return out;
}

class Layout {
  private page!: PDFPage;
  private y = 0;
  private readonly form;
  private readonly charsets = new Map<PDFFont, Set<number>>();
  /** value fields made so far (a data element in two sections: one field, two widgets) */
  private readonly made = new Map<string, PDFTextField | PDFDropdown | PDFCheckBox>();

  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.form = doc.getForm();
    this.newPage();
  }

  /** the value fields made (each data element × option combo once) */
  valueFields(): number {
    return this.made.size;
  }

  private newPage(): void {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN.top;
  }

  /** a new page unless `h` points still fit on this one */
  private ensure(h: number): boolean {
    if (this.y - h >= MARGIN.bottom) return false;
    this.newPage();
    return true;
  }

  // ---------- text ----------

  /** The text with every character the font cannot write replaced (accent dropped, else "?"). */
  safe(text: string, font: PDFFont = this.font): string {
    let set = this.charsets.get(font);
    if (!set) this.charsets.set(font, (set = new Set(font.getCharacterSet())));
    let out = '';
    for (const ch of text.replace(/[\r\n\t]+/g, ' ')) {
      const cp = ch.codePointAt(0)!;
      if (set.has(cp)) out += ch;
      else {
        const base = STROKED[ch] ?? ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
        out += base && [...base].every((c) => set.has(c.codePointAt(0)!)) ? base : '?';
      }
    }
    return out;
  }

  /** Lines of at most `width` points (words kept whole unless longer than a line). */
  wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const words = this.safe(text, font).split(' ').filter((w) => w !== '');
    const lines: string[] = [];
    let line = '';
    const fits = (s: string): boolean => font.widthOfTextAtSize(s, size) <= width;
    for (let w of words) {
      const candidate = line ? `${line} ${w}` : w;
      if (fits(candidate)) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      while (!fits(w)) {
        let n = w.length - 1;
        while (n > 1 && !fits(w.slice(0, n))) n--;
        lines.push(w.slice(0, n));
        w = w.slice(n);
      }
      line = w;
    }
    if (line) lines.push(line);
    return lines.length ? lines : [''];
  }

  private text(lines: string[], x: number, top: number, font: PDFFont, size: number, color = rgb(0, 0, 0), width?: number, align: 'left' | 'center' = 'left'): void {
    lines.forEach((s, i) => {
      const dx = align === 'center' && width ? Math.max(0, (width - font.widthOfTextAtSize(s, size)) / 2) : 0;
      this.page.drawText(s, { x: x + dx, y: top - size - i * (size + 2), size, font, color });
    });
  }

  note(s: string): void {
    const lines = this.wrap(s, this.font, BODY, WIDTH);
    this.ensure(lines.length * LINE + 6);
    this.text(lines, MARGIN.left, this.y, this.font, BODY, GREY);
    this.y -= lines.length * LINE + 6;
  }

  // ---------- header ----------

  header(input: PdfFormInput): void {
    const title = this.wrap(input.form.name, this.bold, 16, WIDTH);
    this.text(title, MARGIN.left, this.y, this.bold, 16);
    this.y -= title.length * 19 + 4;
    if (input.form.description) {
      const d = this.wrap(input.form.description, this.font, BODY, WIDTH);
      this.text(d, MARGIN.left, this.y, this.font, BODY, GREY);
      this.y -= d.length * LINE + 4;
    }
    this.y -= 8;

    // organisation unit
    const labelW = 140;
    const rowH = FIELD_H + 8;
    this.text(['Organisation unit identifier'], MARGIN.left, this.y - 4, this.bold, BODY);
    const ou = this.textField(ORG_UNIT_FIELD);
    if (input.orgUnit) ou.setText(this.safe(input.orgUnit.id));
    ou.addToPage(this.page, { ...this.box(MARGIN.left + labelW, this.y - 2 - FIELD_H, 160, FIELD_H), font: this.font });
    if (input.orgUnit) {
      ou.enableReadOnly();
      const name = this.wrap(input.orgUnit.name, this.font, BODY, WIDTH - labelW - 170);
      this.text([name[0]!], MARGIN.left + labelW + 168, this.y - 4, this.font, BODY);
    } else {
      this.text(['type the UID of the organisation unit'], MARGIN.left + labelW + 168, this.y - 4, this.font, SMALL, GREY);
    }
    this.y -= rowH;

    // period
    this.text(['Period'], MARGIN.left, this.y - 4, this.bold, BODY);
    const peBox = { ...this.box(MARGIN.left + labelW, this.y - 2 - FIELD_H, 260, FIELD_H), font: this.font };
    if (input.periods.length) {
      const pe = this.dropdown(PERIOD_FIELD);
      pe.addToPage(this.page, peBox);
      this.choices(pe, input.periods.map((p) => [p.iso, p.label]));
      const chosen = input.period ? input.periods.find((p) => p.iso === input.period) : undefined;
      if (chosen) this.select(pe, chosen.iso, chosen.label);
      this.text([input.form.periodType], MARGIN.left + labelW + 268, this.y - 4, this.font, SMALL, GREY);
    } else {
      // a period type Ferry cannot list: the facility types the ISO period
      const pe = this.textField(PERIOD_FIELD);
      if (input.period) pe.setText(input.period);
      pe.addToPage(this.page, peBox);
      this.text([`${input.form.periodType}: type the period (e.g. 202611)`], MARGIN.left + labelW + 268, this.y - 4, this.font, SMALL, GREY);
    }
    this.y -= rowH + 6;
  }

  // pdf-lib's form.createTextField (…) checks the new name against every field made before: quadratic, 1 s for a
  // form of 300 fields. Field names here are unique by construction (one per data element × option combo; a data
  // element shown twice gets a second widget of the same field), so fields are made directly.
  private textField(name: string): PDFTextField {
    const acro = PDFAcroText.create(this.doc.context);
    acro.setPartialName(name);
    this.form.acroForm.addField(acro.ref);
    return PDFTextField.of(acro, acro.ref, this.doc);
  }

  private dropdown(name: string): PDFDropdown {
    const acro = PDFAcroComboBox.create(this.doc.context);
    acro.setPartialName(name);
    this.form.acroForm.addField(acro.ref);
    return PDFDropdown.of(acro, acro.ref, this.doc);
  }

  private checkBox(name: string): PDFCheckBox {
    const acro = PDFAcroCheckBox.create(this.doc.context);
    acro.setPartialName(name);
    this.form.acroForm.addField(acro.ref);
    return PDFCheckBox.of(acro, acro.ref, this.doc);
  }

  private box(x: number, y: number, width: number, height: number) {
    return { x, y, width, height, borderWidth: 0.75, borderColor: FIELD_BORDER, backgroundColor: FIELD_BG };
  }

  /** Choices as [export value, display] pairs (what DHIS2's combo boxes hold). */
  private choices(dd: PDFDropdown, pairs: [string, string][]): void {
    dd.acroField.setOptions(pairs.map(([value, display]) => ({ value: PDFHexString.fromText(value), display: PDFHexString.fromText(this.safe(display)) })));
  }

  /** Pre-selects an export value, its display text in the appearance. */
  private select(dd: PDFDropdown, value: string, display: string): void {
    dd.acroField.dict.set(PDFName.of('V'), PDFHexString.fromText(value));
    const shown = this.safe(display);
    const proxy = Object.create(dd) as PDFDropdown;
    proxy.getSelected = () => [shown];
    dd.updateAppearances(this.font, (_f, widget, font) => defaultDropdownAppearanceProvider(proxy, widget, font));
  }

  // ---------- sections ----------

  /** Lays out one section; returns the number of value fields made. */
  section(name: string, des: FormDataElement[]): number {
    const blocks = blocksOf(des);
    const headH = name ? 24 : 8;
    // keep the header with the first block's first rows
    const first = blocks[0];
    const firstH = !first ? 0 : first.kind === 'rows' ? this.rowHeight(first.des[0]!) : this.gridHeadHeight(first.combo, this.gridChunks(first)[0]!) + this.gridRowHeight(first.des[0]!);
    this.ensure(headH + firstH);
    if (name) {
      this.y -= 6;
      const lines = this.wrap(name, this.bold, 11, WIDTH);
      this.text(lines, MARGIN.left, this.y, this.bold, 11, rgb(0.1, 0.2, 0.45));
      this.y -= lines.length * 14 + 2;
      this.page.drawLine({ start: { x: MARGIN.left, y: this.y }, end: { x: MARGIN.left + WIDTH, y: this.y }, thickness: 0.75, color: rgb(0.1, 0.2, 0.45) });
      this.y -= 4;
    } else this.y -= headH;
    let n = 0;
    for (const b of blocks) n += b.kind === 'rows' ? this.rows(b.des) : this.grid(b);
    this.y -= 6;
    return n;
  }

  private label(de: FormDataElement): string {
    return de.formName ?? de.name;
  }

  /** a row's label: the form name or name, and (as DHIS2 writes it) the option combo's name unless it is the default */
  private rowLabel(de: FormDataElement): string {
    const coc = de.combo.cocs[0];
    return de.combo.isDefault || !coc ? this.label(de) : `${this.label(de)} ${coc.name}`;
  }

  private rowHeight(de: FormDataElement): number {
    return Math.max(FIELD_H + 6, this.wrap(this.rowLabel(de), this.font, BODY, LABEL_W - 8).length * LINE + 6);
  }

  /** label / field rows (default category combo) */
  private rows(des: FormDataElement[]): number {
    let n = 0;
    for (const de of des) {
      const h = this.rowHeight(de);
      this.ensure(h);
      const top = this.y;
      this.page.drawRectangle({ x: MARGIN.left, y: top - h, width: WIDTH, height: h, borderColor: RULE, borderWidth: 0.5 });
      this.text(this.wrap(this.rowLabel(de), this.font, BODY, LABEL_W - 8), MARGIN.left + 4, top - 3, this.font, BODY);
      const coc = de.combo.cocs[0]?.uid ?? 'HllvX50cXC0';
      const fieldW = NUMERIC_VALUE_TYPES.has(de.valueType) ? 70 : de.valueType === 'TRUE_ONLY' ? 11 : 200;
      this.field(de, coc, MARGIN.left + LABEL_W, top - (h + (de.valueType === 'TRUE_ONLY' ? 11 : FIELD_H)) / 2, fieldW);
      this.hint(de, MARGIN.left + LABEL_W + fieldW + 8, top - 4);
      this.y -= h;
      n++;
    }
    return n;
  }

  /** a small grey note after a field: the value type when it is not plain text or a number */
  private hint(de: FormDataElement, x: number, top: number): void {
    const t = VALUE_TYPE_HINTS[de.valueType];
    if (!t || x > MARGIN.left + WIDTH - 40) return;
    this.text([t], x, top - 1, this.font, SMALL, GREY);
  }

  // ---------- grids ----------

  private colWidthMin(des: FormDataElement[]): number {
    return des.every((d) => NUMERIC_VALUE_TYPES.has(d.valueType) || d.valueType === 'TRUE_ONLY') ? 46 : 96;
  }

  /** the option combos of a grid in column groups that fit the page width */
  private gridChunks(b: Extract<Block, { kind: 'grid' }>): FormCombo['cocs'][] {
    const per = Math.max(1, Math.floor((WIDTH - GRID_LABEL_W) / this.colWidthMin(b.des)));
    const chunks: FormCombo['cocs'][] = [];
    for (let i = 0; i < b.combo.cocs.length; i += per) chunks.push(b.combo.cocs.slice(i, i + per));
    return chunks;
  }

  /** header rows: one per category (options merged over the columns they span), or one of option combo names */
  private headerRows(combo: FormCombo, cocs: FormCombo['cocs']): { label: string; cells: { text: string; span: number }[] }[] {
    const matched = cocs.every((c) => c.optionUids.length === combo.categories.length && combo.categories.length > 0);
    if (!matched) return [{ label: combo.name, cells: cocs.map((c) => ({ text: c.name, span: 1 })) }];
    return combo.categories.map((cat, level) => {
      const cells: { text: string; span: number }[] = [];
      let prevKey = '';
      for (const c of cocs) {
        // columns merge while every category up to this level has the same option
        const key = combo.categories.slice(0, level + 1).map((k) => k.options.find((o) => c.optionUids.includes(o.uid))?.uid ?? '?').join('/');
        const opt = cat.options.find((o) => c.optionUids.includes(o.uid));
        const last = cells[cells.length - 1];
        if (last && key === prevKey) last.span++;
        else cells.push({ text: opt?.name ?? '?', span: 1 });
        prevKey = key;
      }
      return { label: cat.name, cells };
    });
  }

  private gridHeadHeight(combo: FormCombo, cocs: FormCombo['cocs']): number {
    const colW = (WIDTH - GRID_LABEL_W) / cocs.length;
    let h = 0;
    for (const r of this.headerRows(combo, cocs)) {
      const lines = Math.max(...r.cells.map((c) => this.wrap(c.text, this.bold, SMALL, c.span * colW - 4).length), 1);
      h += lines * (SMALL + 2) + 6;
    }
    return h;
  }

  private gridRowHeight(de: FormDataElement): number {
    return Math.max(FIELD_H + 6, this.wrap(this.label(de), this.font, BODY, GRID_LABEL_W - 8).length * LINE + 6);
  }

  private drawGridHead(combo: FormCombo, cocs: FormCombo['cocs']): void {
    const colW = (WIDTH - GRID_LABEL_W) / cocs.length;
    for (const r of this.headerRows(combo, cocs)) {
      const lines = r.cells.map((c) => this.wrap(c.text, this.bold, SMALL, c.span * colW - 4));
      const h = Math.max(...lines.map((x) => x.length), 1) * (SMALL + 2) + 6;
      const top = this.y;
      this.page.drawRectangle({ x: MARGIN.left, y: top - h, width: WIDTH, height: h, color: HEAD_BG, borderColor: RULE, borderWidth: 0.5 });
      this.text(this.wrap(r.label, this.font, SMALL, GRID_LABEL_W - 8).slice(0, 2), MARGIN.left + 4, top - 3, this.font, SMALL, GREY);
      let x = MARGIN.left + GRID_LABEL_W;
      r.cells.forEach((c, i) => {
        const w = c.span * colW;
        this.page.drawLine({ start: { x, y: top }, end: { x, y: top - h }, thickness: 0.5, color: RULE });
        this.text(lines[i]!, x + 2, top - 3, this.bold, SMALL, rgb(0, 0, 0), w - 4, 'center');
        x += w;
      });
      this.y -= h;
    }
  }

  private grid(b: Extract<Block, { kind: 'grid' }>): number {
    let n = 0;
    const chunks = this.gridChunks(b);
    chunks.forEach((cocs, ci) => {
      const colW = (WIDTH - GRID_LABEL_W) / cocs.length;
      if (ci > 0) this.y -= 4;
      this.ensure(this.gridHeadHeight(b.combo, cocs) + this.gridRowHeight(b.des[0]!));
      this.drawGridHead(b.combo, cocs);
      for (const de of b.des) {
        const h = this.gridRowHeight(de);
        if (this.ensure(h)) this.drawGridHead(b.combo, cocs);
        const top = this.y;
        this.page.drawRectangle({ x: MARGIN.left, y: top - h, width: WIDTH, height: h, borderColor: RULE, borderWidth: 0.5 });
        this.text(this.wrap(this.label(de), this.font, BODY, GRID_LABEL_W - 8), MARGIN.left + 4, top - 3, this.font, BODY);
        cocs.forEach((coc, i) => {
          const x = MARGIN.left + GRID_LABEL_W + i * colW;
          this.page.drawLine({ start: { x, y: top }, end: { x, y: top - h }, thickness: 0.5, color: RULE });
          const fh = de.valueType === 'TRUE_ONLY' ? 11 : FIELD_H;
          const fw = de.valueType === 'TRUE_ONLY' ? 11 : Math.min(colW - 6, NUMERIC_VALUE_TYPES.has(de.valueType) ? 70 : 200);
          this.field(de, coc.uid, x + (colW - fw) / 2, top - (h + fh) / 2, fw);
          n++;
        });
        this.y -= h;
      }
    });
    return n;
  }

  // ---------- fields ----------

  /** One value field at (x, y) (bottom left), typed after the data element's value type. */
  private field(de: FormDataElement, coc: string, x: number, y: number, width: number): void {
    const name = valueFieldName(de.uid, coc, de.valueType);
    const again = this.made.get(name);
    if (de.valueType === 'TRUE_ONLY') {
      const cb = (again as PDFCheckBox | undefined) ?? this.checkBox(name);
      this.made.set(name, cb);
      cb.addToPage(this.page, { x, y, width: 11, height: 11, borderWidth: 0.75, borderColor: FIELD_BORDER, backgroundColor: rgb(1, 1, 1) });
      const widgets = cb.acroField.getWidgets();
      renameOnState(widgets[widgets.length - 1]!.dict, CHECKBOX_ON);
      return;
    }
    if (de.valueType === 'BOOLEAN' || de.options) {
      const dd = (again as PDFDropdown | undefined) ?? this.dropdown(name);
      this.made.set(name, dd);
      dd.addToPage(this.page, { ...this.box(x, y, width, FIELD_H), font: this.font });
      if (!again) this.choices(dd, de.valueType === 'BOOLEAN' && !de.options ? BOOLEAN_CHOICES : [['', '[No Value]'], ...de.options!.map((o): [string, string] => [o.code, o.name])]);
      return;
    }
    const tf = (again as PDFTextField | undefined) ?? this.textField(name);
    this.made.set(name, tf);
    if (NUMERIC_VALUE_TYPES.has(de.valueType)) tf.setAlignment(TextAlignment.Right);
    if (de.valueType === 'LONG_TEXT') tf.enableMultiline();
    tf.addToPage(this.page, { ...this.box(x, y, width, FIELD_H), font: this.font });
  }

  // ---------- footers ----------

  footers(text: string): void {
    const pages = this.doc.getPages();
    pages.forEach((p, i) => {
      const s = this.safe(`${text} — page ${i + 1} of ${pages.length}`);
      const w = this.font.widthOfTextAtSize(s, SMALL);
      p.drawText(s, { x: A4[0] - MARGIN.right - w, y: 24, size: SMALL, font: this.font, color: GREY });
    });
  }
}

const VALUE_TYPE_HINTS: Record<string, string> = {
  DATE: 'yyyy-MM-dd',
  DATETIME: 'yyyy-MM-ddTHH:mm',
  TIME: 'HH:mm',
  PERCENTAGE: '0–100',
  UNIT_INTERVAL: '0–1',
  INTEGER_POSITIVE: '> 0',
  INTEGER_NEGATIVE: '< 0',
  INTEGER_ZERO_OR_POSITIVE: '>= 0',
  PHONE_NUMBER: 'phone',
  EMAIL: 'e-mail',
  URL: 'URL',
};

/** letters with a stroke, which have no decomposition */
const STROKED: Record<string, string> = { Đ: 'D', đ: 'd', Ł: 'L', ł: 'l', Ħ: 'H', ħ: 'h', ı: 'i', Ø: 'Ø', ø: 'ø' };

/** pdf-lib names a checkbox's on state "Yes"; DHIS2 writes and reads "On". */
function renameOnState(widget: PDFDict, on: string): void {
  const ap = widget.lookupMaybe(PDFName.of('AP'), PDFDict);
  if (!ap) return;
  for (const k of ['N', 'D']) {
    const d = ap.lookupMaybe(PDFName.of(k), PDFDict);
    const yes = d?.get(PDFName.of('Yes'));
    if (d && yes) {
      d.set(PDFName.of(on), yes);
      d.delete(PDFName.of('Yes'));
    }
  }
}
