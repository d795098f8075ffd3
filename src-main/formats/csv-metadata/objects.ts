/**
 * CSV metadata rows → DXF2 metadata objects, as DHIS2's `DefaultCsvImportService` builds them (spec §3): the columns,
 * defaults and truncation of src-shared/dhis2/csv-metadata.ts; a UID generated where the uid column is blank (DHIS2's
 * CodeGenerator); option sets from one row per option, grouped by the set's name; option groups grouped by name;
 * membership rows grouped by group, each group rebuilt with only its name (and short name) and the listed members.
 *
 * Pure: what DHIS2 reads from its database while converting (does the group exist, the options of an option set, the
 * indicator type) comes through the `CsvMetadataLookups` port. A value DHIS2 cannot read at all (a value type, feature
 * type, operator … that is not one of its names: DHIS2 fails the whole request) is an AppError BAD_FILE naming the file,
 * line and column. Rows DHIS2 drops silently (a membership of a group that does not exist, an option row without set
 * name or option code …) are dropped here too, and listed in `skipped`.
 */
import { type AppError } from '../../../src-shared/errors.ts';
import { keyed, type ErrorKey, type ErrorParams, type KeyedMessage } from '../../../src-shared/i18n/error-messages.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';

/** what an enum cell must be, as messages name it (csv.what.* in the errors catalogue) */
type CsvWhat = 'valueType' | 'aggregationType' | 'dataDimensionType' | 'featureType' | 'importance' | 'operator' | 'missingValueStrategy';
import { CSV_CLASSES, cellsOf, isBlank, type CsvClass, type CsvClassKey } from '../../../src-shared/dhis2/csv-metadata.ts';
import { PERIOD_TYPES } from '../../../src-shared/dhis2/period.ts';
import { generateUid } from '../../../src-shared/dhis2/uid.ts';
import type { MetadataRecord } from '../shared/metadata-record.ts';
import type { CsvMetadataRow } from './reader.ts';

type Obj = Record<string, unknown>;

/** What the conversion reads from the database (DHIS2 does the same lookups). */
export interface CsvMetadataLookups {
  /** a stored group of `type` by uid, with its name and short name; null when there is none */
  group(type: string, uid: string): { name: string | null; shortName: string | null } | null;
  /** a stored option set by uid or code, with its options; null when there is none */
  optionSet(by: { uid?: string; code?: string }): { uid: string; options: { uid: string; code: string | null }[] } | null;
  /** whether an indicator type with this uid is stored */
  indicatorType(uid: string): boolean;
}

export interface SkippedRow {
  line: number;
  /** why, by key of the errors catalogue (csv.skip.*) and its parameters */
  reason: KeyedMessage;
}

export const VALUE_TYPES = [
  'TEXT', 'LONG_TEXT', 'MULTI_TEXT', 'LETTER', 'PHONE_NUMBER', 'EMAIL', 'BOOLEAN', 'TRUE_ONLY', 'DATE', 'DATETIME', 'TIME', 'NUMBER',
  'UNIT_INTERVAL', 'PERCENTAGE', 'INTEGER', 'INTEGER_POSITIVE', 'INTEGER_NEGATIVE', 'INTEGER_ZERO_OR_POSITIVE', 'USERNAME', 'COORDINATE',
  'ORGANISATION_UNIT', 'REFERENCE', 'AGE', 'URL', 'FILE_RESOURCE', 'IMAGE', 'GEOJSON',
] as const;
export const AGGREGATION_TYPES = [
  'SUM', 'AVERAGE', 'AVERAGE_SUM_ORG_UNIT', 'LAST', 'LAST_AVERAGE_ORG_UNIT', 'LAST_LAST_ORG_UNIT', 'LAST_IN_PERIOD', 'LAST_IN_PERIOD_AVERAGE_ORG_UNIT',
  'FIRST', 'FIRST_AVERAGE_ORG_UNIT', 'FIRST_FIRST_ORG_UNIT', 'COUNT', 'STDDEV', 'VARIANCE', 'MIN', 'MAX', 'MIN_SUM_ORG_UNIT', 'MAX_SUM_ORG_UNIT',
  'NONE', 'CUSTOM', 'DEFAULT',
] as const;
const DATA_DIMENSION_TYPES = ['DISAGGREGATION', 'ATTRIBUTE'] as const;
const IMPORTANCES = ['HIGH', 'MEDIUM', 'LOW'] as const;
const OPERATORS = ['equal_to', 'not_equal_to', 'greater_than', 'greater_than_or_equal_to', 'less_than', 'less_than_or_equal_to', 'compulsory_pair', 'exclusive_pair'] as const;
const MISSING_VALUE_STRATEGIES = ['SKIP_IF_ANY_VALUE_MISSING', 'SKIP_IF_ALL_VALUES_MISSING', 'NEVER_SKIP'] as const;
/** FeatureType → the GeoJSON geometry type DHIS2 writes (NONE: no geometry; SYMBOL has none it can read) */
export const FEATURE_TYPES: Readonly<Record<string, string | null>> = { NONE: null, MULTI_POLYGON: 'MultiPolygon', POLYGON: 'Polygon', POINT: 'Point', SYMBOL: null };
const DEFAULT_CATEGORY_COMBO = 'bjDvmb4bfuf';

