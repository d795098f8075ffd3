/**
 * ADX writer (urn:ihe:qrph:adx:2015), the shape of DHIS2's DefaultAdxDataService export: <adx xmlns=…> holding
 * <group dataSet period orgUnit [one attribute per attribute category]> elements, each holding
 * <dataValue dataElement [one attribute per disaggregation category] value/>. Non-numeric values are written as
 * value="0" with the real value in an <annotation> child. DHIS2's own ADX export writes no comments; Ferry writes a
 * value's comment as a `comment` attribute of <dataValue> (the DXF2 name, which Ferry's ADX reader reads back), so a
 * comment — and a comment-only value, which has no value attribute — is not lost. Periods are ADX `startDate/duration`.
 */
import { attr, escapeText, XML_DECLARATION } from '../shared/xml-writer.ts';
import { isNumericType } from '../../../src-shared/dhis2/value-types.ts';

export const ADX_NAMESPACE = 'urn:ihe:qrph:adx:2015';

/** [attribute name, value] pairs, in output order. Null values are omitted. */
export type AdxAttrs = readonly (readonly [string, string | null])[];

export interface AdxGroupOut {
  dataSet: string | null;
  period: string;
  orgUnit: string | null;
  /** attribute categories exploded (or a single ['attributeOptionCombo', id] pair) */
  attributes: AdxAttrs;
}

export interface AdxValueOut {
  dataElement: string | null;
  /** disaggregation categories exploded (or a single ['categoryOptionCombo', id] pair) */
  categories: AdxAttrs;
  value: string | null;
  numeric: boolean;
  /** the value's comment (null or absent: none) */
  comment?: string | null;
}

const attrs = (list: AdxAttrs): string => {
  let s = '';
  for (const [k, v] of list) s += attr(k, v);
  return s;
};

export function createAdxWriter(): {
  begin(): string;
  openGroup(g: AdxGroupOut): string;
  value(v: AdxValueOut): string;
  closeGroup(): string;
  end(): string;
} {
  return {
    begin: () => `${XML_DECLARATION}<adx xmlns="${ADX_NAMESPACE}">\n`,
    openGroup: (g) => `  <group${attr('dataSet', g.dataSet)}${attr('period', g.period)}${attr('orgUnit', g.orgUnit)}${attrs(g.attributes)}>\n`,
    value(v) {
      const head = `    <dataValue${attr('dataElement', v.dataElement)}${attrs(v.categories)}`;
      const comment = attr('comment', v.comment);
      if (v.numeric || v.value == null) return `${head}${attr('value', v.value)}${comment}/>\n`;
      return `${head} value="0"${comment}>\n      <annotation>${escapeText(v.value)}</annotation>\n    </dataValue>\n`;
    },
    closeGroup: () => '  </group>\n',
    end: () => '</adx>\n',
  };
}

/** True for DHIS2 value types that ValueType.isNumeric() accepts (ADX writes these as value="…"). */
export function isNumericValueType(t: string | null | undefined): boolean {
  return t != null && isNumericType(t);
}

/**
 * ADX period `yyyy-MM-dd/Pn…` from a period's start and end dates (inclusive, yyyy-MM-dd): whole months become PnM
 * (12 → P1Y), anything else a day count PnD — DHIS2's AdxPeriod durations (P1D, P7D, P14D, P1M, P2M, P3M, P6M, P1Y).
 */
export function adxPeriod(startDate: string, endDate: string): string {
  const s = startDate.slice(0, 10);
  const e = endDate.slice(0, 10);
  const [sy, sm, sd] = s.split('-').map(Number) as [number, number, number];
  const [ey, em, ed] = e.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(ey, em - 1, ed + 1));
  if (sd === 1 && next.getUTCDate() === 1) {
    const months = (next.getUTCFullYear() - sy) * 12 + (next.getUTCMonth() + 1 - sm);
    if (months === 12) return `${s}/P1Y`;
    if (months > 0) return `${s}/P${months}M`;
  }
  // financial years / six-monthly variants starting mid-month do not exist; other periods are day counts
  const days = Math.round((next.getTime() - Date.UTC(sy, sm - 1, sd)) / 86_400_000);
  if (sd !== 1 && days >= 365 && days <= 366) return `${s}/P1Y`;
  return `${s}/P${days}D`;
}
