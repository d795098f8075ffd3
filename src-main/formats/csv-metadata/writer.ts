/**
 * Writes DHIS2's CSV metadata (spec §3) for one class key: a header row of the column keys, then the positional rows
 * the reader (and DHIS2) turn back into the same objects — option sets and option groups as one row per option,
 * memberships as one row per member. Pure: referenced objects (an option set's options) come through `lookup`.
 */
import { CSV_CLASSES, type CsvClassKey } from '../../../src-shared/dhis2/csv-metadata.ts';

type Obj = Record<string, unknown>;

export type CsvObjectLookup = (type: string, uid: string) => Obj | null;

const GEOMETRY_FEATURE: Record<string, string> = { Point: 'POINT', Polygon: 'POLYGON', MultiPolygon: 'MULTI_POLYGON' };

/** One CSV field: quoted when it holds a delimiter, a quote or a line break. */
export function csvField(v: string | null | undefined): string {
  if (v === null || v === undefined) return '';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvLine(cells: readonly (string | null | undefined)[]): string {
  return cells.map(csvField).join(',') + '\n';
}

export function csvHeaderLine(k: CsvClassKey): string {
  return csvLine(CSV_CLASSES[k].columns.map((c) => c.key));
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);
const idOf = (v: unknown): string | null => (v && typeof v === 'object' && typeof (v as Obj).id === 'string' ? ((v as Obj).id as string) : null);
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.map(idOf).filter((x): x is string => x !== null) : []);
const bool = (v: unknown): string => (v === true || v === 'true' ? 'true' : 'false');
const date = (v: unknown): string | null => (typeof v === 'string' ? v.slice(0, 10) : null);

/** The CSV rows (cells) of one stored object of the class key's type. */
export function csvRowsOf(k: CsvClassKey, o: Obj, lookup: CsvObjectLookup): (string | null)[][] {
  const ident = [str(o.name), str(o.id), str(o.code)];
  switch (k) {
    case 'DATA_ELEMENT':
      return [[
        ...ident, str(o.shortName), str(o.description), str(o.formName), str(o.domainType), str(o.valueType), str(o.aggregationType),
        idOf(o.categoryCombo), str(o.url), bool(o.zeroIsSignificant), idOf(o.optionSet), idOf(o.commentOptionSet),
      ]];
    case 'DATA_ELEMENT_GROUP':
    case 'CATEGORY_OPTION':
    case 'ORGANISATION_UNIT_GROUP':
      return [[...ident, str(o.shortName)]];
    case 'CATEGORY':
      return [[...ident, str(o.description), str(o.dataDimensionType), bool(o.dataDimension)]];
    case 'CATEGORY_COMBO':
      return [[...ident, str(o.dataDimensionType), bool(o.skipTotal)]];
    case 'CATEGORY_OPTION_GROUP':
      return [[...ident, str(o.shortName), str(o.dataDimensionType)]];
    case 'ORGANISATION_UNIT': {
      const g = o.geometry as { type?: string; coordinates?: unknown } | undefined;
      const feature = g && typeof g.type === 'string' ? GEOMETRY_FEATURE[g.type] : undefined;
      return [[
        ...ident, idOf(o.parent), str(o.shortName), str(o.description), date(o.openingDate), date(o.closedDate), str(o.comment),
        feature ?? 'NONE', feature ? JSON.stringify(g!.coordinates) : null, str(o.url), str(o.contactPerson), str(o.address), str(o.email), str(o.phoneNumber),
      ]];
    }
    case 'VALIDATION_RULE': {
      const side = (s: unknown): (string | null)[] => {
        const e = (s ?? {}) as Obj;
        return [str(e.expression), str(e.description), str(e.missingValueStrategy)];
      };
      return [[...ident, str(o.description), str(o.instruction), str(o.importance), null, str(o.operator), str(o.periodType), ...side(o.leftSide), ...side(o.rightSide)]];
    }
    case 'OPTION_SET':
      return ids(o.options).map((uid) => {
        const opt = lookup('options', uid) ?? {};
        return [...ident, str(opt.name), uid, str(opt.code)];
      });
    case 'OPTION_GROUP': {
      const set = idOf(o.optionSet);
      return ids(o.options).map((uid) => [...ident, str(o.shortName), set, uid, str(lookup('options', uid)?.code)]);
    }
    case 'OPTION_GROUP_SET': {
      const set = idOf(o.optionSet);
      return [[...ident, bool(o.dataDimension), str(o.description), set, set ? str(lookup('optionSets', set)?.code) : null]];
    }
    case 'INDICATOR':
      return [[
        ...ident, str(o.description), str(o.shortName), str(o.denominator), str(o.denominatorDescription), str(o.numerator), str(o.numeratorDescription),
        bool(o.annualized), str(o.decimals) ?? '0', idOf(o.indicatorType),
      ]];
    default: {
      const m = CSV_CLASSES[k].membership!;
      return ids(o[m.property]).map((uid) => [str(o.id), uid]);
    }
  }
}