/** Builds the objects of one CSV file of one class key. Feed rows with `add`, then call `finish` once. */
export class CsvMetadataBuilder {
  readonly spec: CsvClass;
  readonly skipped: SkippedRow[] = [];
  private readonly index = new Map<string, number>();
  /** OPTION_SET / OPTION_GROUP: per name; memberships: per group uid (first appearance order) */
  private readonly groups = new Map<string, { obj: Obj; members: string[]; seen: Set<string>; line: number }>();

  constructor(
    readonly classKey: CsvClassKey,
    private readonly fileName: string,
    private readonly lookups: CsvMetadataLookups,
    private readonly newUid: () => string = generateUid,
  ) {
    this.spec = CSV_CLASSES[classKey];
  }

  /** per type, the line each record (by index) was read from */
  readonly lines = new Map<string, number[]>();

  private record(type: string, object: Obj, line: number): MetadataRecord {
    const index = this.index.get(type) ?? 0;
    this.index.set(type, index + 1);
    let l = this.lines.get(type);
    if (!l) this.lines.set(type, (l = []));
    l[index] = line;
    return { type, index, object };
  }

  private bad(line: number, col: number, key: ErrorKey, params: ErrorParams = {}): AppError {
    const columnKey = this.spec.columns[col]?.key;
    const at = { file: this.fileName, line, column: col + 1, ...(columnKey ? { colKind: 'named', columnKey } : { colKind: 'numbered' }), ...params };
    return ferryError('BAD_FILE', key, at, { file: this.fileName, line, column: col + 1 });
  }

  /** an enum cell DHIS2 reads with valueOf (exact name): anything else fails the file */
  private exact(cells: (string | null)[], line: number, col: number, names: readonly string[], what: CsvWhat): string {
    const v = cells[col]!;
    if (!names.includes(v)) throw this.bad(line, col, 'csv.notOneOf', { value: v, what, names: names.join(', ') });
    return v;
  }

  private skip(line: number, key: ErrorKey, params: ErrorParams = {}): [] {
    this.skipped.push({ line, reason: keyed(key, params) });
    return [];
  }

