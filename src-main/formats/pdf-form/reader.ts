/**
 * Reads a filled PDF data entry form (spec §8) as data value rows: the AcroForm fields through pdfjs-dist's legacy
 * build (Node), `TXFD_OrgID` and `TXFD_PeriodID` as every row's org unit and period (the import resolves the org unit
 * with its orgUnitIdScheme), one row per filled `TXFDDV_<de>_<coc>` field. A TRUE_ONLY checkbox (`…_T4`) that is on
 * gives "true"; a checkbox that is off and an empty field give no row (DHIS2 ≤ 2.42 made comment-only values of
 * them; Ferry imports what was filled in, as 2.43 does). A combo box holds its export value (the ISO period, the
 * option code, true/false); a viewer that stored the display text is mapped back to the export value.
 *
 * A PDF cannot be streamed: it is read whole, up to MAX_PDF_BYTES. Every refusal is BAD_FILE (or TOO_LARGE) naming the
 * file, before any row: not a PDF, damaged or truncated, password protected, no form fields, no org unit or period.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppError } from '../../../src-shared/errors.ts';
import type { ErrorKey, ErrorParams } from '../../../src-shared/i18n/error-messages.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { newRow, type DataValueBatch, type DataValueRow } from '../data-value-row.ts';
import { sizeParams } from '../shared/limits.ts';
import { CHECKBOX_ON, ORG_UNIT_FIELD, PERIOD_FIELD, VALUE_FIELD_PREFIX } from './spec.ts';

/** A filled form is tens of KB; scanned attachments make a few MB. */
export const MAX_PDF_BYTES = 32 << 20;

/** One field as pdfjs-dist's getFieldObjects() gives it (the terminal field or its widget). */
export interface PdfFieldObject {
  type?: string;
  value?: unknown;
  exportValues?: unknown;
  items?: { exportValue?: unknown; displayValue?: unknown }[];
  name?: string;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
/** pdfjs's worker module (no type declarations ship for it) */
const WORKER_MODULE: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
let pdfjs: Promise<PdfJs> | null = null;
let fontDir: string | null = null;

function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= keepingBuiltins(async () => {
    const lib = await import('pdfjs-dist/legacy/build/pdf.mjs');
    // the worker side too (Node runs it on this thread): loaded here, so that its own polyfills are undone as well,
    // and handed to pdfjs the way it looks for a worker already loaded (globalThis.pdfjsWorker)
    const worker = (await import(WORKER_MODULE)) as unknown;
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= worker;
    return lib;
  });
  return pdfjs;
}

/**
 * pdfjs-dist's legacy build carries core-js polyfills that, on Node 20, REPLACE built-ins of the whole thread with
 * JavaScript versions: Array.prototype.push, JSON.parse, JSON.stringify (measured: push alone took 10% of a job's
 * time). The job's other code (the importer, every JSON reader) would run on them. Built-ins that exist before the
 * import are put back after it; what the polyfills add (Promise.withResolvers, Map.prototype.getOrInsertComputed,
 * Uint8Array.prototype.toHex …, which pdfjs needs on Node 20) stays.
 */
async function keepingBuiltins<T>(load: () => Promise<T>): Promise<T> {
  const typed = Object.getPrototypeOf(Uint8Array.prototype) as object;
  const holders: object[] = [Array, Array.prototype, Object, Object.prototype, JSON, Math, Number, Number.prototype, String, String.prototype, Promise, Promise.prototype, Map.prototype, Set.prototype, typed, Uint8Array.prototype, ArrayBuffer.prototype, Function.prototype, RegExp.prototype, Date.prototype];
  const saved = holders.map((h) => new Map(Reflect.ownKeys(h).map((k) => [k, Object.getOwnPropertyDescriptor(h, k)!])));
  try {
    return await load();
  } finally {
    holders.forEach((h, i) => {
      for (const [k, d] of saved[i]!) {
        const now = Object.getOwnPropertyDescriptor(h, k);
        if (now && (now.value !== d.value || now.get !== d.get || now.set !== d.set)) Object.defineProperty(h, k, d);
      }
    });
  }
}

