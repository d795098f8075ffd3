/**
 * Exports back to DHIS 1.4 (manual "Export data to other systems"): zips in 1.4's XML export layout (MetaData.xml +
 * RoutineData.txt, formats/dhis14-xml/writer.ts) that 1.4, and Ferry's own 1.4 XML import, read.
 *  - dhis14-metadata: everything 1.4 holds — data types and period types, data elements, indicator types and
 *    indicators (formulas in 1.4's `Sum([R<id>])` form), data element and indicator groups (1.4 keeps both in one
 *    table) with their members, data sets with their data elements and org units, org units with their hierarchy
 *    (OrgHierarchy edges, the root row with parent = child) and structure, org unit groups and group sets, and the
 *    stored periods of 1.4's period types;
 *  - dhis14-detailed-metadata: the data elements and indicators picked (`dataElements`, `indicators`), with what they
 *    need: the indicators' types and the data elements their formulas use;
 *  - dhis14-data: the selected values (the data export's selection: org units with children/descendants, data sets,
 *    data element groups, data elements, period range or periods, last updated) as RoutineData rows, with the data
 *    elements, org units and periods they refer to in MetaData.xml. RoutineData.txt is always in the zip (1.4's
 *    import expects it; empty but for its header in the metadata exports).
 * 1.4's integer ids: an object's kept 1.4 id when it came from DHIS 1.4 (Numbering), else numbers after those in the
 * order objects were stored, so the three exports of one database agree. What 1.4 cannot hold is left out, counted and said in the summary's warnings (status WARNING):
 * values of non-default category or attribute option combos (1.4 has no disaggregation), values of period types 1.4
 * lacks, formula parts 1.4 cannot express, ids past 1.4's 16-bit Integer columns, texts longer than 1.4's columns.
 */
import path from 'node:path';
import type { Exporter, JobContext } from '../jobs/types.ts';
import type { ExportSummary } from '../../src-shared/api/contract.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import { parsePeriod, type PeriodType } from '../../src-shared/dhis2/period.ts';
import { openOutput } from '../io/output.ts';
import { Dhis14ExportRepo } from '../db/repos/dhis14-export.ts';
import { MetadataLookupRepo } from '../db/repos/metadata-lookups.ts';
import { PeriodsRepo } from '../db/repos/periods.ts';
import { DataValuesRepo, filtersRows } from '../db/repos/data-values.ts';
import { cacheSize } from '../db/tx.ts';
import type { Dhis14Table, Dhis14Value, RoutineDataRow } from '../formats/dhis14-xml/writer.ts';
import { dhis14Writer } from '../formats/registry.ts';
import { dosStampOfIso, ZipEntriesWriter } from '../io/zip-entries.ts';
import { asStringList, checkCompression, reportProgress, summaryWarnings, warn, type ExportWarning } from './common.ts';
import { resolveIds } from './id-maps.ts';
import { parseDataSelection } from './data-selection.ts';

const { DHIS14_TABLES, META_ENTRY, OLE_NEVER, ROUTINE_DATA_ENTRY, accessDateTime, accessNumber, latin1, metaDataEnd, metaDataHead, metaDataRow, oleDays, routineDataHeader, routineDataLine } = dhis14Writer();