  /** The objects a row makes now (classes that group rows give theirs in `finish`). */
  add(row: CsvMetadataRow): MetadataRecord[] {
    const cells = cellsOf(this.classKey, row.values);
    const line = row.line;
    const get = (key: string): string | null => cells[this.spec.columns.findIndex((c) => c.key === key)] ?? null;
    const at = (key: string): number => this.spec.columns.findIndex((c) => c.key === key);
    const ident = (): Obj => {
      const o: Obj = {};
      const name = get('name');
      if (name !== null) o.name = name;
      o.id = get('uid') ?? this.newUid();
      const code = get('code');
      if (code !== null) o.code = code;
      return o;
    };
    const put = (o: Obj, key: string, v: unknown): void => {
      if (v !== null && v !== undefined) o[key] = v;
    };
    const bool = (key: string): boolean => (get(key) ?? 'false').toLowerCase() === 'true';
    const ref = (key: string): { id: string } | null => {
      const v = get(key);
      return v === null ? null : { id: v };
    };
    const type = this.spec.type;
    switch (this.classKey) {
      case 'DATA_ELEMENT': {
        const o = ident();
        put(o, 'shortName', get('shortName'));
        put(o, 'description', get('description'));
        put(o, 'formName', get('formName'));
        const domain = get('domainType')!.toLowerCase();
        // DataElementDomain.fromValue: any case; anything else is no domain (E4000 on import)
        if (domain === 'aggregate' || domain === 'tracker') o.domainType = domain.toUpperCase();
        o.valueType = this.exact(cells, line, at('valueType'), VALUE_TYPES, 'valueType');
        o.aggregationType = this.exact(cells, line, at('aggregationType'), AGGREGATION_TYPES, 'aggregationType');
        o.categoryCombo = ref('categoryCombo') ?? { id: DEFAULT_CATEGORY_COMBO };
        put(o, 'url', get('url'));
        o.zeroIsSignificant = bool('zeroIsSignificant');
        put(o, 'optionSet', ref('optionSet'));
        put(o, 'commentOptionSet', ref('commentOptionSet'));
        return [this.record(type, o, line)];
      }
      case 'DATA_ELEMENT_GROUP':
      case 'CATEGORY_OPTION':
      case 'ORGANISATION_UNIT_GROUP': {
        const o = ident();
        put(o, 'shortName', get('shortName'));
        return [this.record(type, o, line)];
      }
      case 'CATEGORY': {
        const o = ident();
        // DHIS2 reads no short name for categories, yet requires one (E4000 for every row): Ferry gives the name, as the
        // other class keys do
        put(o, 'shortName', get('name')?.slice(0, 50));
        put(o, 'description', get('description'));
        o.dataDimensionType = this.exact(cells, line, at('dataDimensionType'), DATA_DIMENSION_TYPES, 'dataDimensionType');
        o.dataDimension = bool('dataDimension');
        return [this.record(type, o, line)];
      }
      case 'CATEGORY_COMBO': {
        const o = ident();
        o.dataDimensionType = this.exact(cells, line, at('dataDimensionType'), DATA_DIMENSION_TYPES, 'dataDimensionType');
        o.skipTotal = bool('skipTotal');
        return [this.record(type, o, line)];
      }
      case 'CATEGORY_OPTION_GROUP': {
        const o = ident();
        put(o, 'shortName', get('shortName'));
        // DataDimensionType.fromValue: any case; anything else is none (E4000 on import)
        const d = get('dataDimensionType')!.toUpperCase();
        if ((DATA_DIMENSION_TYPES as readonly string[]).includes(d)) o.dataDimensionType = d;
        return [this.record(type, o, line)];
      }
      case 'ORGANISATION_UNIT': {
        const o = ident();
        put(o, 'parent', ref('parent'));
        put(o, 'shortName', get('shortName'));
        put(o, 'description', get('description'));
        o.openingDate = this.date(get('openingDate')!, line, at('openingDate'));
        const closed = get('closedDate');
        if (closed !== null) o.closedDate = this.date(closed, line, at('closedDate'));
        put(o, 'comment', get('comment'));
        const ft = this.exact(cells, line, at('featureType'), Object.keys(FEATURE_TYPES), 'featureType');
        const coords = get('coordinates');
        if (ft !== 'NONE' && coords !== null) {
          const geoType = FEATURE_TYPES[ft];
          if (!geoType) throw this.bad(line, at('featureType'), 'csv.featureTypeNoGeometry', { featureType: ft });
          o.geometry = { type: geoType, coordinates: this.coordinates(coords, geoType, line, at('coordinates')) };
        }
        put(o, 'url', get('url'));
        put(o, 'contactPerson', get('contactPerson'));
        put(o, 'address', get('address'));
        put(o, 'email', get('email'));
        put(o, 'phoneNumber', get('phoneNumber'));
        return [this.record(type, o, line)];
      }
      case 'VALIDATION_RULE': {
        const o = ident();
        put(o, 'description', get('description'));
        put(o, 'instruction', get('instruction'));
        o.importance = this.exact(cells, line, at('importance'), IMPORTANCES, 'importance');
        o.operator = this.exact(cells, line, at('operator'), OPERATORS, 'operator');
        // PeriodType.getByNameIgnoreCase: an unknown name is no period type (E4000 on import)
        const pt = get('periodType')!.toLowerCase();
        const periodType = PERIOD_TYPES.find((p) => p.toLowerCase() === pt);
        if (periodType) o.periodType = periodType;
        for (const side of ['leftSide', 'rightSide'] as const) {
          const e: Obj = {};
          put(e, 'expression', get(`${side}Expression`));
          put(e, 'description', get(`${side}Description`));
          e.missingValueStrategy = this.exact(cells, line, at(`${side}MissingValueStrategy`), MISSING_VALUE_STRATEGIES, 'missingValueStrategy');
          o[side] = e;
        }
        return [this.record(type, o, line)];
      }
      case 'OPTION_SET': {
        const setName = get('optionSetName');
        const optionCode = get('optionCode');
        // the option uid is drawn before the row is judged, as DHIS2 does
        const option: Obj = {};
        put(option, 'name', get('optionName'));
        option.id = get('optionUid') ?? this.newUid();
        if (setName === null || optionCode === null) return this.skip(line, setName === null ? 'csv.skip.noOptionSetName' : 'csv.skip.noOptionCode');
        option.code = optionCode;
        const set: Obj = { name: setName, id: get('optionSetUid') ?? this.newUid() };
        put(set, 'code', get('optionSetCode'));
        set.valueType = 'TEXT';
        this.member(setName, set, option.id as string, line, { ...option, line });
        return [];
      }
      case 'OPTION_GROUP': {
        const o = ident();
        put(o, 'shortName', get('shortName'));
        if (o.name === undefined || o.shortName === undefined) return this.skip(line, o.name === undefined ? 'csv.skip.noOptionGroupName' : 'csv.skip.noShortName');
        const setUid = get('optionSetUid');
        if (setUid === null) return this.skip(line, 'csv.skip.noOptionSetUid');
        const set = this.lookups.optionSet({ uid: setUid });
        if (!set) return this.skip(line, 'csv.skip.noSuchOptionSet', { set: setUid });
        o.optionSet = { id: set.uid };
        const optionUid = get('optionUid');
        const optionCode = get('optionCode');
        if (optionUid === null && optionCode === null) return this.skip(line, 'csv.skip.noOptionUidOrCode');
        const option = set.options.find((x) => (optionUid !== null ? x.uid === optionUid : x.code === optionCode));
        if (!option) return this.skip(line, 'csv.skip.notAnOptionOf', { option: (optionUid ?? optionCode)!, set: setUid });
        this.member(o.name as string, o, option.uid, line);
        return [];
      }
      case 'OPTION_GROUP_SET': {
        const o = ident();
        put(o, 'description', get('description'));
        o.dataDimension = bool('dataDimension');
        const uid = get('optionSetUid');
        const code = get('optionSetCode');
        if (uid === null && code === null) return this.skip(line, 'csv.skip.noOptionSetUidOrCode');
        const set = this.lookups.optionSet(uid !== null ? { uid } : { code: code! });
        if (!set) return this.skip(line, 'csv.skip.noSuchOptionSet', { set: (uid ?? code)! });
        o.optionSet = { id: set.uid };
        return [this.record(type, o, line)];
      }
      case 'INDICATOR': {
        const o = ident();
        put(o, 'description', get('description'));
        put(o, 'shortName', get('shortName'));
        put(o, 'denominator', get('denominator'));
        put(o, 'denominatorDescription', get('denominatorDescription'));
        put(o, 'numerator', get('numerator'));
        put(o, 'numeratorDescription', get('numeratorDescription'));
        o.annualized = bool('annualized');
        // NumberUtils.toInt: anything but an int is 0
        const d = get('decimals')!;
        o.decimals = /^[+-]?\d{1,10}$/.test(d) && Math.abs(Number(d)) <= 2147483647 ? Number(d) : 0;
        // looked up in the database: an indicator type that is not stored is none (E4000 on import)
        const it = get('indicatorType');
        if (it !== null && this.lookups.indicatorType(it)) o.indicatorType = { id: it };
        return [this.record(type, o, line)];
      }
      default:
        return this.membershipRow(row);
    }
  }

