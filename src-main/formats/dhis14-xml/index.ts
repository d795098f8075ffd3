/**
 * DHIS 1.4's XML export: a zip holding the exported `.xml` (Access ExportXML: `<root>` › `<xsd:schema>` + `<dataroot>`)
 * and `RoutineData.txt` (reader.ts; imported with --kind dhis14, importers/dhis14). Older DXF1 roots (<dataStore>,
 * <dxf>) are recognised as DHIS 1.4 content too. The sniff looks at the raw bytes: the files are ISO-8859-1, not the
 * UTF-8 the text sniffs expect. Ferry writes the same zip (writer.ts, io/zip-entries.ts) for its exports to 1.4
 * (exporters/dhis14.ts: export kinds dhis14-metadata, dhis14-detailed-metadata, dhis14-data).
 */
import type { FormatModule } from '../types.ts';
import { isRoutineDataEntry, readDhis14RoutineData, readDhis14Xml } from './reader.ts';
import * as writer from './writer.ts';

/** A 1.4 export's XML (`<root …>` with a `<dataroot`, or the `dhis-version` attribute) or its RoutineData.txt header. */
function sniffRaw(bytes: Buffer): boolean {
  const s = bytes.subarray(0, 65536).toString('latin1').replace(/^\xEF\xBB\xBF/, '');
  if (/^\s*"?RoutineDataID"?\s*,\s*"?OrgUnitID"?/i.test(s)) return true;
  const body = s.replace(/^(\s*<\?[\s\S]*?\?>|\s*<!--[\s\S]*?-->)*\s*/, '');
  return /^<root[\s>]/.test(body) && (/<dataroot[\s>]/.test(body) || /dhis-version\s*=/.test(body));
}

export const dhis14XmlFormat: FormatModule = {
  id: 'dhis14-xml',
  format: 'xml',
  label: 'DHIS 1.4 XML',
  kinds: ['dhis14'],
  extensions: ['xml'],
  mimeTypes: ['application/xml'],
  sniff: (h) => (sniffRaw(h.bytes) || h.xmlRoot === 'dataStore' || h.xmlRoot === 'dxf' ? { kind: 'dhis14' } : null),
  readers: { dhis14: { shape: 'xml-export', tables: readDhis14Xml, routineData: readDhis14RoutineData, isRoutineDataEntry } },
  writers: { dhis14: writer },
  note: 'imported with --kind dhis14: the 1.4 export zip (its .xml and RoutineData.txt); written by ferry export dhis14-metadata|dhis14-detailed-metadata|dhis14-data',
};