type Json = Record<string, unknown>;
const ref = (v: unknown): string | null => (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : null);
const refs = (v: unknown): string[] => (Array.isArray(v) ? v.map(ref).filter((x): x is string => !!x) : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** DHIS2 period type → 1.4's DataPeriodTypeID (spec: 1 Monthly, 2 Quarterly, 3 Yearly, 6 Daily, 7 Weekly, 8 Six-monthly). */
export const DHIS14_PERIOD_TYPE: Partial<Record<PeriodType, number>> = { Monthly: 1, Quarterly: 2, Yearly: 3, Daily: 6, Weekly: 7, SixMonthly: 8 };

/** DHIS2 value type → 1.4's DataTypeID (1 Date, 2 Memo, 3 Number, 4 String, 5 YesNo). */
export function dhis14DataType(valueType: string | null | undefined): number {
  switch (valueType) {
    case 'DATE':
    case 'DATETIME':
    case 'AGE':
      return 1;
    case 'LONG_TEXT':
      return 2;
    case 'NUMBER':
    case 'INTEGER':
    case 'INTEGER_POSITIVE':
    case 'INTEGER_NEGATIVE':
    case 'INTEGER_ZERO_OR_POSITIVE':
    case 'PERCENTAGE':
    case 'UNIT_INTERVAL':
      return 3;
    case 'BOOLEAN':
    case 'TRUE_ONLY':
      return 5;
    default:
      return 4;
  }
}

/** DHIS2 aggregation type → 1.4's AggregateOperator (Sum, Avg or Count; 1.4 knows no other). */
export function dhis14AggregateOperator(t: string | null | undefined): string {
  if (t === 'COUNT') return 'Count';
  if (t && t.startsWith('AVERAGE')) return 'Avg';
  return 'Sum';
}

const DATA_TYPES: [number, string, string][] = [
  [1, 'Date', 'Date'],
  [2, 'Memo', 'Long Text'],
  [3, 'Number', 'Number'],
  [4, 'String', 'Text'],
  [5, 'YesNo', 'Yes/No'],
  [6, 'Object', 'OLE Object'],
];
// [id, name, format, annualisation factor, upper day count, interval setting, base period part]
const PERIOD_TYPES: [number, string, string, number, number, string, string][] = [
  [1, 'Monthly', 'MMM-YY', 12, 31, 'm', 'MMM'],
  [2, 'Quarterly', 'QQ-YY', 4, 92, 'q', 'QQ'],
  [3, 'Yearly', 'YYYY', 1, 366, 'yyyy', 'YYYY'],
  [4, 'OnChange', 'DD-MMM-YY', 1, 0, 'd', 'DD'],
  [5, 'Survey', 'DD-MMM-YY', 1, 0, 'd', 'DD'],
  [6, 'Daily', 'DD-MMM-YY', 365, 1, 'd', 'DD'],
  [7, 'Weekly', 'WW-YY', 52, 7, 'ww', 'WW'],
  [8, 'Six-monthly', 'SS-YY', 2, 184, 'm', 'SS'],
  [9, 'TwoYearly', 'YYYY', 0.5, 731, 'yyyy', 'YYYY'],
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A period's 1.4 name: `Jan-06` for months (1.4's MMM-YY), the ISO id otherwise. */
function periodName(iso: string, type: PeriodType, start: string): string {
  return type === 'Monthly' ? `${MONTHS[Number(start.slice(5, 7)) - 1]}-${start.slice(2, 4)}` : iso;
}

/** 16-bit Access Integer: the largest id 1.4's ID columns hold. */
const MAX_INTEGER = 32767;

// ---- output ---------------------------------------------------------------------------------------------------------

/** Writes the two zip entries through batched Latin-1 text, with progress, cancellation and 1.4's column limits. */
class Dhis14Out {
  private parts: string[] = [];
  private size = 0;
  readonly encoding = { replaced: 0 };
  /** text values longer than their 1.4 column: count, and the first few as "Table.Column" */
  longTexts = 0;
  readonly longWhere = new Set<string>();
  constructor(
    readonly zip: ZipEntriesWriter,
    private readonly ctx: JobContext,
  ) {}

  push(s: string): boolean {
    this.parts.push(s);
    this.size += s.length;
    return this.size >= 256 * 1024;
  }
  async flush(): Promise<void> {
    if (this.parts.length) {
      const s = this.parts.join('');
      this.parts = [];
      this.size = 0;
      await this.zip.write(latin1(s, this.encoding));
    }
    this.ctx.throwIfCancelled();
  }
  /** one metadata row; true when the caller should flush */
  row(table: Dhis14Table, r: Record<string, Dhis14Value>): boolean {
    for (const c of table.columns) {
      const v = r[c.name];
      if (c.size && typeof v === 'string' && v.length > c.size) {
        this.longTexts++;
        if (this.longWhere.size < 5) this.longWhere.add(`${table.name}.${c.name}`);
      }
    }
    return this.push(metaDataRow(table, r));
  }
}

async function writeZip(
  ctx: JobContext,
  out: string,
  format: string,
  compression: string,
  body: (o: Dhis14Out) => Promise<{ counts: Record<string, number>; warnings: ExportWarning[] }>,
): Promise<ExportSummary> {
  if (checkCompression(compression) !== 'none')
    throw ferryError('BAD_REQUEST', 'export.dhis14Zip', { compression });
  const sink = openOutput(out, 'none', path.basename(out));
  const zip = new ZipEntriesWriter((b) => sink.write(b), {
    stamp: dosStampOfIso(ctx.now),
    utf8Names: false,
    tooLarge: (entry) =>
      `The DHIS 1.4 export would pass the 4 GB a zip${entry ? ' entry' : ''} can hold: export fewer values at a time (an org unit, a data set or a period range).`,
  });
  const o = new Dhis14Out(zip, ctx);
  let written: { counts: Record<string, number>; warnings: ExportWarning[] };
  let result: { bytes: number; sha256: string };
  try {
    written = await body(o);
    await o.flush();
    await zip.finish();
    result = await sink.close();
  } catch (e) {
    zip.destroy();
    await sink.abort().catch(() => undefined);
    throw e;
  }
  const warnings = [...written.warnings];
  if (o.longTexts) {
    written.counts.textsLongerThanDhis14Columns = o.longTexts;
    warnings.push(warn('export.warn.dhis14LongTexts', { count: o.longTexts, where: [...o.longWhere].join(', ') }));
  }
  if (o.encoding.replaced) {
    written.counts.charactersReplaced = o.encoding.replaced;
    warnings.push(warn('export.warn.dhis14Replaced', { count: o.encoding.replaced }));
  }
  // the file is a zip of 1.4's XML and text entries: the summary says so (the request's compression is none)
  const summary: ExportSummary = { responseType: 'ExportSummary', status: 'OK', file: out, format, compression: 'zip', bytes: result.bytes, sha256: result.sha256, counts: written.counts };
  if (warnings.length) {
    summary.status = 'WARNING';
    Object.assign(summary, summaryWarnings(warnings));
  }
  return summary;
}

// ---- numbering ----------------------------------------------------------------------------------------------------------

/**
 * 1.4 ids. An object that came from DHIS 1.4 (Ferry's 1.4 import keeps its legacy id: dhis14_mapping) gets its 1.4 id
 * back, so an export matches the 1.4 database it came from and a re-import maps to the same objects. Every other
 * object is numbered after the largest legacy id of its type, in the order objects were stored (so the three exports
 * of one database number an object alike, and no number is one a kept 1.4 id already means).
 */
class Numbering {
  private readonly byUid = new Map<string, Map<string, number>>();
  private readonly byId = new Map<string, Map<number, number>>();
  readonly tooLarge = new Set<string>();
  constructor(private readonly repo: Dhis14ExportRepo) {}
  private load(type: string): void {
    if (this.byUid.has(type)) return;
    const u = new Map<string, number>();
    const i = new Map<number, number>();
    const legacy = new Map<string, number>();
    let next = 0;
    for (const [legacyId, uid] of this.repo.legacyIds(type)) {
      if (legacyId < 1 || legacyId > MAX_INTEGER) continue;
      next = Math.max(next, legacyId);
      if (!legacy.has(uid)) legacy.set(uid, legacyId);
    }
    // the 1.4 import stores a calculated data element as an indicator under 100000 + its DataElementID: that id
    // still means it in the 1.4 database, so no other data element takes it
    if (type === 'dataElements')
      for (const [legacyId] of this.repo.legacyIds('indicators')) if (legacyId > 100_000 && legacyId - 100_000 <= MAX_INTEGER) next = Math.max(next, legacyId - 100_000);
    const used = new Set<number>();
    const rows = this.repo.idsOfType(type);
    for (const [id, uid] of rows) {
      const l = legacy.get(uid);
      if (l !== undefined && !used.has(l)) {
        used.add(l);
        u.set(uid, l);
        i.set(id, l);
      }
    }
    for (const [id, uid] of rows) {
      if (u.has(uid)) continue;
      const n = ++next;
      u.set(uid, n);
      i.set(id, n);
    }
    if (next > MAX_INTEGER) this.tooLarge.add(type);
    this.byUid.set(type, u);
    this.byId.set(type, i);
  }
  uid(type: string, uid: string | null): number | undefined {
    if (!uid) return undefined;
    this.load(type);
    return this.byUid.get(type)!.get(uid);
  }
  id(type: string, id: number): number | undefined {
    this.load(type);
    return this.byId.get(type)!.get(id);
  }
  /** metadata_object id → 1.4 id as an array (O(1) per exported value) */
  array(type: string): number[] {
    this.load(type);
    const a: number[] = [];
    for (const [id, n] of this.byId.get(type)!) a[id] = n;
    return a;
  }
  /** the largest 1.4 id of a type (0 when it has no objects) */
  max(type: string): number {
    this.load(type);
    let m = 0;
    for (const n of this.byUid.get(type)!.values()) m = Math.max(m, n);
    return m;
  }
}

// ---- formulas -----------------------------------------------------------------------------------------------------------

const OPERAND = /#\{([A-Za-z0-9]{11})(?:\.([A-Za-z0-9*]{1,11}))?(?:\.([A-Za-z0-9*]{1,11}))?\}/g;
const OTHER_ITEM = /\b(?:I|C|D|R|N|A|OUG|PS_EVENTDATE|V)\{[^}]*\}|\[days\]/g;

