/**
 * The header of a data value set (the XML/JSON root, or an ADX group) resolved against the import options and the
 * stored metadata (spec §1.2, §1.7 steps 2–3): the id schemes the rows are read with, the data set, the org unit,
 * attribute option combo and period that override the rows', the payload's own dryRun and import strategy, and the
 * data-set level checks (E7600, E7603, E7604) whose failure skips the header's rows. Completion (completeDate) is
 * decided here; FileImport records it.
 */
import { normalizeStrategy, type DataImportOptions, type ImportStrategy } from '../../../src-shared/dhis2/options.ts';
import { parsePeriod, type Period } from '../../../src-shared/dhis2/period.ts';
import type { DataValueHeader } from '../../formats/data-value-row.ts';
import { normalizeScheme, type DataSetInfo, type MetadataLookups } from './lookups.ts';

/** The id scheme of each kind of identifier in the rows. */
export interface IdSchemes {
  dataElement: string;
  orgUnit: string;
  coc: string;
  dataSet: string;
  category: string;
  categoryOption: string;
}

/** What the header resolution needs from the metadata lookups. */
export type HeaderLookups = Pick<MetadataLookups, 'idMap' | 'dataSets' | 'cocForOptions'>;

export interface HeaderContext {
  options: DataImportOptions;
  /** the format's default id scheme (ADX: CODE) */
  defaultScheme: 'UID' | 'CODE';
  lookups: HeaderLookups;
}

/** A failed data-set level check: one conflict, and the header's rows are skipped. */
export interface HeaderAbort {
  code: 'E7600' | 'E7603' | 'E7604';
  /** conflict objects ({dataSet: …}, {organisationUnit: …}, {categoryOptionCombo: …}) */
  objects: Record<string, string>;
  /** the identifier as given */
  arg: string;
}

export interface ResolvedHeader {
  schemes: IdSchemes;
  /** identifier → id maps under the header's schemes */
  deMap: Map<string, number>;
  ouMap: Map<string, number>;
  cocMap: Map<string, number>;
  /** the payload's import strategy when it names a known one (it then holds for the rest of the file) */
  strategy: ImportStrategy | null;
  /** the payload asks for a dry run (the file is rolled back) */
  dryRun: boolean;
  /** an ADX group starts */
  group: boolean;
  dataSet: DataSetInfo | null;
  /** org unit, attribute option combo and period that replace the rows' own (null = the rows') */
  orgUnit: number | null;
  attributeOptionCombo: number | null;
  period: Period | null;
  /** set when a data-set level check failed (then dataSet/orgUnit/… are only what resolved before it) */
  abort: HeaderAbort | null;
  /**
   * set when DHIS2 would fail the whole file before any check ("The import process failed: " + this): the JSON root's
   * attributeCategoryOptions name an unknown option (E1111) or make no combo of the data set's category combo (E2041)
   */
  failure: string | null;
  /** the ErrorCode DHIS2 throws with `failure` (it writes none out; Ferry adds it to the summary as `errorCode`) */
  failureCode: 'E1111' | 'E2041' | null;
}

/**
 * The id schemes of a header: the header's own scheme for each kind, else the option's, else the generic scheme (the
 * header's idScheme, else the option's, else the format's default). Unknown scheme names count as not given.
 */
export function idSchemes(h: DataValueHeader, o: DataImportOptions, defaultScheme: 'UID' | 'CODE'): IdSchemes {
  const generic = normalizeScheme(h.idScheme) ?? normalizeScheme(o.idScheme) ?? defaultScheme;
  const pick = (header: string | undefined, option: string | undefined): string => normalizeScheme(header) ?? normalizeScheme(option) ?? generic;
  return {
    dataElement: pick(h.dataElementIdScheme, o.dataElementIdScheme),
    orgUnit: pick(h.orgUnitIdScheme, o.orgUnitIdScheme),
    coc: pick(h.categoryOptionComboIdScheme, o.categoryOptionComboIdScheme),
    dataSet: pick(h.dataSetIdScheme, o.dataSetIdScheme),
    category: normalizeScheme(o.categoryIdScheme) ?? generic,
    categoryOption: normalizeScheme(o.categoryOptionIdScheme) ?? generic,
  };
}

