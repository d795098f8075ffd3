/**
 * Every format in the registry round-trips: a sample of each kind it carries is detected as that format (and no other),
 * read back by the registry's reader, and — where the format has a writer — the sample is the writer's own output.
 */
import { describe, expect, it } from 'vitest';
import { FORMATS, dataReaderFor, dataWriterFor, dhis14ReaderFor, dhis14Writer, extensionOf, findFormat, formatInfos, formatNames, metadataReaderFor, metadataWriterFor } from '../../../src-main/formats/registry.ts';
import { detectFormat } from '../../../src-main/io/detect.ts';
import type { FormatModule } from '../../../src-main/formats/types.ts';
import { writePdfForm } from '../../../src-main/formats/pdf-form/writer.ts';
import { PDFDocument } from '@cantoo/pdf-lib';
import type { DataValueOut } from '../../../src-main/formats/data-value-writer.ts';
import type { DataValueHeader, DataValueRow } from '../../../src-main/formats/data-value-row.ts';
import type { MetadataReadInfo, MetadataRecord } from '../../../src-main/formats/shared/metadata-record.ts';

async function* chunked(text: string, size = 7): AsyncGenerator<Buffer> {
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

const VALUE: DataValueOut = {
  dataElement: 'fbfJHSPpUQD',
  period: '202401',
  orgUnit: 'DiszpKrYNg8',
  categoryOptionCombo: 'PT59n8BQbqM',
  attributeOptionCombo: 'HllvX50cXC0',
  value: '12',
  storedBy: 'admin',
  created: '2024-02-01T10:00:00.000+0000',
  lastUpdated: '2024-02-01T10:00:00.000+0000',
  comment: 'checked, "twice"',
  followup: false,
  deleted: false,
};

function writeData(m: FormatModule): string {
  const w = dataWriterFor(m.format);
  if (w.shape === 'rows') {
    const x = w.create();
    return x.begin(null) + x.row(VALUE) + x.end();
  }
  if (w.shape === 'sheet') throw new Error(`${m.id}: a sheet writer writes no text`);
  const x = w.create();
  return (
    x.begin() +
    x.openGroup({ dataSet: 'pBOMPrpg1QX', period: '2024-01-01/P1M', orgUnit: VALUE.orgUnit, attributes: [] }) +
    x.value({ dataElement: VALUE.dataElement, categories: [['categoryOptionCombo', VALUE.categoryOptionCombo]], value: VALUE.value, numeric: true, comment: VALUE.comment }) +
    x.closeGroup() +
    x.end()
  );
}

/** The rows, with what a group header (ADX) says filled in. */
async function readData(m: FormatModule, text: string): Promise<DataValueRow[]> {
  const rows: DataValueRow[] = [];
  let header: DataValueHeader = {};
  for await (const b of dataReaderFor(m.format)(chunked(text), { fileName: `sample.${m.extensions[0]}` })) {
    if (b.header) header = b.header;
    rows.push(...b.rows.map((r) => ({ ...r, orgUnit: r.orgUnit ?? header.orgUnit, period: r.period ?? header.period })));
  }
  return rows;
}

const DATA_ELEMENT = { id: 'fbfJHSPpUQD', code: 'DE_ANC1', name: 'ANC 1st visit', shortName: 'ANC1', valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE', zeroIsSignificant: false };

function writeMetadata(m: FormatModule): string {
  const f = metadataWriterFor(m.format);
  if (typeof f !== 'function') throw new Error(`${m.id}: a sheet writer writes no text`);
  const w = f();
  return (
    w.begin({ id: 'ferry', rev: 'test', version: '0.0.0', date: '2024-01-01T00:00:00.000' }) +
    w.beginType('dataElements') +
    w.object(JSON.stringify(DATA_ELEMENT), DATA_ELEMENT) +
    w.endType('dataElements') +
    w.end()
  );
}

async function readMetadata(m: FormatModule, text: string): Promise<MetadataRecord[]> {
  const info: MetadataReadInfo = { keys: [] };
  const out: MetadataRecord[] = [];
  for await (const r of metadataReaderFor(m.format, 'sample')(chunked(text), 'sample', info, {})) out.push(r);
  return out;
}

/** Heads of formats Ferry recognises but does not read yet. */
const RECOGNISED: Record<string, string | Buffer> = {
  'pdf-form': '%PDF-1.7\n%âãÏÓ\n',
  'dhis14-mdb': Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00]), Buffer.from('Standard Jet DB\0'), Buffer.alloc(64)]),
  'dhis14-xml': '<?xml version="1.0"?>\n<dataStore><dataElements/></dataStore>',
  gml: '<?xml version="1.0"?><wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs" xmlns:gml="http://www.opengis.net/gml">',
  geojson: '{"type":"FeatureCollection","features":[]}',
  'events-json': '{"events":[{"event":"a1b2c3d4e5f","program":"eBAyeGv0exc"}]}',
  'events-xml': '<events><event event="a1b2c3d4e5f"/></events>',
  'events-csv': 'event,status,program,programStage,enrollment,orgUnit\n',
};

