/**
 * The resolving half of one file of a data value import: header (root / ADX group, header.ts) → identifiers resolved
 * → the checks of spec §1.8, in DHIS2's order, up to the data sets' period rules (E7644). It needs the metadata only,
 * never the stored values: a refused row goes to the sink as its conflicts, a valid one with its ids and flags
 * (resolved.ts); the sink (apply.ts, directly or through the parse thread's batches) decides and writes the outcome.
 */
import type { DataImportOptions, ImportStrategy } from '../../../src-shared/dhis2/options.ts';
import { parsePeriod, periodOfType, type Period } from '../../../src-shared/dhis2/period.ts';
import { normalizeBoolean, validateValue } from '../../../src-shared/dhis2/value-types.ts';
import type { DataValueHeader, DataValueRow } from '../../formats/data-value-row.ts';
import { PROPERTIES, renderMessage } from './conflicts.ts';
import type { CocInfo, DataSetInfo, DeInfo, MetadataLookups } from './lookups.ts';
import { completionOf, resolveHeader, type IdSchemes } from './header.ts';
import { isInsignificantZero } from './outcome.ts';
import { adjustedEndDate, expiryCutoff, inputAllowed, isExpiredBy, type ExpiryCutoff } from './period-rules.ts';
import { F_DELETED, F_FILE_DELETE, F_FOLLOWUP, F_NULL, F_ZERO, strategyBits, type Hit, type ResolvedSink, type ResolverState } from './resolved.ts';

export interface ResolverContext {
  lookups: MetadataLookups;
  options: DataImportOptions;
  /** ADX files default to CODE */
  defaultScheme: 'UID' | 'CODE';
  user: string;
  /** job start, ISO-8601 */
  now: string;
}

const MAX_COMMENT = 50_000;
const isBlank = (s: string): boolean => s.trim() === '';
/** DHIS2's i18n keys of E7620 and E7637 (ValidationUtils.commentIsValid / storedByIsValid) */
const COMMENT_TOO_LONG = 'comment_length_greater_than_max_length';
const STORED_BY_TOO_LONG = 'stored_by_length_greater_than_max_length';
const MAX_STORED_BY = 255;

export class RowResolver implements ResolverState {
  rows = 0;
  /** a data-set level check failed (E7600/E7603/E7604): the header's rows are skipped */
  aborted = false;
  abortedGroups = 0;
  groups = 0;
  dataSetComplete: string | undefined;
  /** payload-level dryRun (spec §1.2): roll this file back */
  payloadDryRun = false;
  /** the header made DHIS2 fail the file (ResolvedHeader.failure): its summary says so */
  failure: string | null = null;
  /** its ErrorCode (E1111, E2041): a Ferry extra of the summary */
  failureCode: string | null = null;

  // effective header state
  private strategy: ImportStrategy;
  private schemes!: IdSchemes;
  private deMap!: Map<string, number>;
  private ouMap!: Map<string, number>;
  private cocMap!: Map<string, number>;
  private dataSet: DataSetInfo | null = null;
  private rootPeriod: Period | null = null;
  private rootOu: number | null = null;
  private rootAoc: number | null = null;
  private readonly storedByDefault: string;
  private readonly today: string;
  private readonly latestOpenCache = new Map<number, Period | null>();
  /** job start in ms (expiry days are measured against it) */
  private readonly nowMs: number;
  /** ImportOptions.force: skip the data set period checks E7640–E7644 */
  private readonly force: boolean;
  /** E7640: data set id → the last day a period may end on and still be open (expiryCutoff) */
  private readonly expiryCuts = new Map<number, ExpiryCutoff>();
  /** E7638: attribute option combo → (data set id, or −1 − data element id) → its date range */
  private readonly aocRanges = new Map<number, Map<number, { start: string | null; end: string | null }>>();
  // the previous row's period and org unit (files are grouped by them)
  private lastPeRaw: string | undefined = undefined;
  private lastPe: Period | null = null;
  private lastOuRaw: string | undefined = undefined;
  private lastOu = -1;
  // the last data element and combos found (files repeat them: the same text, compared instead of hashed for a Map)
  private lastDeRaw: string | undefined = undefined;
  private lastDe: DeInfo | undefined = undefined;
  // the last category option combo and attribute option combo text resolved, and their ids ([0] coc, [1] aoc)
  private readonly lastComboRaw: (string | undefined)[] = [undefined, undefined];
  private readonly lastCombo = [-1, -1];
  private readonly L: MetadataLookups;
  private readonly o: DataImportOptions;

