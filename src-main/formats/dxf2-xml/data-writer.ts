/**
 * DXF2 XML data value set writer (DHIS2 XmlDataValueSetWriter): <dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">
 * with one <dataValue/> per value, everything as attributes, null attributes omitted, `followUp` (camel-case U)
 * always, `deleted` only when true.
 */
import type { DataValueOut, DataValueSetHeader, DataValueWriter } from '../data-value-writer.ts';
import { attr, XML_DECLARATION } from '../shared/xml-writer.ts';

export const DXF2_NAMESPACE = 'http://dhis2.org/schema/dxf/2.0';

export function createXmlDataWriter(): DataValueWriter {
  return {
    begin(h?: DataValueSetHeader | null): string {
      const head = h ? attr('dataSet', h.dataSet) + attr('completeDate', h.completeDate) + attr('period', h.period) + attr('orgUnit', h.orgUnit) : '';
      return `${XML_DECLARATION}<dataValueSet xmlns="${DXF2_NAMESPACE}"${head}>\n`;
    },
    row(v: DataValueOut): string {
      return (
        '  <dataValue' +
        attr('dataElement', v.dataElement) +
        attr('period', v.period) +
        attr('orgUnit', v.orgUnit) +
        attr('categoryOptionCombo', v.categoryOptionCombo) +
        attr('attributeOptionCombo', v.attributeOptionCombo) +
        attr('value', v.value) +
        attr('storedBy', v.storedBy) +
        attr('created', v.created) +
        attr('lastUpdated', v.lastUpdated) +
        attr('comment', v.comment) +
        (v.followup ? ' followUp="true"' : ' followUp="false"') +
        (v.deleted ? ' deleted="true"/>\n' : '/>\n')
      );
    },
    end(): string {
      return '</dataValueSet>\n';
    },
  };
}
