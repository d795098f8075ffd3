/**
 * Aggregate data value export: JSON, XML (DXF2), CSV and ADX, streamed straight from one SQLite cursor through the
 * format writer into the compressed file — values are never collected in memory. Output id schemes per spec §5:
 * idScheme (default UID; CODE for ADX), dataElementIdScheme, orgUnitIdScheme, categoryOptionComboIdScheme,
 * attributeOptionComboIdScheme (default: the category option combo scheme, so a file exported with
 * categoryOptionComboIdScheme=CODE imports with the same option), dataSetIdScheme, and for ADX categoryIdScheme and
 * categoryOptionIdScheme.
 */
import type { Db } from '../db/open.ts';
import type { Exporter, JobContext } from '../jobs/types.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { ExportSummary } from '../../src-shared/api/contract.ts';
import type { DataValueOut, DataValueSetHeader, DataValueWriter } from '../formats/data-value-writer.ts';
import { adxPeriod, isNumericValueType, type AdxAttrs, type createAdxWriter } from '../formats/adx/writer.ts';
import { dataWriterFor, defaultIdSchemeOf } from '../formats/registry.ts';
import type { DataWriterFactory } from '../formats/types.ts';
import { isXmlName } from '../formats/shared/xml-writer.ts';
import type { DataSheetWriter } from '../formats/xlsx/data-writer.ts';
import { sinkWritable } from '../io/output.ts';
import { VERSION } from '../version.ts';
import { dhis2Timestamp, reportProgress, truncationWarning, warn, writeFile, type BatchedOutput, type ExportWarning, type WrittenCounts } from './common.ts';
import { IdMap, normalizeScheme, type IdScheme } from './id-maps.ts';
import { dataSetElementIds, parseDataSelection, type DataSelection } from './data-selection.ts';
import path from 'node:path';
import { periodToAdx } from '../../src-shared/dhis2/period.ts';
import { DataValuesRepo, filtersRows } from '../db/repos/data-values.ts';
import { DataValueExportRepo } from '../db/repos/data-value-export.ts';
import { MetadataLookupRepo } from '../db/repos/metadata-lookups.ts';
import { PeriodsRepo } from '../db/repos/periods.ts';
import { cacheSize } from '../db/tx.ts';

export interface DataIdSchemes {
  dataElement: IdScheme;
  orgUnit: IdScheme;
  categoryOptionCombo: IdScheme;
  attributeOptionCombo: IdScheme;
  dataSet: IdScheme;
  category: IdScheme;
  categoryOption: IdScheme;
}

export function parseDataIdSchemes(o: Record<string, unknown>, format: string): DataIdSchemes {
  const base = normalizeScheme(o.idScheme, defaultIdSchemeOf(format));
  const coc = normalizeScheme(o.categoryOptionComboIdScheme, base);
  return {
    dataElement: normalizeScheme(o.dataElementIdScheme, base),
    orgUnit: normalizeScheme(o.orgUnitIdScheme, base),
    categoryOptionCombo: coc,
    attributeOptionCombo: normalizeScheme(o.attributeOptionComboIdScheme, coc),
    dataSet: normalizeScheme(o.dataSetIdScheme, base),
    category: normalizeScheme(o.categoryIdScheme, base),
    categoryOption: normalizeScheme(o.categoryOptionIdScheme, base),
  };
}

/** One-entry cache: consecutive values usually share their timestamps. */
function cachedTimestamp(): (s: string | null) => string | null {
  let lastIn: string | null = null;
  let lastOut: string | null = null;
  return (s) => {
    if (s === lastIn) return lastOut;
    lastIn = s;
    lastOut = dhis2Timestamp(s);
    return lastOut;
  };
}

/** The root header of a single data value set: exactly one data set, one period and one selected org unit. */
function singleSetHeader(meta: MetadataLookupRepo, values: DataValuesRepo, sel: DataSelection, schemes: DataIdSchemes, periods: string[]): DataValueSetHeader | null {
  if (sel.dataSetIds.length !== 1 || sel.periodIds?.length !== 1 || sel.orgUnits.length !== 1 || sel.hasDataElementFilterBeyondDataSets) return null;
  const ou = sel.orgUnits[0]!;
  if (ou.mode !== 'SELECTED') return null;
  const ds = sel.dataSetIds[0]!;
  const pe = sel.periodIds[0]!;
  const complete = values.completionDate(ds, pe, ou.id);
  return {
    dataSet: new IdMap(meta, 'dataSets', schemes.dataSet).get(ds),
    completeDate: complete ? complete.slice(0, 10) : null,
    period: periods[pe] ?? null,
    orgUnit: new IdMap(meta, 'organisationUnits', schemes.orgUnit).get(ou.id),
  };
}