  constructor(
    private readonly c: ResolverContext,
    private readonly sink: ResolvedSink,
  ) {
    this.L = c.lookups;
    this.o = c.options;
    this.strategy = c.options.importStrategy;
    this.storedByDefault = c.options.storedBy ?? c.user;
    this.today = c.now.slice(0, 10);
    this.nowMs = Date.parse(c.now);
    this.force = c.options.force === true;
  }

  /** The latest period a data set accepts data for today (its current period moved openFuturePeriods ahead). */
  private latestOpen(ds: DataSetInfo): Period | null {
    let p = this.latestOpenCache.get(ds.id);
    if (p === undefined) {
      p = periodOfType(ds.periodType, this.today, ds.openFuturePeriods);
      this.latestOpenCache.set(ds.id, p);
    }
    return p;
  }

  private headerApplied = false;

  /** Call when the reader is done: a file without header (CSV, or empty) still gets the option-level checks. */
  finish(): void {
    if (!this.headerApplied) this.applyHeader({});
  }

  /** Applies a header (XML/JSON root, or an ADX group); a failed data-set level check skips the rows that follow it. */
  applyHeader(h: DataValueHeader): void {
    this.headerApplied = true;
    const r = resolveHeader(h, { options: this.o, defaultScheme: this.c.defaultScheme, lookups: this.L });
    this.schemes = r.schemes;
    this.deMap = r.deMap;
    this.ouMap = r.ouMap;
    this.lastOuRaw = undefined;
    this.cocMap = r.cocMap;
    this.lastDeRaw = this.lastComboRaw[0] = this.lastComboRaw[1] = undefined;
    if (r.strategy) this.strategy = r.strategy;
    if (r.dryRun) this.payloadDryRun = true;
    if (r.group) this.groups++;
    this.aborted = false;
    this.dataSet = r.dataSet;
    this.rootPeriod = r.period;
    this.rootOu = r.orgUnit;
    this.rootAoc = r.attributeOptionCombo;
    if (r.failure !== null) {
      // DHIS2 fails the file before any check: an ERROR summary with this message, no conflict, nothing imported
      this.failure = r.failure;
      this.failureCode = r.failureCode;
      this.aborted = true;
      this.abortedGroups++;
      return;
    }
    if (r.abort) return this.abort(r.abort.code, r.abort.objects, r.abort.arg);

    // completion (spec §1.7 step 3)
    if (h.completeDate !== undefined && this.dataSet) this.complete(h.completeDate);
    else if (this.dataSetComplete === undefined) this.dataSetComplete = 'false';
  }

  private abort(code: string, objects: Record<string, string>, arg: string): void {
    this.aborted = true;
    this.abortedGroups++;
    this.sink.plain({ object: arg, objects, value: renderMessage(code, [arg]), errorCode: code, property: PROPERTIES[code] });
  }

  private complete(raw: string): void {
    const c = completionOf(raw, this.today, { dataSet: this.dataSet, orgUnit: this.rootOu, period: this.rootPeriod });
    if (c === null || 'missing' in c) {
      if (c) this.sink.plain({ object: c.missing, objects: {}, value: 'Must be provided to complete data set' });
      this.dataSetComplete = 'false';
      return;
    }
    this.sink.complete(this.dataSet!.id, this.rootPeriod!, this.rootOu!, this.L.defaultCocId, c.date, this.storedByDefault);
    this.dataSetComplete = c.date;
  }

  /** A combo's id by its text as the file gives it, the last one of its slot remembered (files repeat them); undefined when unknown. */
  private comboOf(raw: string, slot: 0 | 1): number | undefined {
    if (raw === this.lastComboRaw[slot]) return this.lastCombo[slot];
    const id = this.cocMap.get(raw);
    if (id !== undefined) {
      this.lastComboRaw[slot] = raw;
      this.lastCombo[slot] = id;
    }
    return id;
  }