/**
 * A DHIS2 indicator expression in 1.4's form: each data element operand `#{de}` (or `#{de.coc}`, whose
 * disaggregation 1.4 cannot hold: the data element's total) becomes `Sum([R<1.4 id>])`; operands of data elements
 * not in the database, and items 1.4 has no counterpart for (constants, indicators, reporting rates, program items,
 * org unit groups, [days]), become 0. `problems` collects what was changed.
 */
export function dhis14Formula(expr: string, deId: (uid: string) => number | undefined, defaultCoc: Set<string>, problems: string[]): string {
  let s = expr.replace(OPERAND, (_m, de: string, coc?: string, aoc?: string) => {
    const id = deId(de);
    if (id == null) {
      problems.push(`data element ${de} is not in the export`);
      return '0';
    }
    if ((coc && coc !== '*' && !defaultCoc.has(coc)) || (aoc && aoc !== '*' && !defaultCoc.has(aoc))) problems.push(`${_m}: 1.4 has no disaggregation, the data element's total is used`);
    return `Sum([R${id}])`;
  });
  s = s.replace(OTHER_ITEM, (m) => {
    problems.push(`${m} has no DHIS 1.4 form`);
    return '0';
  });
  return s;
}

// ---- metadata ------------------------------------------------------------------------------------------------------------

interface MetaPlan {
  /** data elements to write (uids), null = all */
  dataElements: Set<string> | null;
  /** indicators to write (uids), null = all, empty = none */
  indicators: Set<string> | null;
  groups: boolean;
  dataSets: boolean;
  orgUnits: boolean;
  orgUnitGroups: boolean;
  periods: boolean;
}

interface MetaResult {
  counts: Record<string, number>;
  warnings: ExportWarning[];
  /** data element 1.4 id → DataTypeID */
  dataTypeOf: Map<number, number>;
}

