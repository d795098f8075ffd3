import { describe, expect, it } from 'vitest';
import { createJsonMetadataWriter } from '../../../src-main/formats/dxf2-json/metadata-writer.ts';
import { createXmlMetadataWriter, objectElement, singularOf } from '../../../src-main/formats/dxf2-xml/metadata-writer.ts';
import { readDxf2XmlMetadata } from '../../../src-main/formats/dxf2-xml/metadata-reader.ts';
import type { MetadataRecord } from '../../../src-main/formats/shared/metadata-record.ts';

const system = { id: 'sys', rev: 'r1', version: 'v1', date: '2024-01-01T00:00:00.000Z' };
const de = {
  id: 'DeNum000001', code: 'MAL', name: 'Malaria & "fever"', shortName: 'Malaria', valueType: 'INTEGER', zeroIsSignificant: false,
  categoryCombo: { id: 'CcSex000001' }, legendSets: [{ id: 'LegSet00001' }], aggregationLevels: [],
  attributeValues: [{ attribute: { id: 'Attr0000001' }, value: 'L<1>' }],
  translations: [{ property: 'NAME', locale: 'fr', value: 'Paludisme' }],
};

describe('DXF2 JSON metadata writer', () => {
  it('writes the system header then one array per type', () => {
    const w = createJsonMetadataWriter();
    const text = w.begin(system) + w.beginType('dataElements') + w.object(JSON.stringify(de)) + w.endType('dataElements') + w.beginType('indicators') + w.endType('indicators') + w.end();
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['system', 'dataElements', 'indicators']);
    expect(doc.system).toEqual(system);
    expect(doc.dataElements).toEqual([de]);
    expect(doc.indicators).toEqual([]);
  });
});

describe('DXF2 XML metadata writer', () => {
  it('names collection items in the singular', () => {
    expect(singularOf('categories')).toBe('category');
    expect(singularOf('userGroupAccesses')).toBe('userGroupAccess');
    expect(singularOf('dataSetElements')).toBe('dataSetElement');
    expect(singularOf('translations')).toBe('translations');
    expect(singularOf('pushAnalysis')).toBe('pushAnalysis');
  });

  it('puts identifiable scalars in attributes, references as empty elements, collections as wrappers', () => {
    const xml = objectElement('dataElement', de);
    expect(xml).toContain('<dataElement id="DeNum000001" code="MAL" name="Malaria &amp; &quot;fever&quot;" shortName="Malaria">');
    expect(xml).toContain('<valueType>INTEGER</valueType><zeroIsSignificant>false</zeroIsSignificant><categoryCombo id="CcSex000001"/>');
    expect(xml).toContain('<legendSets><legendSet id="LegSet00001"/></legendSets><aggregationLevels/>');
    expect(xml).toContain('<attributeValues><attributeValue><attribute id="Attr0000001"/><value>L&lt;1&gt;</value></attributeValue></attributeValues>');
  });

  it('reads back through Ferry\'s DXF2 XML metadata reader to the same object', async () => {
    const w = createXmlMetadataWriter();
    const xml = w.begin(system) + w.beginType('dataElements') + w.object(de) + w.endType('dataElements') + w.end();
    const records: MetadataRecord[] = [];
    async function* chunks(): AsyncGenerator<Buffer> {
      yield Buffer.from(xml, 'utf8');
    }
    for await (const r of readDxf2XmlMetadata(chunks(), 'test.xml', { keys: [] } as never)) records.push(r);
    expect(records).toHaveLength(1);
    expect(records[0]!.type).toBe('dataElements');
    expect(records[0]!.object).toEqual(de);
  });
});