  private reject(code: string, index: number, objects: Record<string, string>, args: string[]): void {
    this.sink.reject(index, this.line, this.field, [[code, objects, args]]);
  }

  /** Processes a batch of rows in file order. */
  rowsBatch(rows: DataValueRow[]): void {
    if (!this.headerApplied && rows.length) this.applyHeader({});
    for (let i = 0; i < rows.length; i++) this.row(rows[i]!);
  }

  /** the line of the row being checked (0 when the format does not know it) */
  private line = 0;
  /** the form field of the row being checked (PDF forms) */
  private field: string | undefined;

  private row(r: DataValueRow): void {
    this.rows++;
    this.line = r.line;
    this.field = r.field;
    if (this.aborted) return;
    const L = this.L;
    const o = this.o;
    const idx = r.index;
    const strategy = this.strategy;
    const isDelete = strategy === 'DELETE';

    // E7610 data element
    // (identifiers are looked up as given, then trimmed: DHIS2 trims them to null)
    const deRaw = r.dataElement ?? '';
    let de: DeInfo | undefined;
    if (deRaw === this.lastDeRaw) de = this.lastDe;
    else {
      const deId = this.deMap.get(deRaw) ?? this.deMap.get(deRaw.trim());
      de = deId != null ? L.des.get(deId) : undefined;
      if (!de) return this.reject('E7610', idx, { dataElement: deRaw }, [deRaw]);
      this.lastDeRaw = deRaw;
      this.lastDe = de;
    }
    if (!de) return this.reject('E7610', idx, { dataElement: deRaw }, [deRaw]);
    // E7611 period
    let period = this.rootPeriod;
    if (!period) {
      if (r.period === this.lastPeRaw && this.lastPe) period = this.lastPe;
      else {
        const peRaw = (r.period ?? '').trim();
        period = peRaw ? parsePeriod(peRaw) : null;
        if (!period) return this.reject('E7611', idx, { period: r.period ?? '' }, [r.period ?? '']);
        this.lastPeRaw = r.period;
        this.lastPe = period;
      }
    }
    // E7612 org unit
    let ou = this.rootOu;
    if (ou == null) {
      const ouRaw = r.orgUnit ?? '';
      if (ouRaw === this.lastOuRaw) ou = this.lastOu;
      else {
        const id = this.ouMap.get(ouRaw) ?? this.ouMap.get(ouRaw.trim());
        if (id == null) return this.reject('E7612', idx, { organisationUnit: ouRaw }, [ouRaw]);
        ou = id;
        this.lastOuRaw = ouRaw;
        this.lastOu = id;
      }
    }
    // E7613 category option combo
    // an empty or blank identifier is no identifier (DHIS2 trimToNull): the default combo, as when it is left out; the
    // default combo named in the file is looked up like any other under the scheme (UID HllvX50cXC0, CODE and NAME
    // "default" as DHIS2 creates it)
    let coc: number;
    let cocMissing = false;
    const cocRaw = r.categoryOptionCombo;
    let cocId: number | undefined;
    if (!cocRaw) cocId = undefined;
    else cocId = this.comboOf(cocRaw, 0);
    if (cocId === undefined && cocRaw) {
      const t = cocRaw.trim();
      if (t !== '') {
        cocId = this.cocMap.get(t);
        if (cocId === undefined) return this.reject('E7613', idx, { categoryOptionCombo: cocRaw }, [cocRaw]);
      }
    }
    if (cocId !== undefined) coc = cocId;
    else if (r.categoryOptions) {
      const id = this.cocFromOptions(de, r.categoryOptions);
      if (id == null) {
        const raw = Object.entries(r.categoryOptions).map(([k, v]) => `${k}=${v}`).join(',');
        return this.reject('E7613', idx, { categoryOptionCombo: raw }, [raw]);
      }
      coc = id;
    } else {
      coc = L.defaultCocId;
      cocMissing = true;
    }
    // E7615 attribute option combo
    let aoc: number;
    let aocMissing = false;
    const aocRaw = r.attributeOptionCombo;
    let aocId: number | undefined;
    if (this.rootAoc !== null) aocId = this.rootAoc;
    else if (!aocRaw) aocId = undefined;
    else aocId = this.comboOf(aocRaw, 1);
    if (aocId === undefined && aocRaw) {
      const t = aocRaw.trim();
      if (t !== '') {
        aocId = this.cocMap.get(t);
        if (aocId === undefined) return this.reject('E7615', idx, { categoryOptionCombo: aocRaw }, [aocRaw]);
      }
    }
    if (aocId !== undefined) aoc = aocId;
    else {
      aoc = L.defaultCocId;
      aocMissing = true;
    }
    // value: ADX annotations carry the value of non-numeric data elements
    let rawValue = r.value;
    if (r.annotation !== undefined && !de.numeric) rawValue = r.annotation;
    // E7618 value and comment both absent (not for deletes)
    if (!isDelete && r.deleted !== true && rawValue === undefined && r.comment === undefined) {
      return this.reject('E7618', idx, { dataElement: deRaw }, [deRaw]);
    }
    let value: string | null = rawValue === undefined ? null : rawValue.trim();
    if (value === '') value = null;
    let comment: string | null = r.comment === undefined ? null : r.comment.trim();
    if (comment === '') comment = null;
    if (value !== null) {
      value = normalizeBoolean(de.valueType, value);
      // E7619 value type
      const err = validateValue(de.valueType, value, de.optionCodes !== null);
      if (err) return this.reject('E7619', idx, { dataElement: deRaw, value: err }, [deRaw, err]);
    }
    // E7620 comment length
    if (comment !== null && comment.length > MAX_COMMENT) return this.reject('E7620', idx, { comment: COMMENT_TOO_LONG }, [COMMENT_TOO_LONG]);
    // E7621 option set (DataValueSetImportValidator.validateDataValueOptionsExist): 2.42 looks the value up as the file
    // gives it, also when there is none — a row of a (non MULTI_TEXT) data element with an option set whose value is
    // absent, empty or blank (a comment only, a delete by empty value, a DELETE import) is refused as not an option code;
    // MULTI_TEXT splits an absent value into no codes (accepted) and an empty one into one empty code (refused)
    if (de.optionCodes !== null) {
      const codes = de.optionCodes;
      const ok = de.valueType === 'MULTI_TEXT'
        ? (value === null ? rawValue === undefined : value.split(',').every((p) => codes.has(p.trim())))
        : value !== null && codes.has(value);
      if (!ok) return this.reject('E7621', idx, { dataElement: deRaw }, [deRaw]);
    }
    // E7630 / E7631 required combos
    if (cocMissing && o.requireCategoryOptionCombo) return this.reject('E7630', idx, {}, []);
    if (aocMissing && o.requireAttributeOptionCombo) return this.reject('E7631', idx, {}, []);
    // from here on DHIS2 names the row's identifiers as the file gives them (dataValue.getPeriod() …); where the row has
    // none (the header gave it) Ferry names the resolved one
    // E7632 strict periods
    if (o.strictPeriods && !de.dataSets.some((ds) => ds.periodType === period.type)) {
      const pe = r.period ?? period.iso;
      return this.reject('E7632', idx, { period: pe, dataElement: deRaw }, [pe, deRaw]);
    }
    // E7633 strict data elements
    if (o.strictDataElements) {
      const ok = this.dataSet ? this.dataSet.deIds.has(de.id) : de.dataSets.length > 0;
      if (!ok) {
        const dsText = this.dataSet ? this.dataSet.uid : '';
        return this.reject('E7633', idx, { dataElement: deRaw, dataSet: dsText }, [deRaw, dsText]);
      }
    }
    // E7634 strict COCs
    if (o.strictCategoryOptionCombos && !(L.comboCocs.get(de.catComboId)?.has(coc) ?? false)) {
      const cocText = cocRaw || L.uidOf(coc);
      return this.reject('E7634', idx, { categoryOptionCombo: cocText, dataElement: deRaw }, [cocText, deRaw]);
    }
    // E7635 strict AOCs
    if (o.strictAttributeOptionCombos && !de.dataSets.some((ds) => L.comboCocs.get(ds.catComboId)?.has(aoc) ?? false)) {
      const aocText = aocRaw || L.uidOf(aoc);
      return this.reject('E7635', idx, { categoryOptionCombo: aocText, dataElement: deRaw }, [aocText, deRaw]);
    }
    // E7636 strict org units
    if (o.strictOrganisationUnits && !de.dataSets.some((ds) => ds.ouIds.has(ou))) {
      const ouText = r.orgUnit ?? L.uidOf(ou);
      return this.reject('E7636', idx, { organisationUnit: ouText, dataElement: deRaw }, [ouText, deRaw]);
    }
    // E7637 storedBy length
    if (r.storedBy !== undefined && r.storedBy.length > MAX_STORED_BY && !isBlank(r.storedBy)) return this.reject('E7637', idx, { storedBy: STORED_BY_TOO_LONG }, [STORED_BY_TOO_LONG]);
    // E7638 / E7639 attribute option combo's category options: dates and org units
    if (aoc !== L.defaultCocId) {
      const aocInfo: CocInfo | undefined = L.cocs.get(aoc);
      if (aocInfo) {
        // the period must overlap the combo's date range: its options' latest start date and earliest end date, each end
        // moved openPeriodsAfterCoEndDate periods on (CategoryOptionCombo.getDateRange(dataSet | dataElement))
        const range = this.aocRange(aocInfo, de);
        if ((range.start !== null && range.start > period.endDate) || (range.end !== null && range.end < period.startDate)) {
          const pe = r.period ?? period.iso;
          const aocText = aocRaw || aocInfo.uid;
          return this.reject('E7638', idx, { period: pe, categoryOptionCombo: aocText }, [pe, aocText]);
        }
        for (const optId of aocInfo.optionIds) {
          const opt = L.categoryOptions.get(optId);
          if (opt?.ouIds && !L.ouWithin(ou, opt.ouIds)) {
            const ouText = r.orgUnit ?? L.uidOf(ou);
            const aocText = aocRaw || aocInfo.uid;
            return this.reject('E7639', idx, { organisationUnit: ouText, categoryOptionCombo: aocText }, [ouText, aocText]);
          }
        }
      }
    }

    // E7640–E7644 the data sets' periods: expiry days, open future periods, data input periods (period-rules.ts)
    if (!this.force && (period.startDate > this.today || de.periodRules || (this.dataSet !== null && this.dataSet.periodRules))) {
      if (this.periodRulesRefuse(idx, de, ou, aoc, period, r.period ?? period.iso, deRaw)) return;
    }

    // ---- the outcome needs the stored value of the key (spec §1.7): the sink decides it ----
    // a blank storedBy is none: the importing user (ImportContext.getStoredBy)
    const storedBy = r.storedBy === undefined || isBlank(r.storedBy) ? this.storedByDefault : r.storedBy;
    // an absent followup is false (DataValueEntry.getFollowup is a boolean: JSON's default, XML's and CSV's
    // Boolean.parseBoolean(null)): an update writes it and the unchanged check compares it
    let flags = strategyBits(strategy);
    if (r.followup === true) flags |= F_FOLLOWUP;
    if (isInsignificantZero(de, value)) flags |= F_ZERO;
    if (value === null && comment === null) flags |= F_NULL;
    if (r.deleted === true) flags |= F_DELETED;
    // E7645 deleting a file resource value that does not exist (looked up by the sink)
    if (isDelete && (de.valueType === 'FILE_RESOURCE' || de.valueType === 'IMAGE')) flags |= F_FILE_DELETE;
    this.sink.value(idx, r.line, r.field, de.id, period, ou, coc, aoc, value, comment, storedBy, flags, deRaw);
  }