async function writeRows(
  ctx: JobContext,
  db: Db,
  o: BatchedOutput,
  writer: DataValueWriter,
  withCreated: boolean,
  sel: DataSelection,
  schemes: DataIdSchemes,
  total: number | null,
  fileName: string,
): Promise<Record<string, number>> {
  const meta = new MetadataLookupRepo(db);
  const values = new DataValuesRepo(db);
  const periods = new PeriodsRepo(db).isoById();
  const de = new IdMap(meta, 'dataElements', schemes.dataElement);
  const ou = new IdMap(meta, 'organisationUnits', schemes.orgUnit);
  const coc = new IdMap(meta, 'categoryOptionCombos', schemes.categoryOptionCombo);
  const aoc = schemes.attributeOptionCombo === schemes.categoryOptionCombo ? coc : new IdMap(meta, 'categoryOptionCombos', schemes.attributeOptionCombo);
  const created = cachedTimestamp();
  const updated = cachedTimestamp();
  o.push(writer.begin(singleSetHeader(meta, values, sel, schemes, periods)));
  let n = 0;
  let unidentified = 0;
  let deleted = 0;
  // one value object, filled again for each row: a writer turns it into its text at once and keeps nothing (a new
  // object per value was a million short-lived objects for the garbage collector)
  const v: DataValueOut = {
    dataElement: null, period: '', orgUnit: null, categoryOptionCombo: null, attributeOptionCombo: null, value: null,
    storedBy: null, created: null, lastUpdated: null, comment: null, followup: false, deleted: false,
  };
  // CSV has no created column: do not fetch it. Rows come a partition (org unit, period) at a time where the query
  // reads in key order (data-value-export.ts: half the CPU of a row cursor for a data set × year)
  for (const r of new DataValueExportRepo(db).exportRows(sel.filter, withCreated, sel.limit)) {
    v.dataElement = de.get(r[0]);
    v.period = periods[r[1]] ?? String(r[1]);
    v.orgUnit = ou.get(r[2]);
    v.categoryOptionCombo = coc.get(r[3]);
    v.attributeOptionCombo = aoc.get(r[4]);
    v.value = r[5];
    v.storedBy = r[6];
    v.created = created(r[7]);
    v.lastUpdated = updated(r[8]);
    v.comment = r[9];
    v.followup = r[10] === 1;
    v.deleted = r[11] === 1;
    if (v.dataElement == null || v.orgUnit == null || v.categoryOptionCombo == null || v.attributeOptionCombo == null) unidentified++;
    if (v.deleted) deleted++;
    n++;
    if (o.push(writer.row(v))) {
      reportProgress(ctx, n, total, fileName);
      await o.flush();
    }
  }
  o.push(writer.end());
  reportProgress(ctx, n, n, fileName);
  const counts: Record<string, number> = { dataValues: n };
  if (deleted) counts.deleted = deleted;
  if (unidentified) counts.valuesWithMissingIdentifiers = unidentified;
  return counts;
}

/**
 * The spreadsheet form (xlsx): the same rows as writeRows (same cursor, same id schemes, created included) with the
 * names of the data element, org unit and both option combos beside their identifiers, and the values of numeric
 * data elements as numbers. The writer continues on a further sheet past Excel's 1,048,575 rows.
 */