/**
 * One pdfjs worker (in Node a "fake" one on this thread) for every PDF the job reads: each getDocument without one
 * sets up its own, which imports pdfjs's worker module again (under tsx, in a job worker, that tripled the time of
 * 100 forms).
 */
let pdfWorker: InstanceType<PdfJs['PDFWorker']> | null = null;
function sharedWorker(lib: PdfJs): InstanceType<PdfJs['PDFWorker']> {
  if (!pdfWorker || pdfWorker.destroyed) pdfWorker = new lib.PDFWorker({ verbosity: 0 });
  return pdfWorker;
}

/** pdfjs-dist's standard font data (asar-unpacked in the packaged app; see electron-builder.yml). */
function standardFontDir(): string {
  if (fontDir) return fontDir;
  const pkg = createRequire(import.meta.url).resolve('pdfjs-dist/package.json');
  fontDir = path.join(path.dirname(pkg), 'standard_fonts').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`) + path.sep;
  return fontDir;
}

/** The whole file (refused over `max` bytes). */
export async function readWhole(chunks: AsyncIterable<Uint8Array>, fileName: string, max = MAX_PDF_BYTES): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of chunks) {
    n += c.length;
    if (n > max) {
      throw ferryError('TOO_LARGE', 'pdf.tooLarge', { file: fileName, ...sizeParams(max) }, {
        file: fileName,
      });
    }
    parts.push(c);
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const bad = (fileName: string, key: ErrorKey, params: ErrorParams = {}): AppError => ferryError('BAD_FILE', key, { file: fileName, ...params }, { file: fileName });

/** The AcroForm fields of a PDF: name → its pdfjs objects. Throws BAD_FILE for what is not a readable form. */
export async function readPdfFields(data: Uint8Array, fileName: string): Promise<Record<string, PdfFieldObject[]>> {
  if (Buffer.from(data.subarray(0, 5)).toString('latin1') !== '%PDF-') throw bad(fileName, 'pdf.notPdf');
  // pdfjs repairs damaged files silently: a form cut short (an interrupted copy or download) could lose fields
  // unnoticed, so a file must end with its end-of-file marker
  const tail = Buffer.from(data.subarray(Math.max(0, data.length - 2048))).toString('latin1');
  if (!tail.includes('%%EOF')) throw bad(fileName, 'pdf.truncated');
  const lib = await loadPdfJs();
  let doc: Awaited<ReturnType<PdfJs['getDocument']>['promise']> | null = null;
  try {
    // pdfjs takes (detaches) the buffer it is given: hand it a copy
    doc = await lib.getDocument({
      data: data.slice(),
      standardFontDataUrl: standardFontDir(),
      isEvalSupported: false,
      disableFontFace: true,
      worker: sharedWorker(lib),
      // the whole file is in memory: no range requests or streaming
      disableAutoFetch: true,
      disableStream: true,
      verbosity: 0,
    }).promise;
    const fields = (await doc.getFieldObjects()) as Record<string, PdfFieldObject[]> | null;
    if (!fields || !Object.keys(fields).length) throw bad(fileName, 'pdf.noFields');
    return fields;
  } catch (e) {
    if (e instanceof AppError) throw e;
    const name = (e as { name?: string })?.name;
    if (name === 'PasswordException') throw bad(fileName, 'pdf.password');
    // pdfjs's own words for a broken structure ("Invalid PDF structure."); never a JavaScript error's text
    if (name === 'InvalidPDFException' || name === 'FormatError') throw bad(fileName, 'pdf.damagedWhy', { detail: wellFormed(String((e as Error).message)).slice(0, 200) });
    throw bad(fileName, 'pdf.damaged');
  } finally {
    await doc?.destroy().catch(() => undefined);
  }
}

/** Text as a well-formed string (a damaged UTF-16 string in a PDF can hold lone surrogates): those become U+FFFD. */
export function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** The field's own object (pdfjs lists the field dictionary and its widgets; the widget carries the type). */
function terminal(objs: PdfFieldObject[] | undefined): PdfFieldObject | undefined {
  if (!objs?.length) return undefined;
  return objs.find((o) => o.type && o.type !== '') ?? objs.find((o) => o.value !== undefined) ?? objs[0];
}

/** The value of a field as DHIS2 reads it: text, a combo box's export value, a checkbox's on state ('' when off). */
export function fieldValue(o: PdfFieldObject | undefined): string {
  if (!o) return '';
  let v = o.value;
  if (Array.isArray(v)) v = v[0];
  if (v == null) return '';
  // (PDF readers end the lines of a multi-line field with CR)
  let s = wellFormed(String(v)).replace(/\r\n?/g, '\n');
  if (o.type === 'checkbox' || o.type === 'radiobutton') return s === 'Off' ? '' : s;
  if (Array.isArray(o.items) && o.items.length && !o.items.some((i) => String(i?.exportValue ?? '') === s)) {
    const byDisplay = o.items.find((i) => wellFormed(String(i?.displayValue ?? '')) === s);
    if (byDisplay) s = wellFormed(String(byDisplay.exportValue ?? ''));
  }
  return s;
}

/** Data value rows from a form's fields (exported for tests). */
export function rowsFromFields(fields: Record<string, PdfFieldObject[]>, fileName: string): DataValueRow[] {
  if (!(ORG_UNIT_FIELD in fields) || !(PERIOD_FIELD in fields)) {
    const missing = [ORG_UNIT_FIELD, PERIOD_FIELD].filter((f) => !(f in fields));
    if (missing.length > 1) throw bad(fileName, 'pdf.noOrgUnitNorPeriodField', { orgUnitField: ORG_UNIT_FIELD, periodField: PERIOD_FIELD });
    throw bad(fileName, missing[0] === ORG_UNIT_FIELD ? 'pdf.noOrgUnitField' : 'pdf.noPeriodField', { field: missing[0]! });
  }
  // DHIS2's messages, and the field to fill in
  const orgUnit = fieldValue(terminal(fields[ORG_UNIT_FIELD])).trim();
  const period = fieldValue(terminal(fields[PERIOD_FIELD])).trim();
  if (!period) throw bad(fileName, 'pdf.noPeriod', { field: PERIOD_FIELD });
  if (!orgUnit) throw bad(fileName, 'pdf.noOrgUnit', { field: ORG_UNIT_FIELD });
  const rows: DataValueRow[] = [];
  for (const [raw, objs] of Object.entries(fields)) {
    const name = wellFormed(raw);
    if (!name.startsWith(VALUE_FIELD_PREFIX)) continue;
    const o = terminal(objs);
    const parts = name.split('_');
    let value = fieldValue(o);
    if (parts.length === 4 && parts[3] === 'T4') {
      // DHIS2's checkbox: "On" is true; Ferry also takes any other on state a viewer may have written
      if (value === '') continue;
      value = value === CHECKBOX_ON || value !== 'Off' ? 'true' : '';
    }
    if (value.trim() === '') continue;
    const r = newRow(rows.length, 0);
    r.dataElement = parts[1] || undefined;
    r.categoryOptionCombo = parts[2] || undefined;
    r.orgUnit = orgUnit;
    r.period = period;
    r.value = value;
    r.field = name;
    rows.push(r);
  }
  return rows;
}

/** The format registry's data reader for PDF forms. */
export async function* readPdfFormDataValues(chunks: AsyncIterable<Uint8Array>, opts: { fileName: string }): AsyncGenerator<DataValueBatch> {
  const data = await readWhole(chunks, opts.fileName);
  const fields = await readPdfFields(data, opts.fileName);
  const rows = rowsFromFields(fields, opts.fileName);
  for (let i = 0; i < rows.length; i += 1000) yield { rows: rows.slice(i, i + 1000) };
}
