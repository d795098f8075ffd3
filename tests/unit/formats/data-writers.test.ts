import { describe, expect, it } from 'vitest';
import { SaxesParser } from 'saxes';
import Papa from 'papaparse';
import { createJsonDataWriter } from '../../../src-main/formats/dxf2-json/data-writer.ts';
import { createXmlDataWriter } from '../../../src-main/formats/dxf2-xml/data-writer.ts';
import { createCsvDataWriter, CSV_DATA_HEADER } from '../../../src-main/formats/csv-data/writer.ts';
import { escapeAttr, escapeText, isXmlName } from '../../../src-main/formats/shared/xml-writer.ts';
import type { DataValueOut } from '../../../src-main/formats/data-value-writer.ts';

const base: DataValueOut = {
  dataElement: 'deA', period: '202401', orgUnit: 'ouA', categoryOptionCombo: 'coc', attributeOptionCombo: 'aoc', value: '5',
  storedBy: 'admin', created: '2024-03-05T10:11:12.000+0000', lastUpdated: '2024-03-05T10:11:12.000+0000', comment: null, followup: false, deleted: false,
};
const tricky: DataValueOut = { ...base, value: 'a,"b"\n<c> & d\te', comment: 'x\r\ny', storedBy: null, followup: true, deleted: true };

function xmlElements(xml: string): { name: string; attributes: Record<string, string> }[] {
  const out: { name: string; attributes: Record<string, string> }[] = [];
  const p = new SaxesParser();
  p.on('opentag', (t) => out.push({ name: t.name, attributes: t.attributes as Record<string, string> }));
  p.write(xml).close();
  return out;
}

describe('DXF2 JSON data writer', () => {
  it('writes DHIS2 field names in order, followup lower-case, deleted only when true, nulls as null', () => {
    const w = createJsonDataWriter();
    const text = w.begin() + w.row(base) + w.row(tricky) + w.end();
    const doc = JSON.parse(text) as { dataValues: Record<string, unknown>[] };
    expect(Object.keys(doc)).toEqual(['dataValues']);
    expect(Object.keys(doc.dataValues[0]!)).toEqual([
      'dataElement', 'period', 'orgUnit', 'categoryOptionCombo', 'attributeOptionCombo', 'value', 'storedBy', 'created', 'lastUpdated', 'comment', 'followup',
    ]);
    expect(doc.dataValues[0]!.comment).toBeNull();
    expect(doc.dataValues[1]).toMatchObject({ value: tricky.value, comment: 'x\r\ny', storedBy: null, followup: true, deleted: true });
  });
  it('writes the single data value set header and an empty list', () => {
    const w = createJsonDataWriter();
    const doc = JSON.parse(w.begin({ dataSet: 'ds', completeDate: '2024-02-01', period: '202401', orgUnit: 'ou' }) + w.end()) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['dataSet', 'completeDate', 'period', 'orgUnit', 'dataValues']);
    expect(doc.dataValues).toEqual([]);
  });
});

describe('DXF2 XML data writer', () => {
  it('writes attributes with followUp camel-case, omits nulls and non-deleted flags, escapes everything', () => {
    const w = createXmlDataWriter();
    const xml = w.begin({ dataSet: 'ds', completeDate: null, period: '202401', orgUnit: 'ou' }) + w.row(base) + w.row(tricky) + w.end();
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" dataSet="ds" period="202401" orgUnit="ou">')).toBe(true);
    const els = xmlElements(xml);
    expect(els.map((e) => e.name)).toEqual(['dataValueSet', 'dataValue', 'dataValue']);
    expect(els[1]!.attributes).toEqual({
      dataElement: 'deA', period: '202401', orgUnit: 'ouA', categoryOptionCombo: 'coc', attributeOptionCombo: 'aoc', value: '5', storedBy: 'admin',
      created: base.created, lastUpdated: base.lastUpdated, followUp: 'false',
    });
    expect(els[2]!.attributes.value).toBe(tricky.value);
    expect(els[2]!.attributes.comment).toBe('x\r\ny');
    expect(els[2]!.attributes.deleted).toBe('true');
    expect(els[2]!.attributes.followUp).toBe('true');
    expect('storedBy' in els[2]!.attributes).toBe(false);
  });
});

describe('CSV data writer', () => {
  it('writes the canonical 11-column header and RFC 4180 quoting that reads back to the same strings', () => {
    const w = createCsvDataWriter();
    const csv = w.begin() + w.row(base) + w.row(tricky) + w.end();
    expect(csv.split('\n')[0]).toBe('dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup,deleted');
    expect(CSV_DATA_HEADER.split(',')).toHaveLength(11);
    const rows = Papa.parse<string[]>(csv.trimEnd(), { header: false }).data;
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual(['deA', '202401', 'ouA', 'coc', 'aoc', '5', 'admin', base.lastUpdated, '', 'false', 'false']);
    expect(rows[2]).toEqual(['deA', '202401', 'ouA', 'coc', 'aoc', tricky.value, '', base.lastUpdated, 'x\r\ny', 'true', 'true']);
  });
});

describe('XML escaping', () => {
  it('keeps tabs and line breaks in attributes as references and maps characters XML cannot carry to U+FFFD', () => {
    expect(escapeAttr('a&b<c>"d"\te\nf\rg')).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&#9;e&#10;f&#13;g');
    expect(escapeAttr('plain')).toBe('plain');
    expect(escapeText('x\u0001y')).toBe('x\uFFFDy');
    expect(escapeText('a\nb')).toBe('a\nb');
    expect(isXmlName('Age_category')).toBe(true);
    expect(isXmlName('1abc')).toBe(false);
    expect(isXmlName('has space')).toBe(false);
  });
});