async function writeSheet(
  ctx: JobContext,
  db: Db,
  o: BatchedOutput,
  create: (out: ReturnType<typeof sinkWritable>) => DataSheetWriter,
  sel: DataSelection,
  schemes: DataIdSchemes,
  total: number | null,
  fileName: string,
): Promise<WrittenCounts> {
  const meta = new MetadataLookupRepo(db);
  const periods = new PeriodsRepo(db).isoById();
  const de = new IdMap(meta, 'dataElements', schemes.dataElement);
  const ou = new IdMap(meta, 'organisationUnits', schemes.orgUnit);
  const coc = new IdMap(meta, 'categoryOptionCombos', schemes.categoryOptionCombo);
  const aoc = schemes.attributeOptionCombo === schemes.categoryOptionCombo ? coc : new IdMap(meta, 'categoryOptionCombos', schemes.attributeOptionCombo);
  const deName = new IdMap(meta, 'dataElements', 'NAME');
  const ouName = new IdMap(meta, 'organisationUnits', 'NAME');
  const cocName = new IdMap(meta, 'categoryOptionCombos', 'NAME');
  const numeric = new Set<number>();
  for (const [id, vt] of meta.dataElementValueTypes()) if (isNumericValueType(vt)) numeric.add(id);
  const created = cachedTimestamp();
  const updated = cachedTimestamp();
  const w = create(sinkWritable(o.sink));
  let n = 0;
  let unidentified = 0;
  let deleted = 0;
  for (const r of new DataValueExportRepo(db).exportRows(sel.filter, true, sel.limit)) {
    const dataElement = de.get(r[0]);
    const orgUnit = ou.get(r[2]);
    const categoryOptionCombo = coc.get(r[3]);
    const attributeOptionCombo = aoc.get(r[4]);
    if (dataElement == null || orgUnit == null || categoryOptionCombo == null || attributeOptionCombo == null) unidentified++;
    if (r[11] === 1) deleted++;
    n++;
    const full = w.row({
      dataElement,
      dataElementName: deName.get(r[0]),
      period: periods[r[1]] ?? String(r[1]),
      orgUnit,
      orgUnitName: ouName.get(r[2]),
      categoryOptionCombo,
      categoryOptionComboName: cocName.get(r[3]),
      attributeOptionCombo,
      attributeOptionComboName: cocName.get(r[4]),
      value: r[5],
      numeric: numeric.has(r[0]),
      storedBy: r[6],
      created: created(r[7]),
      lastUpdated: updated(r[8]),
      comment: r[9],
      followup: r[10] === 1,
      deleted: r[11] === 1,
    });
    if (full) {
      reportProgress(ctx, n, total, fileName);
      await w.room();
      await o.flush();
    }
  }
  const { sheets, truncatedCells } = await w.end();
  reportProgress(ctx, n, n, fileName);
  const counts: Record<string, number> = { dataValues: n, sheets };
  if (deleted) counts.deleted = deleted;
  if (unidentified) counts.valuesWithMissingIdentifiers = unidentified;
  const warnings: ExportWarning[] = [];
  if (truncatedCells) {
    counts.truncatedCells = truncatedCells;
    warnings.push(truncationWarning(truncatedCells));
  }
  return { counts, warnings };
}

interface CocInfo {
  combo: string | null;
  options: string[];
}

/** Explodes category option combos into [category id, option id] pairs (ADX attributes), cached per combo. */
class AdxExploder {
  private readonly cache = new Map<number, AdxAttrs | null>();
  private readonly cat: IdMap;
  private readonly opt: IdMap;
  fallbacks = 0;
  constructor(
    private readonly meta: MetadataLookupRepo,
    schemes: DataIdSchemes,
    private readonly cocMap: IdMap,
    private readonly fallbackName: 'categoryOptionCombo' | 'attributeOptionCombo',
    private readonly defaultCocIds: Set<number>,
  ) {
    this.cat = new IdMap(meta, 'categories', schemes.category);
    this.opt = new IdMap(meta, 'categoryOptions', schemes.categoryOption);
  }
  private get(type: string, uid: string): { id: number; json: Record<string, unknown> } | null {
    const r = this.meta.idJsonByUid(type, uid);
    return r ? { id: r.id, json: JSON.parse(r.json) as Record<string, unknown> } : null;
  }
  explode(cocId: number): AdxAttrs {
    let a = this.cache.get(cocId);
    if (a === undefined) {
      a = this.compute(cocId);
      this.cache.set(cocId, a);
    }
    if (a === null) {
      this.fallbacks++;
      return [[this.fallbackName, this.cocMap.get(cocId)]];
    }
    return a;
  }
  private compute(cocId: number): AdxAttrs | null {
    if (this.defaultCocIds.has(cocId)) return [];
    const row = this.meta.jsonById(cocId);
    if (!row) return null;
    const coc = JSON.parse(row) as Record<string, unknown>;
    const info: CocInfo = {
      combo: (coc.categoryCombo as { id?: string } | undefined)?.id ?? null,
      options: ((coc.categoryOptions as { id?: string }[] | undefined) ?? []).map((x) => x.id).filter((x): x is string => !!x),
    };
    if (!info.combo) return null;
    const combo = this.get('categoryCombos', info.combo);
    if (!combo) return null;
    const out: [string, string | null][] = [];
    const used = new Set<string>();
    for (const c of (combo.json.categories as { id?: string }[] | undefined) ?? []) {
      if (!c.id) return null;
      const category = this.get('categories', c.id);
      if (!category) return null;
      const catOptions = new Set(((category.json.categoryOptions as { id?: string }[] | undefined) ?? []).map((x) => x.id));
      const optUid = info.options.find((u) => catOptions.has(u) && !used.has(u));
      if (!optUid) return null;
      used.add(optUid);
      const name = this.cat.get(category.id);
      const optObj = this.get('categoryOptions', optUid);
      const value = optObj ? this.opt.get(optObj.id) : null;
      if (!name || !isXmlName(name) || !value) return null;
      out.push([name, value]);
    }
    return out.length ? out : null;
  }
}