  /** The target data sets of a value (ImportContext.getTargetDataSets): the file's data set, else the data element's
   * data sets assigned to the org unit whose category combo holds the attribute option combo. */
  private isTarget(ds: DataSetInfo, ou: number, aoc: number): boolean {
    return ds.ouIds.has(ou) && (this.L.comboCocs.get(ds.catComboId)?.has(aoc) ?? false);
  }

  /**
   * E7640, E7641, E7643, E7644 in DHIS2's order (E7642 approvals: not held offline). Each of the first three is strict:
   * every target data set that fails adds its conflict, and the value is refused once. True when refused.
   */
  private periodRulesRefuse(idx: number, de: DeInfo, ou: number, aoc: number, period: Period, pe: string, deRaw: string): boolean {
    const targets = this.dataSet ? [this.dataSet] : de.dataSets;
    const all = this.dataSet !== null;
    let hits: Hit[] | null = null;
    // E7640 expiry days (no lock exceptions are stored: expiry alone decides)
    for (const ds of targets) {
      if (ds.expiryDays === 0 || !(all || this.isTarget(ds, ou, aoc))) continue;
      let cut = this.expiryCuts.get(ds.id);
      if (!cut) this.expiryCuts.set(ds.id, (cut = expiryCutoff(ds.expiryDays, this.nowMs)));
      if (isExpiredBy(cut, period)) (hits ??= []).push(['E7640', { period: pe, dataSet: ds.uid }, [pe, ds.uid]]);
    }
    if (hits) return this.rejectAll(idx, hits);
    // E7641 after the latest open future period (ISO calendar)
    if (period.startDate > this.today) {
      for (const ds of targets) {
        if (!(all || this.isTarget(ds, ou, aoc))) continue;
        const latest = this.latestOpen(ds);
        if (latest && period.startDate > latest.endDate) {
          (hits ??= []).push(['E7641', { period: pe, dataElement: deRaw, dataSet: ds.uid }, [pe, deRaw, ds.uid, latest.iso]]);
        }
      }
      if (hits) return this.rejectAll(idx, hits);
    }
    // E7643 the data set's input periods do not hold this period today
    for (const ds of targets) {
      if (ds.inputPeriods === null || !(all || this.isTarget(ds, ou, aoc))) continue;
      if (!inputAllowed(ds, period, this.today)) (hits ??= []).push(['E7643', { period: pe, dataSet: ds.uid }, [pe, ds.uid]]);
    }
    if (hits) return this.rejectAll(idx, hits);
    // E7644 none of the data element's data sets accepts the period today (all of them have input periods)
    if (de.inputPeriodsOnly && !de.dataSets.some((ds) => inputAllowed(ds, period, this.today))) {
      return this.rejectAll(idx, [['E7644', { period: pe }, [pe]]]);
    }
    return false;
  }

