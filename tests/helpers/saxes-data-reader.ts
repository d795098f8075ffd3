/**
 * The reference DXF2 XML data value reader: saxes, the general-purpose parser, mapped to the same rows as Ferry's
 * hand-written scanner (src-main/formats/dxf2-xml/data-reader.ts). Used only by tests (the differential tests compare
 * the two) — the app reads DXF2 XML data with the scanner. A row's line is where saxes reports its start tag (the line
 * of the tag's closing ">"; the scanner gives the line the tag starts on).
 */
import type { SaxesTagPlain } from 'saxes';
import { AppError } from '../../src-shared/errors.ts';
import { newRow, parseBool, toBatches, type DataValueBatch, type DataValueHeader, type DataValueRow } from '../../src-main/formats/data-value-row.ts';
import { xmlHeader } from '../../src-main/formats/dxf2-xml/data-reader.ts';
import { localName, saxStream } from '../../src-main/formats/shared/xml-sax.ts';

/** Streams data value rows from a DXF2 XML data value set through saxes. */
export async function* readXmlDataValuesSaxes(chunks: AsyncIterable<Uint8Array>, opts: { fileName: string }): AsyncGenerator<DataValueBatch> {
  let index = 0;
  let sawRoot = false;
  for await (const items of saxStream<DataValueRow | DataValueHeader>(chunks, opts.fileName, (p, out) => {
    p.on('opentag', (tag: SaxesTagPlain) => {
      const name = localName(tag.name);
      const a = tag.attributes;
      if (name === 'dataValue') {
        const r = newRow(index++, p.line);
        r.dataElement = a.dataElement;
        r.period = a.period;
        r.orgUnit = a.orgUnit;
        r.categoryOptionCombo = a.categoryOptionCombo || undefined;
        r.attributeOptionCombo = a.attributeOptionCombo || undefined;
        r.value = a.value;
        r.storedBy = a.storedBy || undefined;
        r.comment = a.comment;
        r.followup = parseBool(a.followUp ?? a.followup);
        r.deleted = parseBool(a.deleted);
        out.push(r);
      } else if (!sawRoot) {
        sawRoot = true;
        if (name !== 'dataValueSet') {
          throw new AppError('BAD_FILE', `${opts.fileName}, line ${p.line}: the root element is <${name}>, not <dataValueSet>`, { file: opts.fileName, line: p.line });
        }
        out.push(xmlHeader(a));
      }
    });
  })) {
    yield* toBatches(items);
  }
}