function tablesOf(plan: MetaPlan): Dhis14Table[] {
  const t = DHIS14_TABLES;
  const list: Dhis14Table[] = [t.DataType, t.DataPeriodType];
  if (plan.periods) list.push(t.DataPeriod);
  list.push(t.DataElement);
  if (plan.indicators === null || plan.indicators.size) list.push(t.IndicatorType, t.Indicator);
  if (plan.groups) list.push(t.DataElementAndIndicatorGroup, t.DataElementGroupMember, t.IndicatorGroupMember);
  if (plan.dataSets) list.push(t.DataSet, t.DataSetElement, t.DataSetOrgUnit);
  if (plan.orgUnits) list.push(t.OrgUnitStructure, t.OrgUnit, t.OrgHierarchy);
  if (plan.orgUnitGroups) list.push(t.OrgUnitGroup, t.OrgUnitGroupMember, t.OrgUnitGroupSet, t.OrgUnitGroupSetMember);
  return list;
}

async function writeMetadata(ctx: JobContext, o: Dhis14Out, plan: MetaPlan, fileName: string): Promise<MetaResult> {
  const db = ctx.db;
  const repo = new Dhis14ExportRepo(db);
  const meta = new MetadataLookupRepo(db);
  const nb = new Numbering(repo);
  const counts: Record<string, number> = {};
  const warnings: ExportWarning[] = [];
  const t = DHIS14_TABLES;
  const tables = tablesOf(plan);
  const user = 1;
  let written = 0;
  const step = async (full: boolean): Promise<void> => {
    written++;
    if (full) {
      reportProgress(ctx, written, null, fileName);
      await o.flush();
    }
  };

  await o.zip.begin(META_ENTRY);
  o.push(metaDataHead({ tables, dataFile: path.basename(db.name), exported: ctx.now }));

  for (const [id, name, display] of DATA_TYPES) o.row(t.DataType, { DataTypeID: id, DataTypeName: name, DataTypeDisplay: display });
  for (const [id, name, fmt, factor, days, interval, base] of PERIOD_TYPES)
    o.row(t.DataPeriodType, {
      DataPeriodTypeID: id,
      DataPeriodTypeNameEng: name,
      DataPeriodTypeName: name,
      SortOrder: id,
      DataPeriodFormat: fmt,
      AnnualisationFactor: factor,
      UpperRangeDayCount: days,
      DataPeriodIntervalSetting: interval,
      FirstDayOfWeekID: 2,
      FirstWeekOfYearID: 2,
      Supported: id === 4 || id === 5 || id === 9 ? 0 : 1,
      BasePeriodPart: base,
    });

  // periods: the stored periods of 1.4's types
  if (plan.periods) {
    let n = 0;
    for (const [pid, iso, start, end] of new PeriodsRepo(db).all()) {
      const p = parsePeriod(iso);
      const type = p ? DHIS14_PERIOD_TYPE[p.type] : undefined;
      if (!p || !type) continue;
      n++;
      const name = periodName(iso, p.type, start);
      await step(o.row(t.DataPeriod, { DataPeriodID: pid, DataPeriodNameEng: name, DataPeriodName: name, DataPeriodTypeID: type, ValidFrom: oleDays(start), ValidTo: oleDays(end), Selected: 1 }));
    }
    counts.periods = n;
  }

  // data sets first (only read): a data element's 1.4 period type is the one of its first data set
  const dePeriodType = new Map<string, number>();
  const dataSets: Json[] = [];
  for (const r of repo.objectsOfType('dataSets')) {
    const ds = JSON.parse(r.json) as Json;
    const type = DHIS14_PERIOD_TYPE[ds.periodType as PeriodType];
    const des = [...(Array.isArray(ds.dataSetElements) ? (ds.dataSetElements as Json[]).map((x) => ref(x.dataElement)) : []), ...refs(ds.dataElements)];
    for (const de of des) if (de && type && !dePeriodType.has(de)) dePeriodType.set(de, type);
    if (plan.dataSets) dataSets.push({ ...ds, __des: des });
  }

  const defaultCoc = new Set(meta.defaultCategoryObjectUids());
  const dataTypeOf = new Map<number, number>();
  let deCount = 0;
  let aggregateLevel: number | null = null;
  const tree = plan.orgUnits ? orgUnitLevels(repo) : null;
  if (tree) aggregateLevel = tree.maxLevel;
  for (const r of repo.objectsOfType('dataElements')) {
    if (plan.dataElements && !plan.dataElements.has(r.uid)) continue;
    const de = JSON.parse(r.json) as Json;
    if (de.domainType === 'TRACKER') continue;
    const id = nb.id('dataElements', r.id)!;
    const dataType = dhis14DataType(str(de.valueType));
    dataTypeOf.set(id, dataType);
    deCount++;
    await step(
      o.row(t.DataElement, {
        DataElementID: id,
        SortOrder: id,
        DataElementCode: r.code,
        DataElementName: r.name ?? r.uid,
        DataElementShort: str(de.shortName) ?? r.name ?? r.uid,
        DataElementPrompt: str(de.formName),
        MetaDataElement: 0,
        DataTypeID: dataType,
        DataPeriodTypeID: dePeriodType.get(r.uid) ?? 1,
        ValidFrom: oleDays(str(de.created)),
        ValidTo: OLE_NEVER,
        DataElementDescription: str(de.description),
        Calculated: 0,
        SaveCalculated: 0,
        AggregateStartLevel: aggregateLevel,
        AggregateOperator: dhis14AggregateOperator(str(de.aggregationType)),
        Selected: 1,
        LastUserID: user,
        LastUpdated: str(de.lastUpdated),
      }),
    );
  }
  counts.dataElements = deCount;

  if (plan.indicators === null || plan.indicators.size) {
    const inTypes = new Set<string>();
    const indicators: { id: number; uid: string; code: string | null; name: string | null; json: Json }[] = [];
    for (const r of repo.objectsOfType('indicators')) {
      if (plan.indicators && !plan.indicators.has(r.uid)) continue;
      const ind = JSON.parse(r.json) as Json;
      const type = ref(ind.indicatorType);
      if (type) inTypes.add(type);
      indicators.push({ id: r.id, uid: r.uid, code: r.code, name: r.name, json: ind });
    }
    let nTypes = 0;
    for (const r of repo.objectsOfType('indicatorTypes')) {
      if (plan.indicators && !inTypes.has(r.uid)) continue;
      const it = JSON.parse(r.json) as Json;
      nTypes++;
      o.row(t.IndicatorType, { IndicatorTypeID: nb.id('indicatorTypes', r.id)!, IndicatorTypeName: r.name ?? r.uid, Factor: typeof it.factor === 'number' ? it.factor : 1 });
    }
    counts.indicatorTypes = nTypes;
    const deIdInFile = (uid: string): number | undefined => {
      const n = nb.uid('dataElements', uid);
      return n != null && (plan.dataElements == null || plan.dataElements.has(uid)) ? n : undefined;
    };
    const formulaProblems: string[] = [];
    for (const ind of indicators) {
      const j = ind.json;
      const problems: string[] = [];
      const id = nb.id('indicators', ind.id)!;
      const typeId = nb.uid('indicatorTypes', ref(j.indicatorType));
      await step(
        o.row(t.Indicator, {
          IndicatorID: id,
          SortOrder: id,
          IndicatorCode: ind.code,
          IndicatorName: ind.name ?? ind.uid,
          IndicatorShort: str(j.shortName) ?? ind.name ?? ind.uid,
          IndicatorPrompt: str(j.formName),
          ValidFrom: oleDays(str(j.created)),
          ValidTo: OLE_NEVER,
          IndicatorDescription: str(j.description),
          Selected: 1,
          IndicatorTypeID: typeId,
          DataPeriodTypeID: 1,
          Annualised: j.annualized === true ? 1 : 0,
          IndicatorNumerator: dhis14Formula(str(j.numerator) ?? '0', deIdInFile, defaultCoc, problems),
          IndicatorNumeratorDescription: str(j.numeratorDescription),
          IndicatorDenominator: dhis14Formula(str(j.denominator) ?? '1', deIdInFile, defaultCoc, problems),
          IndicatorDenominatorDescription: str(j.denominatorDescription),
          LastUserID: user,
          LastUpdated: str(j.lastUpdated),
        }),
      );
      if (problems.length) formulaProblems.push(`${ind.name ?? ind.uid}: ${[...new Set(problems)].join('; ')}`);
    }
    counts.indicators = indicators.length;
    if (formulaProblems.length) {
      counts.indicatorFormulasChanged = formulaProblems.length;
      const list = formulaProblems.slice(0, 5).join(' | ');
      warnings.push(
        formulaProblems.length > 5
          ? warn('export.warn.dhis14FormulasMore', { count: formulaProblems.length, list, more: formulaProblems.length - 5 })
          : warn('export.warn.dhis14Formulas', { count: formulaProblems.length, list }),
      );
    }
  }

  if (plan.groups) {
    // One 1.4 table holds both kinds of group (1.4 made a data element group and an indicator group of each row): an
    // indicator group named like a data element group shares its row; the others follow the data element groups.
    const rowOfName = new Map<string, number>();
    let top = nb.max('dataElementGroups');
    const members: [number, number][] = [];
    const indMembers: [number, number][] = [];
    let n = 0;
    for (const r of repo.objectsOfType('dataElementGroups')) {
      const g = JSON.parse(r.json) as Json;
      const id = nb.id('dataElementGroups', r.id)!;
      const name = r.name ?? r.uid;
      n++;
      if (!rowOfName.has(name)) rowOfName.set(name, id);
      o.row(t.DataElementAndIndicatorGroup, { DataElementAndIndicatorGroupID: id, DataElementAndIndicatorGroupName: name, DataElementAndIndicatorGroupDescription: str(g.description), LastUserID: user, LastUpdated: str(g.lastUpdated) });
      for (const de of refs(g.dataElements)) {
        const d = nb.uid('dataElements', de);
        if (d != null) members.push([id, d]);
      }
    }
    counts.dataElementGroups = n;
    n = 0;
    for (const r of repo.objectsOfType('indicatorGroups')) {
      const g = JSON.parse(r.json) as Json;
      const name = r.name ?? r.uid;
      let id = rowOfName.get(name);
      if (id === undefined) {
        id = ++top;
        rowOfName.set(name, id);
        o.row(t.DataElementAndIndicatorGroup, { DataElementAndIndicatorGroupID: id, DataElementAndIndicatorGroupName: name, DataElementAndIndicatorGroupDescription: str(g.description), LastUserID: user, LastUpdated: str(g.lastUpdated) });
      }
      n++;
      for (const ind of refs(g.indicators)) {
        const i = nb.uid('indicators', ind);
        if (i != null) indMembers.push([id, i]);
      }
    }
    counts.indicatorGroups = n;
    if (top > MAX_INTEGER) nb.tooLarge.add('dataElementGroups and indicatorGroups');
    for (const [g, d] of members) await step(o.row(t.DataElementGroupMember, { DataElementAndIndicatorGroupID: g, DataElementID: d }));
    for (const [g, i] of indMembers) await step(o.row(t.IndicatorGroupMember, { DataElementAndIndicatorGroupID: g, IndicatorID: i }));
  }

  if (plan.dataSets) {
    const links: [string, number, number][] = [];
    let unsupported = 0;
    for (const ds of dataSets) {
      const id = nb.uid('dataSets', ds.id as string)!;
      const type = DHIS14_PERIOD_TYPE[ds.periodType as PeriodType];
      if (!type) unsupported++;
      o.row(t.DataSet, { DataSetID: id, DataSetName: str(ds.name) ?? (ds.id as string), DataPeriodTypeID: type, SortOrder: id, UseDailyCaptureForm: 0 });
      for (const de of new Set(ds.__des as string[])) {
        const d = nb.uid('dataElements', de);
        if (d != null) links.push(['e', id, d]);
      }
      for (const ou of new Set(refs(ds.organisationUnits))) {
        const u = nb.uid('organisationUnits', ou);
        if (u != null) links.push(['o', id, u]);
      }
    }
    for (const [k, ds, x] of links) if (k === 'e') await step(o.row(t.DataSetElement, { DataSetID: ds, DataElementID: x }));
    for (const [k, ds, x] of links) if (k === 'o') await step(o.row(t.DataSetOrgUnit, { DataSetID: ds, OrgUnitID: x }));
    counts.dataSets = dataSets.length;
    if (unsupported) warnings.push(warn('export.warn.dhis14DataSetPeriodType', { count: unsupported }));
  }

  if (plan.orgUnits && tree) {
    o.row(t.OrgUnitStructure, { OrgUnitStructureID: 1, OrgUnitStructureName: 'Ferry export', OrgUnitStructureDescription: `Exported by Ferry on ${ctx.now.slice(0, 10)}`, OrgUnitLevelCount: tree.maxLevel });
    let n = 0;
    for (const r of repo.objectsOfType('organisationUnits')) {
      const ou = JSON.parse(r.json) as Json;
      const id = nb.id('organisationUnits', r.id)!;
      const closed = str(ou.closedDate);
      n++;
      await step(
        o.row(t.OrgUnit, {
          OrgUnitID: id,
          OrgUnitCode: r.code,
          OrgUnitLevel: tree.level.get(r.id) ?? null,
          OrgUnitName: r.name ?? r.uid,
          OrgUnitShort: str(ou.shortName) ?? r.name ?? r.uid,
          ValidFrom: oleDays(str(ou.openingDate)),
          ValidTo: oleDays(closed) ?? OLE_NEVER,
          Active: closed ? 0 : 1,
          Comment: str(ou.comment),
          Selected: 1,
          LastUserID: user,
          LastUpdated: str(ou.lastUpdated),
        }),
      );
    }
    counts.organisationUnits = n;
    for (const [id, , parentUid] of tree.rows) {
      const child = nb.id('organisationUnits', id)!;
      const parent = nb.uid('organisationUnits', parentUid) ?? child;
      await step(o.row(t.OrgHierarchy, { OrgHierarchyID: child, OrgUnitLevel: tree.level.get(id) ?? null, OrgUnitStructureID: 1, OrgUnitChildID: child, OrgUnitParentID: parent, LastUserID: user }));
    }
  }

  if (plan.orgUnitGroups) {
    let n = 0;
    const members: [number, number][] = [];
    for (const r of repo.objectsOfType('organisationUnitGroups')) {
      const g = JSON.parse(r.json) as Json;
      const id = nb.id('organisationUnitGroups', r.id)!;
      n++;
      o.row(t.OrgUnitGroup, { OrgUnitGroupID: id, OrgUnitGroupName: r.name ?? r.uid });
      for (const ou of new Set(refs(g.organisationUnits))) {
        const u = nb.uid('organisationUnits', ou);
        if (u != null) members.push([id, u]);
      }
    }
    for (const [g, u] of members) await step(o.row(t.OrgUnitGroupMember, { OrgUnitGroupID: g, OrgUnitID: u }));
    counts.organisationUnitGroups = n;
    n = 0;
    const setMembers: [number, number][] = [];
    for (const r of repo.objectsOfType('organisationUnitGroupSets')) {
      const s = JSON.parse(r.json) as Json;
      const id = nb.id('organisationUnitGroupSets', r.id)!;
      n++;
      o.row(t.OrgUnitGroupSet, { OrgUnitGroupSetID: id, OrgUnitGroupSetName: r.name ?? r.uid, OrgUnitGroupSetDescription: str(s.description), OrgUnitGroupSetCompulsory: s.compulsory === true ? 1 : 0 });
      for (const g of new Set(refs(s.organisationUnitGroups))) {
        const x = nb.uid('organisationUnitGroups', g);
        if (x != null) setMembers.push([id, x]);
      }
    }
    for (const [s, g] of setMembers) o.row(t.OrgUnitGroupSetMember, { OrgUnitGroupSetID: s, OrgUnitGroupID: g });
    counts.organisationUnitGroupSets = n;
  }

  o.push(metaDataEnd());
  await o.flush();
  await o.zip.end();
  if (nb.tooLarge.size)
    warnings.push(warn('export.warn.dhis14TooManyIds', { max: MAX_INTEGER, types: [...nb.tooLarge].join(', ') }));
  return { counts, warnings, dataTypeOf };
}