  /** DE / indicator / org unit group and option group set memberships */
  private membershipRow(row: CsvMetadataRow): [] {
    const m = this.spec.membership!;
    // DHIS2 takes the two cells as they are (option group set memberships: cut to 11 characters, blank = none)
    const cells = this.classKey === 'OPTION_GROUP_SET_MEMBERSHIP' ? cellsOf(this.classKey, row.values) : row.values.slice(0, 2).map((v) => (isBlank(v) ? null : v));
    const groupUid = cells[0] ?? null;
    const memberUid = cells[1] ?? null;
    if (groupUid === null) return this.skip(row.line, 'csv.skip.noGroupUid');
    if (memberUid === null) return this.skip(row.line, 'csv.skip.noMemberUid');
    let g = this.groups.get(groupUid);
    if (!g) {
      const stored = this.lookups.group(m.groupType, groupUid);
      if (!stored) return this.skip(row.line, 'csv.skip.noSuchGroup', { classKey: this.classKey, group: groupUid });
      const obj: Obj = { id: groupUid };
      if (stored.name !== null) obj.name = stored.name;
      // org unit groups keep their short name (DHIS2 2.42, dhis2-core#18734); data element groups too, since DHIS2
      // requires one there and would refuse every group without it
      if ((m.groupType === 'organisationUnitGroups' || m.groupType === 'dataElementGroups') && stored.shortName !== null) obj.shortName = stored.shortName;
      g = { obj, members: [], seen: new Set(), line: row.line };
      this.groups.set(groupUid, g);
    }
    if (!g.seen.has(memberUid)) {
      g.seen.add(memberUid);
      g.members.push(memberUid);
    }
    return [];
  }