/** Resolves a header (an empty one for files without: CSV, or an empty file) in DHIS2's order of checks. */
export function resolveHeader(h: DataValueHeader, c: HeaderContext): ResolvedHeader {
  const o = c.options;
  const L = c.lookups;
  const schemes = idSchemes(h, o, c.defaultScheme);
  const r: ResolvedHeader = {
    schemes,
    deMap: L.idMap('dataElements', schemes.dataElement),
    ouMap: L.idMap('organisationUnits', schemes.orgUnit),
    cocMap: L.idMap('categoryOptionCombos', schemes.coc),
    strategy: h.strategy ? (normalizeStrategy(h.strategy) ?? null) : null,
    dryRun: h.dryRun === true,
    group: h.group === true,
    dataSet: null,
    orgUnit: null,
    attributeOptionCombo: null,
    period: null,
    abort: null,
    failure: null,
    failureCode: null,
  };

  // data-set level validation (spec §1.7 step 2)
  const dsRaw = h.dataSet ?? o.dataSet;
  if (dsRaw) {
    const id = L.idMap('dataSets', schemes.dataSet).get(dsRaw);
    const ds = id != null ? L.dataSets.get(id) : undefined;
    if (!ds) return aborted(r, 'E7600', { dataSet: dsRaw }, dsRaw);
    r.dataSet = ds;
  }
  // JSON attributeCategoryOptions (DefaultDataValueSetService.createDataSetContext → InputUtils.getAttributeOptionCombo,
  // before the data-set checks): used only with a data set and without an attributeOptionCombo; the options are read
  // with the generic id scheme; an unknown one (E1111) or options that make no combo of the data set's category combo
  // (E2041) throw, and the file fails with that message
  const jsonOptions = Array.isArray(h.attributeCategoryOptions) && h.attributeOptionCombo === undefined;
  if (jsonOptions && r.dataSet) {
    const generic = normalizeScheme(h.idScheme) ?? normalizeScheme(o.idScheme) ?? c.defaultScheme;
    const optMap = L.idMap('categoryOptions', generic);
    const ids: number[] = [];
    for (const v of new Set(h.attributeCategoryOptions as string[])) {
      const id = optMap.get(v);
      if (id == null) return failed(r, 'E1111', `Category option not found or not accessible: \`${v}\``);
      ids.push(id);
    }
    const aoc = L.cocForOptions(r.dataSet.catComboId, ids);
    if (aoc == null) return failed(r, 'E2041', 'Attribute option combo does not exist for given category combo and category options');
    r.attributeOptionCombo = aoc;
  }
  // E7603 and E7604 name the data set too (DataValueSetImportConflict: OrganisationUnit / CategoryOptionCombo, DataSet)
  const dsObject: Record<string, string> = dsRaw ? { dataSet: dsRaw } : {};
  // (a blank identifier is none, DHIS2 trimToNull; identifiers are looked up as given, then trimmed)
  if (h.orgUnit && h.orgUnit.trim()) {
    const id = r.ouMap.get(h.orgUnit) ?? r.ouMap.get(h.orgUnit.trim());
    if (id == null) return aborted(r, 'E7603', { organisationUnit: h.orgUnit, ...dsObject }, h.orgUnit);
    r.orgUnit = id;
  }
  if (jsonOptions) {
    // (resolved above; without a data set DHIS2 ignores them)
  } else if (h.attributeOptionCombo && h.attributeOptionCombo.trim()) {
    const id = r.cocMap.get(h.attributeOptionCombo) ?? r.cocMap.get(h.attributeOptionCombo.trim());
    if (id == null) return aborted(r, 'E7604', { categoryOptionCombo: h.attributeOptionCombo, ...dsObject }, h.attributeOptionCombo);
    r.attributeOptionCombo = id;
  } else if (h.attributeCategoryOptions) {
    const id = attributeOptionComboOf(h.attributeCategoryOptions, r.dataSet, schemes, L);
    const raw = Array.isArray(h.attributeCategoryOptions)
      ? h.attributeCategoryOptions.join(',')
      : Object.entries(h.attributeCategoryOptions).map(([k, v]) => `${k}=${v}`).join(',');
    if (id == null) return aborted(r, 'E7604', { categoryOptionCombo: raw, ...dsObject }, raw);
    r.attributeOptionCombo = id;
  }
  // an unparseable root period is silently ignored (rows keep their own)
  if (h.period) r.period = parsePeriod(h.period.trim());
  return r;
}

function failed(r: ResolvedHeader, code: 'E1111' | 'E2041', message: string): ResolvedHeader {
  r.failure = message;
  r.failureCode = code;
  return r;
}

function aborted(r: ResolvedHeader, code: HeaderAbort['code'], objects: Record<string, string>, arg: string): ResolvedHeader {
  r.abort = { code, objects, arg };
  return r;
}

/** JSON / ADX attribute category options → the option combo of the data set's category combo made of exactly them. */
function attributeOptionComboOf(aco: string[] | Record<string, string>, dataSet: DataSetInfo | null, schemes: IdSchemes, L: HeaderLookups): number | null {
  const combo = dataSet?.catComboId;
  if (combo == null) return null;
  const optMap = L.idMap('categoryOptions', schemes.categoryOption);
  const ids: number[] = [];
  for (const v of Array.isArray(aco) ? aco : Object.values(aco)) {
    const id = optMap.get(v);
    if (id == null) return null;
    ids.push(id);
  }
  return L.cocForOptions(combo, ids);
}

/**
 * The completion date a header's completeDate asks for: 'true' = today; a date (yyyy-MM-dd…) is kept, but never
 * later than today; anything else = no completion (null).
 */
export function completeDateOf(raw: string, today: string): string | null {
  const v = raw.trim();
  if (v.toLowerCase() === 'true') return today; // (DHIS2: "true".equalsIgnoreCase)
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10) > today ? today : v.slice(0, 10);
  return null;
}

/**
 * What a header's completeDate does (spec §1.7 step 3): nothing (no date, or no data set), a conflict for what is
 * missing to complete (the org unit, then the period, both from the header), or completion on a date.
 */
export type Completion = { date: string } | { missing: 'OrganisationUnit' | 'Period' } | null;

export function completionOf(raw: string, today: string, h: Pick<ResolvedHeader, 'dataSet' | 'orgUnit' | 'period'>): Completion {
  const date = completeDateOf(raw, today);
  if (!date || !h.dataSet) return null;
  if (h.orgUnit == null) return { missing: 'OrganisationUnit' };
  if (!h.period) return { missing: 'Period' };
  return { date };
}