async function writeAdx(
  ctx: JobContext,
  db: Db,
  o: BatchedOutput,
  w: ReturnType<typeof createAdxWriter>,
  sel: DataSelection,
  schemes: DataIdSchemes,
  total: number | null,
  fileName: string,
): Promise<WrittenCounts> {
  const meta = new MetadataLookupRepo(db);
  const values = new DataValuesRepo(db);
  const deMap = new IdMap(meta, 'dataElements', schemes.dataElement);
  const ouMap = new IdMap(meta, 'organisationUnits', schemes.orgUnit);
  const dsMap = new IdMap(meta, 'dataSets', schemes.dataSet);
  const cocMap = new IdMap(meta, 'categoryOptionCombos', schemes.categoryOptionCombo);
  const aocMap = new IdMap(meta, 'categoryOptionCombos', schemes.attributeOptionCombo);
  const defaults = new Set(meta.defaultCategoryOptionComboIds());
  const cocX = new AdxExploder(meta, schemes, cocMap, 'categoryOptionCombo', defaults);
  const aocX = new AdxExploder(meta, schemes, aocMap, 'attributeOptionCombo', defaults);
  // ADX periods: the ISO period when ADX has a form for it, else start date and duration
  const adxPeriods: string[] = [];
  for (const [id, iso, s, e] of new PeriodsRepo(db).all()) {
    const range = adxPeriod(s, e);
    adxPeriods[id] = periodToAdx(iso) || range;
  }
  const numeric = new Map<number, boolean>();
  for (const [id, vt] of meta.dataElementValueTypes()) numeric.set(id, isNumericValueType(vt));

  const dataSetIds = sel.dataSetIds.length ? sel.dataSetIds : meta.dataSetIdsByName();
  // every data set's elements and attribute option combos first: what ADX can hold decides what is left out and why
  const plan: { ds: number; des: number[]; aocs: number[] }[] = [];
  const inSomeDataSet = new Set<number>();
  const aocsOfDe = new Map<number, Set<number>>();
  for (const ds of dataSetIds) {
    const dsJson = JSON.parse(meta.jsonById(ds) as string) as Record<string, unknown>;
    const comboUid = (dsJson.categoryCombo as { id?: string } | undefined)?.id ?? 'bjDvmb4bfuf';
    // the data set's attribute option combos (DHIS2: dataSet.getCategoryCombo().getOptionCombos(), ∩ the AOC filter)
    let aocs = meta.optionCombosOfCombo(comboUid);
    if (sel.aocFilter) aocs = aocs.filter((a) => sel.aocFilter!.includes(a));
    const des = dataSetElementIds(meta, ds);
    for (const de of des) {
      inSomeDataSet.add(de);
      let set = aocsOfDe.get(de);
      if (!set) aocsOfDe.set(de, (set = new Set()));
      for (const a of aocs) set.add(a);
    }
    plan.push({ ds, des, aocs });
  }
  o.push(w.begin());
  let n = 0;
  let groups = 0;
  for (const { ds, des, aocs } of plan) {
    if (!aocs.length || !des.length) continue;
    // In key order (ou, pe, …): no sort, so memory does not grow with the export. Values of one org unit and period
    // are held until the block ends, then written as one group per attribute option combo.
    const dsId = dsMap.get(ds);
    let blockOu = -1;
    let blockPe = -1;
    let block = new Map<number, [number, number, string | null, string | null][]>();
    let stop = false;
    const emitBlock = async (): Promise<void> => {
      let full = false;
      for (const [aoc, vals] of block) {
        groups++;
        o.push(w.openGroup({ dataSet: dsId, period: adxPeriods[blockPe] ?? String(blockPe), orgUnit: ouMap.get(blockOu), attributes: aocX.explode(aoc) }));
        for (const [de, coc, value, comment] of vals) {
          n++;
          if (o.push(w.value({ dataElement: deMap.get(de), categories: cocX.explode(coc), value, numeric: numeric.get(de) ?? false, comment }))) full = true;
          if (sel.limit != null && n >= sel.limit) {
            stop = true;
            break;
          }
        }
        o.push(w.closeGroup());
        if (stop) break;
      }
      block = new Map();
      if (full) {
        reportProgress(ctx, n, total, fileName);
        await o.flush();
      }
    };
    for (const [aoc, ou, pe, de, coc, value, comment] of values.adxRows(sel.filter, des, aocs)) {
      if (ou !== blockOu || pe !== blockPe) {
        if (block.size) await emitBlock();
        if (stop) break;
        blockOu = ou;
        blockPe = pe;
      }
      let list = block.get(aoc);
      if (!list) block.set(aoc, (list = []));
      list.push([de, coc, value, comment]);
    }
    if (block.size && !stop) await emitBlock();
    if (stop) break;
  }
  o.push(w.end());
  reportProgress(ctx, n, n, fileName);
  const counts: Record<string, number> = { dataValues: n, groups };
  if (cocX.fallbacks + aocX.fallbacks) counts.categoryOptionComboFallbacks = cocX.fallbacks + aocX.fallbacks;
  // Selected values ADX cannot hold: an ADX group needs a data set (and one of its attribute option combos). They are
  // not in the file: count them and say why, so the export is never silently short.
  let noDataSet = 0;
  let aocOutside = 0;
  const noDataSetDes = new Set<number>();
  for (const [de, aoc, c] of values.countsByDataElementAndAoc(sel.filter)) {
    if (!inSomeDataSet.has(de)) {
      noDataSet += c;
      noDataSetDes.add(de);
    } else if (!aocsOfDe.get(de)?.has(aoc)) aocOutside += c;
  }
  const warnings: ExportWarning[] = [];
  if (noDataSet) {
    counts.valuesNotInAnyDataSet = noDataSet;
    const names = [...noDataSetDes].slice(0, 5).map((de) => deMap.get(de) ?? String(meta.uidOf(de) ?? de));
    const more = noDataSetDes.size - names.length;
    warnings.push(warn(more > 0 ? 'export.warn.adxNoDataSetMore' : 'export.warn.adxNoDataSet', { count: noDataSet, names: names.join(', '), ...(more > 0 ? { more } : {}) }));
  }
  if (aocOutside) {
    counts.valuesWithAttributeOptionComboNotInDataSet = aocOutside;
    warnings.push(warn('export.warn.adxAocOutside', { count: aocOutside }));
  }
  return { counts, warnings };
}

