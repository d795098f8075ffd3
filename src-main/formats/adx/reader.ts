/**
 * ADX data (spec §1.5, namespace urn:ihe:qrph:adx:2015): `<adx><group dataSet period orgUnit [completeDate]
 * [attributeOptionCombo | <attribute category>=<option>…]><dataValue dataElement [categoryOptionCombo |
 * <category>=<option>…] value><annotation>…</annotation></dataValue></group></adx>`. Periods are `startDate/duration`
 * and are converted to ISO ids here. Each group is a header (`group: true`); the importer resolves identifiers (CODE
 * by default for ADX) and category options to combos. Streaming through saxes.
 */
import type { SaxesTagPlain } from 'saxes';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { adxToPeriod } from '../../../src-shared/dhis2/period.ts';
import { newRow, parseBool, toBatches, type DataValueBatch, type DataValueHeader, type DataValueRow } from '../data-value-row.ts';
import { localName, saxStream } from '../shared/xml-sax.ts';
import { MAX_DATA_TOKEN, tokenTooLong } from '../shared/limits.ts';

const GROUP_KEYS = new Set(['dataSet', 'period', 'orgUnit', 'completeDate', 'attributeOptionCombo', 'exported']);
const VALUE_KEYS = new Set(['dataElement', 'value', 'categoryOptionCombo', 'created', 'lastUpdated', 'storedBy', 'comment', 'followup', 'followUp', 'deleted', 'timestamp']);

const isNsAttr = (k: string): boolean => k === 'xmlns' || k.startsWith('xmlns:') || k.includes(':');

export async function* readAdxDataValues(chunks: AsyncIterable<Uint8Array>, opts: { fileName: string }): AsyncGenerator<DataValueBatch> {
  const { fileName } = opts;
  let index = 0;
  let sawRoot = false;
  let current: DataValueRow | null = null;
  let inAnnotation = false;
  let annotation = '';
  for await (const items of saxStream<DataValueRow | DataValueHeader>(chunks, fileName, (p, out) => {
    p.on('opentag', (tag: SaxesTagPlain) => {
      const name = localName(tag.name);
      const a = tag.attributes;
      if (!sawRoot) {
        sawRoot = true;
        if (name !== 'adx') throw ferryError('BAD_FILE', 'xml.wrongRoot', { file: fileName, line: p.line, found: name, expected: 'adx' }, { file: fileName, line: p.line });
        return;
      }
      if (name === 'group') {
        const h: DataValueHeader = { group: true };
        if (a.dataSet) h.dataSet = a.dataSet;
        if (a.orgUnit) h.orgUnit = a.orgUnit;
        if (a.completeDate) h.completeDate = a.completeDate;
        if (a.attributeOptionCombo) h.attributeOptionCombo = a.attributeOptionCombo;
        if (a.period) h.period = adxToPeriod(a.period) ?? a.period;
        const cats: Record<string, string> = {};
        for (const [k, v] of Object.entries(a)) if (!GROUP_KEYS.has(k) && !isNsAttr(k)) cats[k] = v;
        if (Object.keys(cats).length) h.attributeCategoryOptions = cats;
        out.push(h);
      } else if (name === 'dataValue') {
        const r = newRow(index++, p.line);
        r.dataElement = a.dataElement;
        r.value = a.value;
        r.categoryOptionCombo = a.categoryOptionCombo || undefined;
        r.storedBy = a.storedBy || undefined;
        r.comment = a.comment;
        r.followup = parseBool(a.followUp ?? a.followup);
        r.deleted = parseBool(a.deleted);
        const cats: Record<string, string> = {};
        let n = 0;
        for (const [k, v] of Object.entries(a)) if (!VALUE_KEYS.has(k) && !isNsAttr(k)) (cats[k] = v), n++;
        if (n) r.categoryOptions = cats;
        current = r;
      } else if (name === 'annotation' && current) {
        inAnnotation = true;
        annotation = '';
      }
    });
    // an annotation may gather many text and CDATA pieces: bounded as one token (limits.ts)
    const note = (t: string): void => {
      if (!inAnnotation) return;
      annotation += t;
      if (annotation.length > MAX_DATA_TOKEN) throw tokenTooLong(fileName, p.line, 'adxAnnotation', MAX_DATA_TOKEN);
    };
    p.on('text', note);
    p.on('cdata', note);
    p.on('closetag', (tag: SaxesTagPlain) => {
      const name = localName(tag.name);
      if (name === 'annotation' && inAnnotation) {
        inAnnotation = false;
        if (current) current.annotation = annotation.trim();
      } else if (name === 'dataValue' && current) {
        out.push(current);
        current = null;
      }
    });
  })) {
    if (!items.length) {
      yield { rows: [] }; // nothing complete yet: the job checks for cancel between batches
      continue;
    }
    yield* toBatches(items);
  }
}