/** Each org unit's level: the stored level, else the depth from its root (parents followed, cycles cut). */
function orgUnitLevels(repo: Dhis14ExportRepo): { rows: [number, string, string | null, number | null][]; level: Map<number, number>; maxLevel: number } {
  const rows = repo.orgUnitTree();
  const byUid = new Map<string, [number, string, string | null, number | null]>();
  for (const r of rows) byUid.set(r[1], r);
  const level = new Map<number, number>();
  const depth = (r: [number, string, string | null, number | null], seen: Set<number>): number => {
    const known = level.get(r[0]);
    if (known != null) return known;
    let d: number;
    if (r[3] != null && r[3] > 0) d = r[3];
    else {
      const p = r[2] ? byUid.get(r[2]) : undefined;
      d = p && !seen.has(p[0]) ? depth(p, seen.add(r[0])) + 1 : 1;
    }
    level.set(r[0], d);
    return d;
  };
  let maxLevel = 0;
  for (const r of rows) maxLevel = Math.max(maxLevel, depth(r, new Set()));
  return { rows, level, maxLevel };
}

function emptyRoutineData(o: Dhis14Out): Promise<void> {
  return (async () => {
    await o.zip.begin(ROUTINE_DATA_ENTRY);
    o.push(routineDataHeader());
    await o.flush();
    await o.zip.end();
  })();
}