/**
 * The number of values for the progress bar. Unfiltered, the live count (one row, exact) or with soft-deleted values
 * the table's row count (the smallest index's b-tree count); a filtered count costs about what the filter selects.
 * A group writer (ADX) only writes values that belong to a data set: its total is unknown until the end.
 */
function exportTotal(db: Db, sel: DataSelection, shape: DataWriterFactory['shape']): number | null {
  if (shape === 'groups') return null;
  const values = new DataValuesRepo(db);
  // unfiltered: the live count kept by every write (migration 12), or every row when deleted ones go too
  return filtersRows(sel.filter) ? values.count(sel.filter) : sel.filter.includeDeleted ? values.countRows() : values.countLive();
}

export async function exportData(ctx: JobContext, out: string, format: string, compression: string, options: Record<string, unknown>): Promise<ExportSummary> {
  const writer = dataWriterFor(format);
  const db = ctx.db;
  const schemes = parseDataIdSchemes(options, format);
  const sel = parseDataSelection(db, options, new Date(ctx.now));
  if (writer.shape === 'groups' && sel.includeDeleted)
    throw ferryError('BAD_REQUEST', 'export.adxDeleted');
  const fileName = path.basename(out);
  ctx.progress({ stage: 'exporting', done: 0, total: null, unit: 'records', records: 0, fileIndex: 0, fileName });
  // A sequential scan gains nothing from a large page cache (the OS caches the file): keep this job connection's small.
  cacheSize(db, 8192);
  let total = exportTotal(db, sel, writer.shape);
  if (total != null && sel.limit != null) total = Math.min(total, sel.limit);
  return writeFile(ctx, out, format, compression, (o) =>
    writer.shape === 'groups'
      ? writeAdx(ctx, db, o, writer.create(), sel, schemes, total, fileName)
      : writer.shape === 'sheet'
        ? writeSheet(ctx, db, o, (s) => writer.create(s, { creator: `Ferry ${VERSION}`, created: new Date(ctx.now) }), sel, schemes, total, fileName)
        : writeRows(ctx, db, o, writer.create(), writer.withCreated, sel, schemes, total, fileName),
  );
}

export const dataExporter: Exporter = {
  kind: 'data',
  namedBy: 'data',
  async run(ctx, out, format, compression, options) {
    return { summary: await exportData(ctx, out, format, compression, options) };
  },
};
