import { describe, expect, it } from 'vitest';
import { readDxf2XmlMetadata } from '../../../../src-main/formats/dxf2-xml/metadata-reader.ts';
import type { MetadataReadInfo, MetadataRecord } from '../../../../src-main/formats/shared/metadata-record.ts';
import { AppError } from '../../../../src-shared/errors.ts';

async function* chunksOf(parts: string[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.from(p);
}
async function read(parts: string[]): Promise<{ records: MetadataRecord[]; info: MetadataReadInfo }> {
  const info: MetadataReadInfo = { keys: [] };
  const records: MetadataRecord[] = [];
  for await (const r of readDxf2XmlMetadata(chunksOf(parts), 'm.xml', info)) records.push(r);
  return { records, info };
}
async function failure(parts: string[]): Promise<AppError> {
  try {
    await read(parts);
  } catch (e) {
    return e as AppError;
  }
  throw new Error('no error');
}

const doc = `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://dhis2.org/schema/dxf/2.0" date="2020-01-01T00:00:00.000+0000">
  <system><id>abc</id><rev>1</rev></system>
  <dataSets>
    <dataSet id="DsMonthly01" code="DS_ANC" name="ANC &amp; PNC" shortName="ANC">
      <periodType>Monthly</periodType>
      <openFuturePeriods>2</openFuturePeriods>
      <mobile>false</mobile>
      <categoryCombo id="bjDvmb4bfuf"/>
      <dataSetElements>
        <dataSetElement><dataElement id="DeAncVisit1"/></dataSetElement>
      </dataSetElements>
      <organisationUnits><organisationUnit id="OuA00000001"/><organisationUnit id="OuB00000001"/></organisationUnits>
      <translations><translations property="NAME" locale="fr" value="CPN"/></translations>
      <renderType><MOBILE type="SEQUENTIAL"/></renderType>
      <description><![CDATA[<b>visits</b>]]></description>
    </dataSet>
  </dataSets>
  <attributes/>
</metadata>`;

describe('DXF2 XML metadata reader', () => {
  it('maps XML to the JSON object model (attributes, text children, references, collections, embedded objects)', async () => {
    const { records, info } = await read([doc.slice(0, 200), doc.slice(200, 451), doc.slice(451)]);
    expect(records).toEqual([
      {
        type: 'dataSets',
        index: 0,
        object: {
          id: 'DsMonthly01', code: 'DS_ANC', name: 'ANC & PNC', shortName: 'ANC', periodType: 'Monthly', openFuturePeriods: 2, mobile: false,
          categoryCombo: { id: 'bjDvmb4bfuf' }, dataSetElements: [{ dataElement: { id: 'DeAncVisit1' } }],
          organisationUnits: [{ id: 'OuA00000001' }, { id: 'OuB00000001' }],
          translations: [{ property: 'NAME', locale: 'fr', value: 'CPN' }], renderType: { MOBILE: { type: 'SEQUENTIAL' } }, description: '<b>visits</b>',
        },
      },
    ]);
    expect(info.keys).toEqual([
      { key: 'system', kind: 'object', count: 0 },
      { key: 'dataSets', kind: 'array', count: 1 },
      { key: 'attributes', kind: 'array', count: 0 },
    ]);
  });

  it('types scalars by the metadata type registry: numbers, booleans and text that only looks like either', async () => {
    const { records } = await read([
      `<metadata>
        <dataSets><dataSet id="DsMonthly01" name="A"><openPeriodsAfterCoEndDate>0</openPeriodsAfterCoEndDate><expiryDays>-1</expiryDays>
          <renderAsTabs>true</renderAsTabs><description>12</description><formName>false</formName>
          <attributeValues><attributeValue><value>true</value><attribute id="Attr0000001"/></attributeValue><attributeValue><value>5</value><attribute id="Attr0000002"/></attributeValue></attributeValues>
        </dataSet></dataSets>
        <visualizations><visualization id="Viz00000001" name="V"><topLimit>0</topLimit><fontSize>NORMAL</fontSize><baseLineValue>-5.5</baseLineValue>
          <series><serie><dimensionItem>Abc</dimensionItem><axis>1</axis></serie></series>
          <fontStyle><visualizationTitle><fontSize>16</fontSize><bold>true</bold></visualizationTitle></fontStyle>
          <axes><ax><index>0</index><maxValue>100</maxValue><baseLine><value>50</value><title><text>75</text></title></baseLine></ax></axes>
        </visualization></visualizations>
        <maps><map id="Map00000001" name="M"><mapViews><mapView id="MapView0001"><eventPointRadius>0</eventPointRadius><organisationUnitLevels><organisationUnitLevel>4</organisationUnitLevel></organisationUnitLevels></mapView></mapViews></map></maps>
        <dashboards><dashboard id="Dash0000001" name="D"><itemCount>11</itemCount><dashboardItems><dashboardItem id="Item0000001"><contentCount>1</contentCount><x>0</x><text>3</text></dashboardItem></dashboardItems></dashboard></dashboards>
        <constants><constant id="Const000001" name="C"><value>3.5</value></constant></constants>
      </metadata>`,
    ]);
    const [ds, viz, map, dash, constant] = records.map((r) => r.object);
    expect(ds).toMatchObject({ openPeriodsAfterCoEndDate: 0, expiryDays: -1, renderAsTabs: true, description: '12', formName: 'false' });
    expect(ds!.attributeValues).toEqual([{ value: 'true', attribute: { id: 'Attr0000001' } }, { value: '5', attribute: { id: 'Attr0000002' } }]);
    expect(viz).toMatchObject({
      topLimit: 0, fontSize: 'NORMAL', baseLineValue: -5.5, series: [{ dimensionItem: 'Abc', axis: 1 }],
      fontStyle: { visualizationTitle: { fontSize: 16, bold: true } }, axes: [{ index: 0, maxValue: 100, baseLine: { value: 50, title: { text: '75' } } }],
    });
    expect(map!.mapViews).toEqual([{ id: 'MapView0001', eventPointRadius: 0, organisationUnitLevels: [4] }]);
    expect(dash).toMatchObject({ itemCount: 11, dashboardItems: [{ id: 'Item0000001', contentCount: 1, x: 0, text: '3' }] });
    expect(constant).toMatchObject({ value: 3.5 });
  });

  it('parses GeoJSON text in <geometry> into an object', async () => {
    const { records } = await read([
      '<metadata><organisationUnits><organisationUnit id="OuA00000001" name="A"><geometry>{"type":"Point","coordinates":[-11.5,8.25]}</geometry></organisationUnit></organisationUnits></metadata>',
    ]);
    expect(records[0]!.object.geometry).toEqual({ type: 'Point', coordinates: [-11.5, 8.25] });
  });

  it('refuses DOCTYPE / entity declarations (entity-expansion bomb) with line and column', async () => {
    const e = await failure(['<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n<metadata>&b;</metadata>']);
    expect(e.code).toBe('BAD_FILE');
    expect(e.message).toMatch(/^m\.xml, line 2, column \d+: DOCTYPE and entity declarations are not allowed/);
    expect(e.details.line).toBe(2);
  });

  it('malformed, truncated and foreign documents are BAD_FILE with positions', async () => {
    const bad = await failure(['<metadata>\n<dataElements>\n<dataElement id="a"></dataElements>']);
    expect(bad.message).toMatch(/^m\.xml, line 3, column \d+: invalid XML/);
    const cut = await failure(['<metadata><dataElements><dataElement id="a">']);
    expect(cut.message).toMatch(/ends too early|unclosed tag/);
    const other = await failure(['<html><body/></html>']);
    expect(other.message).toMatch(/root element is <html>, not DHIS2 metadata \(a DXF2 <metadata> document\)/);
  });
});