// ---- the three exporters -----------------------------------------------------------------------------------------------

const OWN = { formats: ['xml'] as const, label: 'A DHIS 1.4 export' };
function checkFormat(format: string): void {
  if (format !== 'xml') throw ferryError('UNSUPPORTED', 'export.dhis14Format', { format });
}

export const dhis14MetadataExporter: Exporter = {
  kind: 'dhis14-metadata',
  ownFormats: OWN,
  async run(ctx, out, format, compression, _options) {
    checkFormat(format);
    const fileName = path.basename(out);
    ctx.progress({ stage: 'exporting', done: 0, total: null, unit: 'records', records: 0, fileIndex: 0, fileName });
    const summary = await writeZip(ctx, out, format, compression, async (o) => {
      const plan: MetaPlan = { dataElements: null, indicators: null, groups: true, dataSets: true, orgUnits: true, orgUnitGroups: true, periods: true };
      const m = await writeMetadata(ctx, o, plan, fileName);
      await emptyRoutineData(o);
      return { counts: m.counts, warnings: m.warnings };
    });
    return { summary };
  },
};

function pickedLists(options: Record<string, unknown>): { dataElements: string[]; indicators: string[] } {
  return { dataElements: asStringList(options.dataElements ?? options.dataElement), indicators: asStringList(options.indicators ?? options.indicator) };
}