/** A PDF data entry form made by the pdf-form writer, filled in with pdf-lib (org unit pre-filled, period chosen). */
async function filledPdfForm(): Promise<Uint8Array> {
  const coc = { uid: VALUE.categoryOptionCombo!, name: 'Male', optionUids: [] };
  const made = await writePdfForm({
    form: {
      uid: 'pBOMPrpg1QX',
      name: 'Sample',
      description: null,
      periodType: 'Monthly',
      sections: [{ name: '', dataElements: [{ uid: VALUE.dataElement!, name: 'DE', formName: null, valueType: 'INTEGER', options: null, combo: { uid: 'cc', name: 'cc', isDefault: false, categories: [], cocs: [coc, { uid: 'Other000001', name: 'Female', optionUids: [] }] } }] }],
    },
    orgUnit: { id: VALUE.orgUnit!, name: 'Org unit' },
    periods: [{ iso: VALUE.period, label: 'January 2024' }],
    period: VALUE.period,
    footer: 'sample',
  });
  const doc = await PDFDocument.load(made.bytes);
  doc.getForm().getTextField(`TXFDDV_${VALUE.dataElement}_${VALUE.categoryOptionCombo}`).setText(VALUE.value!);
  return doc.save();
}

describe('format registry', () => {
  it('has unique ids, and one module per kind and --format name', () => {
    expect(new Set(FORMATS.map((m) => m.id)).size).toBe(FORMATS.length);
    const pairs = FORMATS.flatMap((m) => m.kinds.map((k) => `${k}:${m.format}`));
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(formatNames('data', 'read')).toEqual(['json', 'xml', 'csv', 'adx', 'pdf']);
    expect(formatNames('metadata', 'write')).toEqual(['json', 'xml', 'xlsx']);
    expect(formatNames('data', 'write')).toEqual(['json', 'xml', 'csv', 'adx', 'xlsx']);
    expect(extensionOf('adx')).toBe('adx.xml');
    expect(formatInfos().find((f) => f.id === 'pdf-form')).toMatchObject({ kinds: ['data'], reads: ['data'], writes: [] });
    // DHIS 1.4: the importer and the exports to 1.4 reach their readers and writer through the registry
    expect(formatInfos().find((f) => f.id === 'dhis14-mdb')).toMatchObject({ kinds: ['dhis14'], reads: ['dhis14'], writes: [] });
    expect(formatInfos().find((f) => f.id === 'dhis14-xml')).toMatchObject({ kinds: ['dhis14'], reads: ['dhis14'], writes: ['dhis14'] });
    expect(formatNames('dhis14', 'read')).toEqual(['mdb', 'xml']);
    expect(dhis14ReaderFor('access').shape).toBe('access');
    expect(typeof dhis14ReaderFor('xml-export').routineData).toBe('function');
    expect(dhis14Writer().ROUTINE_DATA_ENTRY).toBe('RoutineData.txt');
  });

  for (const m of FORMATS) {
    describe(m.id, () => {
      if (m.id === 'pdf-form') {
        it('data: a form the pdf-form writer made, filled → detected as this format → read back to the same value', async () => {
          const bytes = await filledPdfForm();
          expect(detectFormat(Buffer.from(bytes), 'sample.pdf')).toEqual({ format: 'pdf', kind: 'data', module: 'pdf-form' });
          const rows: DataValueRow[] = [];
          for await (const b of dataReaderFor('pdf')((async function* () { yield bytes; })(), { fileName: 'sample.pdf' })) rows.push(...b.rows);
          expect(rows).toHaveLength(1);
          expect(rows[0]).toMatchObject({ dataElement: VALUE.dataElement, orgUnit: VALUE.orgUnit, period: VALUE.period, categoryOptionCombo: VALUE.categoryOptionCombo, value: VALUE.value });
        });
      } else if (m.readers?.data) {
        it('data: written sample → detected as this format → read back to the same value', async () => {
          const text = writeData(m);
          expect(detectFormat(Buffer.from(text), 'sample')).toEqual({ format: m.format, kind: 'data', module: m.id });
          const rows = await readData(m, text);
          expect(rows).toHaveLength(1);
          expect(rows[0]).toMatchObject({ dataElement: VALUE.dataElement, orgUnit: VALUE.orgUnit, value: VALUE.value, comment: VALUE.comment });
          // ADX writes the period as start/duration (2024-01-01/P1M) and reads it back as ISO
          expect(rows[0]).toMatchObject({ period: VALUE.period, categoryOptionCombo: VALUE.categoryOptionCombo });
          if (m.writers?.data?.shape === 'rows') expect(rows[0]).toMatchObject({ storedBy: VALUE.storedBy });
        });
      }
      if (m.readers?.metadata) {
        it('metadata: written sample → detected as this format → read back to the same object', async () => {
          const text = writeMetadata(m);
          expect(detectFormat(Buffer.from(text), 'sample')).toEqual({ format: m.format, kind: 'metadata', module: m.id });
          const recs = await readMetadata(m, text);
          expect(recs).toHaveLength(1);
          expect(recs[0]).toMatchObject({ type: 'dataElements', object: DATA_ELEMENT });
        });
      }
      if (!m.readers && !m.writers) {
        it('is recognised from its first bytes (no reader yet)', () => {
          const head = RECOGNISED[m.id];
          expect(head, `a sample head for ${m.id}`).toBeDefined();
          expect(detectFormat(Buffer.isBuffer(head) ? head : Buffer.from(head!), 'sample')).toEqual({ format: m.format, kind: m.kinds[0], module: m.id });
          expect(m.note).toBeTruthy();
        });
      }
      it('is found by kind and --format name', () => {
        for (const k of m.kinds) expect(findFormat(k, m.format)?.id).toBe(m.id);
      });
    });
  }

  it('refuses formats that do not carry a kind, naming the ones that do', () => {
    expect(() => dataReaderFor('gml', 'x.gml')).toThrow(/'gml' is not a data value format \(use json, xml, csv, adx or pdf\)/);
    expect(() => dataWriterFor('pdf')).toThrow(/Data can be exported as json, xml, csv, adx or xlsx, not 'pdf'/);
    expect(() => metadataWriterFor('csv')).toThrow(/Metadata can be exported as json, xml or xlsx, not 'csv'/);
  });
});