  /** OPTION_SET and OPTION_GROUP: the row's object replaces the one of that name (the last row wins, as in DHIS2) */
  private readonly options: Obj[] = [];
  private member(name: string, obj: Obj, memberUid: string, line: number, option?: Obj): void {
    const g = this.groups.get(name);
    if (g) g.obj = obj;
    else this.groups.set(name, { obj, members: [], seen: new Set(), line });
    const e = this.groups.get(name)!;
    if (option) {
      e.members.push(memberUid);
      this.options.push({ ...option, setName: name });
    } else if (!e.seen.has(memberUid)) {
      e.seen.add(memberUid);
      e.members.push(memberUid);
    }
  }

  /** The objects of the classes that group rows (option sets and their options, option groups, memberships). */
  finish(): MetadataRecord[] {
    const out: MetadataRecord[] = [];
    const property = this.classKey === 'OPTION_SET' || this.classKey === 'OPTION_GROUP' ? 'options' : this.spec.membership?.property;
    if (!property) return out;
    for (const g of this.groups.values()) out.push(this.record(this.spec.type, { ...g.obj, [property]: g.members.map((id) => ({ id })) }, g.line));
    if (this.classKey === 'OPTION_SET') {
      for (const o of this.options) {
        const { setName, line, ...option } = o;
        out.push(this.record('options', { ...option, optionSet: { id: this.groups.get(setName as string)!.obj.id } }, line as number));
      }
    }
    return out;
  }

  /** DHIS2 parses yyyy-MM-dd with Joda (months and days of one or two digits; an impossible date fails the request) */
  private date(v: string, line: number, col: number): string {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
    const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
    if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) throw this.bad(line, col, 'csv.notDate', { value: v });
    return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  }

  private coordinates(text: string, geoType: string, line: number, col: number): unknown {
    let c: unknown;
    try {
      c = JSON.parse(text);
    } catch {
      throw this.bad(line, col, 'csv.badCoordinatesText', { geoType, text: text.length > 40 ? text.slice(0, 40) + '…' : text });
    }
    const depth = geoType === 'Point' ? 1 : geoType === 'Polygon' ? 3 : 4;
    const ok = (v: unknown, d: number): boolean =>
      d === 1 ? Array.isArray(v) && v.length >= 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n)) : Array.isArray(v) && v.length > 0 && v.every((x) => ok(x, d - 1));
    if (!ok(c, depth)) throw this.bad(line, col, geoType === 'Point' ? 'csv.badPointCoordinates' : 'csv.badCoordinates', { geoType });
    return c;
  }
}