  /** Several conflicts for one value (one per failing data set); the value is counted ignored once. */
  private rejectAll(index: number, conflicts: Hit[]): true {
    this.sink.reject(index, this.line, this.field, conflicts);
    return true;
  }

  /**
   * The date range of an attribute option combo for E7638 (CategoryOptionCombo.getDateRange): the latest start date of
   * its options, and the earliest of their end dates each adjusted for the file's data set, else for the data set of the
   * data element that keeps it open longest. Cached per combo and data set / data element.
   */
  private aocRange(aoc: CocInfo, de: DeInfo): { start: string | null; end: string | null } {
    let byKey = this.aocRanges.get(aoc.id);
    if (!byKey) this.aocRanges.set(aoc.id, (byKey = new Map()));
    const key = this.dataSet ? this.dataSet.id : -1 - de.id;
    let range = byKey.get(key);
    if (range) return range;
    let start: string | null = null;
    let end: string | null = null;
    for (const optId of aoc.optionIds) {
      const opt = this.L.categoryOptions.get(optId);
      if (!opt) continue;
      if (opt.startDate !== null && (start === null || opt.startDate > start)) start = opt.startDate;
      if (opt.endDate !== null) {
        let adjusted = opt.endDate;
        if (this.dataSet) adjusted = adjustedEndDate(opt.endDate, this.dataSet);
        else for (const ds of de.dataSets) {
          const a = adjustedEndDate(opt.endDate, ds);
          if (a > adjusted) adjusted = a;
        }
        if (end === null || adjusted < end) end = adjusted;
      }
    }
    range = { start, end };
    byKey.set(key, range);
    return range;
  }

  /** ADX: category → option identifiers to the data element's COC. */
  private cocFromOptions(de: DeInfo, cats: Record<string, string>): number | null {
    const catMap = this.L.idMap('categories', this.schemes.category);
    const optMap = this.L.idMap('categoryOptions', this.schemes.categoryOption);
    const ids: number[] = [];
    for (const [cat, opt] of Object.entries(cats)) {
      if (catMap.get(cat) == null) return null;
      const id = optMap.get(opt);
      if (id == null) return null;
      ids.push(id);
    }
    return this.L.cocForOptions(de.catComboId, ids);
  }
}