export const dhis14DetailedMetadataExporter: Exporter = {
  kind: 'dhis14-detailed-metadata',
  ownFormats: OWN,
  checkOptions(options) {
    const p = pickedLists(options);
    if (!p.dataElements.length && !p.indicators.length)
      throw ferryError('BAD_REQUEST', 'export.dhis14NeedsObjects');
    return { ...options, dataElements: p.dataElements, indicators: p.indicators };
  },
  async run(ctx, out, format, compression, options) {
    checkFormat(format);
    const p = pickedLists(options);
    if (!p.dataElements.length && !p.indicators.length)
      throw ferryError('BAD_REQUEST', 'export.dhis14NeedsObjects');
    const meta = new MetadataLookupRepo(ctx.db);
    const deIds = resolveIds(meta, 'dataElements', p.dataElements, 'dataElement');
    const indIds = resolveIds(meta, 'indicators', p.indicators, 'indicator');
    const des = new Set(deIds.map((id) => meta.uidOf(id)!));
    const inds = new Set(indIds.map((id) => meta.uidOf(id)!));
    // what the indicators need: the data elements their formulas use
    for (const id of indIds) {
      const j = JSON.parse(meta.jsonById(id)!) as Json;
      for (const e of [str(j.numerator), str(j.denominator)])
        for (const m of (e ?? '').matchAll(OPERAND)) if (meta.idByUid('dataElements', m[1]!) != null) des.add(m[1]!);
    }
    const fileName = path.basename(out);
    ctx.progress({ stage: 'exporting', done: 0, total: null, unit: 'records', records: 0, fileIndex: 0, fileName });
    const summary = await writeZip(ctx, out, format, compression, async (o) => {
      const plan: MetaPlan = { dataElements: des, indicators: inds, groups: false, dataSets: false, orgUnits: false, orgUnitGroups: false, periods: false };
      const m = await writeMetadata(ctx, o, plan, fileName);
      await emptyRoutineData(o);
      return { counts: m.counts, warnings: m.warnings };
    });
    return { summary };
  },
};

