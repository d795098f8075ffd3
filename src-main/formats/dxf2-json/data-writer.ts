/**
 * DXF2 JSON data value set writer (DHIS2 JsonDataValueSetWriter): root {"dataValues": [...]}, with dataSet,
 * completeDate, period, orgUnit before it for a single data value set. Row fields in DHIS2's order; `followup`
 * (lower-case u) always; `deleted` only when true; null strings as JSON null. One value per line.
 */
import type { DataValueOut, DataValueSetHeader, DataValueWriter } from '../data-value-writer.ts';

const js = (s: string | null): string => (s == null ? 'null' : JSON.stringify(s));

export function createJsonDataWriter(): DataValueWriter {
  let first = true;
  return {
    begin(h?: DataValueSetHeader | null): string {
      let s = '{';
      if (h) s += `"dataSet":${js(h.dataSet)},"completeDate":${js(h.completeDate)},"period":${js(h.period)},"orgUnit":${js(h.orgUnit)},`;
      return s + '"dataValues":[';
    },
    row(v: DataValueOut): string {
      const s =
        (first ? '\n{"dataElement":' : ',\n{"dataElement":') +
        js(v.dataElement) +
        ',"period":' +
        js(v.period) +
        ',"orgUnit":' +
        js(v.orgUnit) +
        ',"categoryOptionCombo":' +
        js(v.categoryOptionCombo) +
        ',"attributeOptionCombo":' +
        js(v.attributeOptionCombo) +
        ',"value":' +
        js(v.value) +
        ',"storedBy":' +
        js(v.storedBy) +
        ',"created":' +
        js(v.created) +
        ',"lastUpdated":' +
        js(v.lastUpdated) +
        ',"comment":' +
        js(v.comment) +
        (v.followup ? ',"followup":true' : ',"followup":false') +
        (v.deleted ? ',"deleted":true}' : '}');
      first = false;
      return s;
    },
    end(): string {
      return first ? ']}\n' : '\n]}\n';
    },
  };
}