const DATA_OPTIONS = new Set([
  'orgUnit', 'orgUnits', 'children', 'includeChildren', 'descendants', 'includeDescendants', 'orgUnitGroup', 'orgUnitGroups', 'dataSet', 'dataSets',
  'dataElementGroup', 'dataElementGroups', 'dataElement', 'dataElements', 'period', 'periods', 'startDate', 'endDate', 'lastUpdated', 'lastUpdatedDuration',
]);

export const dhis14DataExporter: Exporter = {
  kind: 'dhis14-data',
  ownFormats: OWN,
  checkOptions(options) {
    const unknown = Object.keys(options).filter((k) => !DATA_OPTIONS.has(k) && options[k] !== undefined && options[k] !== false);
    if (unknown.length)
      throw ferryError('BAD_REQUEST', 'export.dhis14DataOptions', { options: unknown.join(', ') }, { options: unknown });
    return options;
  },
  async run(ctx, out, format, compression, options) {
    checkFormat(format);
    const db = ctx.db;
    const sel = parseDataSelection(db, options, new Date(ctx.now));
    sel.filter.includeDeleted = false;
    const fileName = path.basename(out);
    ctx.progress({ stage: 'exporting', done: 0, total: null, unit: 'records', records: 0, fileIndex: 0, fileName });
    cacheSize(db, 8192);
    const values = new DataValuesRepo(db);
    const total = filtersRows(sel.filter) ? values.count(sel.filter) : values.countLive();
    const meta = new MetadataLookupRepo(db);
    const summary = await writeZip(ctx, out, format, compression, async (o) => {
      const selectedDes = sel.dataElementFilter ? new Set(sel.dataElementFilter.map((id) => meta.uidOf(id)!)) : null;
      const plan: MetaPlan = { dataElements: selectedDes, indicators: new Set(), groups: false, dataSets: false, orgUnits: true, orgUnitGroups: false, periods: true };
      const m = await writeMetadata(ctx, o, plan, fileName);
      const nb = new Numbering(new Dhis14ExportRepo(db));
      const deIds = nb.array('dataElements');
      const ouIds = nb.array('organisationUnits');
      const typeOf: number[] = [];
      for (const [id, t] of m.dataTypeOf) typeOf[id] = t;
      const defaults = new Set(meta.defaultCategoryOptionComboIds());
      // period id → 1.4 period type (undefined: a type 1.4 lacks)
      const periodOk: boolean[] = [];
      for (const [id, iso] of new PeriodsRepo(db).all()) {
        const p = parsePeriod(iso);
        periodOk[id] = !!(p && DHIS14_PERIOD_TYPE[p.type]);
      }
      await o.zip.begin(ROUTINE_DATA_ENTRY);
      o.push(routineDataHeader());
      let n = 0;
      let seen = 0;
      let disaggregated = 0;
      let badPeriod = 0;
      let notOfType = 0;
      const row: RoutineDataRow = { routineDataId: 0, orgUnitId: 0, dataElementId: 0, dataPeriodId: 0 };
      for (const r of values.exportRows(sel.filter, false, null)) {
        seen++;
        if (!defaults.has(r[3]) || !defaults.has(r[4])) {
          disaggregated++;
          continue;
        }
        if (!periodOk[r[1]]) {
          badPeriod++;
          continue;
        }
        const de = deIds[r[0]];
        const ou = ouIds[r[2]];
        if (de === undefined || ou === undefined) continue;
        const v = r[5] ?? '';
        row.routineDataId = ++n;
        row.orgUnitId = ou;
        row.dataElementId = de;
        row.dataPeriodId = r[1];
        row.entryText = row.entryYesNo = row.entryNumber = row.entryDate = row.entryMemo = null;
        switch (typeOf[de] ?? 4) {
          case 3: {
            const num = accessNumber(v);
            if (num == null) {
              notOfType++;
              row.entryText = v;
            } else row.entryNumber = num;
            break;
          }
          case 5:
            row.entryYesNo = v === 'true' || v === '1' ? 1 : 0;
            break;
          case 1:
            if (accessDateTime(v) == null) {
              notOfType++;
              row.entryText = v;
            } else row.entryDate = v;
            break;
          case 2:
            row.entryMemo = v;
            break;
          default:
            row.entryText = v;
        }
        row.comment = r[9];
        row.lastUpdated = r[8];
        if (o.push(routineDataLine(row))) {
          reportProgress(ctx, seen, total, fileName);
          await o.flush();
        }
      }
      await o.flush();
      await o.zip.end();
      reportProgress(ctx, seen, seen, fileName);
      const counts: Record<string, number> = { ...m.counts, dataValues: n };
      const warnings = [...m.warnings];
      if (disaggregated) {
        counts.valuesWithDisaggregation = disaggregated;
        warnings.push(warn('export.warn.dhis14Disaggregated', { count: disaggregated }));
      }
      if (badPeriod) {
        counts.valuesInPeriodTypesDhis14Lacks = badPeriod;
        warnings.push(warn('export.warn.dhis14PeriodType', { count: badPeriod }));
      }
      if (notOfType) {
        counts.valuesWrittenAsText = notOfType;
        warnings.push(warn('export.warn.dhis14AsText', { count: notOfType }));
      }
      return { counts, warnings };
    });
    return { summary };
  },
};
