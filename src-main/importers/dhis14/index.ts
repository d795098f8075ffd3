/**
 * The DHIS 1.4 importer (issue 8): an Access database (.mdb) or a 1.4 XML export zip → the 1.4 model (source.ts) →
 * the mapping to DHIS2 (mapping.ts) → metadata through the metadata engine (validation, the metadata store) and data
 * values through the data value writer (job history, sha256, rollback, dry run as for every data import), in the old
 * importer's three modes:
 *
 * - **analyse**: reads everything, writes nothing; the integrity report (duplicates, formulas pointing at missing data
 *   elements, values whose data element / org unit / period is missing, org units outside the hierarchy, rows marked
 *   deleted, what cannot be imported).
 * - **preview**: the whole import as a dry run (rolled back): per type, what would be created, updated or left alone,
 *   and the values count.
 * - **import**: the same, committed; the legacy-id mapping is kept (dhis14_mapping) so that a later incremental import
 *   (`lastUpdated`: only RoutineData/SemiPermanentData rows last updated after that date) maps to the same objects.
 */
import { z } from 'zod';
import type { FileOutcome, ImportFileInput, ImportResult, Importer, JobContext } from '../../jobs/types.ts';
import { englishError, ferryError } from '../../../src-shared/keyed-errors.ts';
import { emptyImportCount, type ImportConflict, type SummaryStatus } from '../../../src-shared/dhis2/import-summary.ts';
import { metadataImportOptionsSchema } from '../../../src-shared/dhis2/options.ts';
import { METADATA_TYPES } from '../../../src-shared/dhis2/schema/registry.ts';
import type { Period } from '../../../src-shared/dhis2/period.ts';
import { periodOfType } from '../../../src-shared/dhis2/period.ts';
import { DHIS14_MODES, type Dhis14ImportSummary, type Dhis14ObjectCount, type Dhis14Report, type Dhis14ValueCount } from '../../../src-shared/dhis14-report.ts';
import { Dhis14Repo } from '../../db/repos/dhis14.ts';
import { cacheSize } from '../../db/tx.ts';
import { d14DateTime, oleDayToIso, type D14DataRow, type D14Row, type D14Tables } from '../../formats/shared/dhis14.ts';
import { MetadataEngine } from '../metadata/engine.ts';
import { DataValueWriter } from '../data-values/writer.ts';
import {
  DEFAULT_CATEGORY_COMBO,
  Dhis14Types,
  LIMITATIONS,
  StoredIndex,
  UidResolver,
  aggregationType,
  altNameCount,
  convertFormula,
  d14Int,
  d14Num,
  d14Str,
  duplicateIds,
  duplicates,
  issueSink,
  periodOf,
  shortNameOf,
  type IssueSink,
  type Mapped,
  type Obj,
} from './mapping.ts';
import { openDhis14Source, type Dhis14OpenedSource } from './source.ts';

/** The options of a 1.4 import (DHIS2-style names; the CLI's --mode, --last-updated, --levels, --user, --password, --data-values). */
export const dhis14ImportOptionsSchema = z.object({
  mode: z.enum(DHIS14_MODES).default('import'),
  /** only data values last updated after this date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, 1.4's local time) */
  lastUpdated: z
    .string()
    .refine((s) => d14DateTime(s) !== null, 'lastUpdated must be a date, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS')
    .optional(),
  /** the number of levels of the 1.4 hierarchy (1–8; the manual's setting, checked against the hierarchy) */
  levels: z.coerce.number().int().min(1).max(8).default(8),
  /** user name and password of a protected 1.4 database */
  user: z.string().optional(),
  password: z.string().optional(),
  /** also import data values (the old importer's "dataValues"); false: metadata only */
  dataValues: z.boolean().default(true),
  dryRun: z.boolean().default(false),
});
export type Dhis14ImportOptions = z.infer<typeof dhis14ImportOptionsSchema>;

export function parseDhis14Options(options: Record<string, unknown>): Dhis14ImportOptions {
  const r = dhis14ImportOptionsSchema.strict().safeParse(options);
  if (!r.success) throw ferryError('BAD_REQUEST', 'request.invalidOptions', { detail: r.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ') });
  const o = r.data;
  // Preview is a dry run (rolled back); a dry run of Import is a Preview
  if (o.mode === 'preview') o.dryRun = true;
  else if (o.dryRun && o.mode === 'import') o.mode = 'preview';
  return o;
}

const PROGRESS_EVERY = 20_000;

interface DeInfo {
  uid: string;
  valueType: string | null;
  periodTypeId: number | null;
  calculated: boolean;
}

/** Everything the mapping decided: objects per type, and the legacy id → uid maps the values need. */
interface Plan {
  objects: Mapped[];
  de: Map<number, DeInfo>;
  ou: Map<number, string>;
  periods: Map<number, Period>;
  users: Map<number, string>;
  types: Dhis14Types;
}

function rowsOf(t: D14Tables, name: string): D14Row[] {
  return t.get(name) ?? [];
}

/** Maps the metadata tables (and runs the integrity checks on them). */
function plan(t: D14Tables, repo: Dhis14Repo | null, issues: IssueSink, levels: number): Plan {
  const types = new Dhis14Types(t);
  const objects: Mapped[] = [];
  const resolver = (type: string, useShort = true, ambiguous: Set<string> | null = null): UidResolver =>
    new UidResolver(new StoredIndex(repo ? repo.objectsOfType(type) : []), repo ? repo.mapping(type) : new Map(), useShort, ambiguous);
  const add = (type: string, r: UidResolver, id: number, name: string, short: string | null, code: string | null, fields: Obj): string => {
    const { uid, stored } = r.resolve(id, name, short, code);
    objects.push({ type, legacyId: id, uid, name, fields: { id: uid, ...fields }, stored, noKeep: r.dupIds.has(id) });
    return uid;
  };
  const withDups = (r: UidResolver, table: string, key: string): UidResolver => {
    r.dupIds = duplicateIds(issues, table, rowsOf(t, table), key);
    return r;
  };

  // ---- data elements ----
  const deRows = rowsOf(t, 'DataElement');
  duplicates(
    issues,
    'dataElement',
    deRows.map((r) => ({ id: d14Int(r.dataelementid), name: d14Str(r.dataelementname), short: d14Str(r.dataelementshort), code: d14Str(r.dataelementcode)?.trim() || null })),
  );
  const de = new Map<number, DeInfo>();
  const deR = withDups(resolver('dataElements'), 'DataElement', 'dataelementid');
  const calculated: D14Row[] = [];
  for (const r of deRows) {
    const id = d14Int(r.dataelementid);
    const name = d14Str(r.dataelementname)?.trim();
    if (id === null || !name) {
      issues.add('dataElementWithoutName', { key: 'dhis14.issue.dataElementWithoutName' }, String(id ?? '?'));
      continue;
    }
    if (d14Int(r.calculated) === 1) {
      calculated.push(r);
      continue;
    }
    const vt = types.valueType(d14Int(r.datatypeid));
    if (vt === null) {
      issues.add('dataElementUnsupportedType', { key: 'dhis14.issue.dataElementUnsupportedType' }, `${id} ${name}`);
      continue;
    }
    const op = d14Str(r.aggregateoperator);
    let agg = aggregationType(op);
    if (!agg) {
      issues.add('aggregationOperatorUnknown', { key: 'dhis14.issue.aggregationOperatorUnknown' }, `${id} ${name}: ${op}`);
      agg = 'SUM';
    }
    const short = d14Str(r.dataelementshort)?.trim() ?? null;
    const code = d14Str(r.dataelementcode)?.trim() || null;
    const fields: Obj = {
      name,
      shortName: shortNameOf(short, name),
      ...(code ? { code } : {}),
      ...(d14Str(r.dataelementdescription) ? { description: d14Str(r.dataelementdescription) } : {}),
      valueType: vt,
      aggregationType: agg,
      domainType: 'AGGREGATE',
      categoryCombo: { id: DEFAULT_CATEGORY_COMBO },
      zeroIsSignificant: false,
    };
    const uid = add('dataElements', deR, id, name, short, code, fields);
    de.set(id, { uid, valueType: vt, periodTypeId: d14Int(r.dataperiodtypeid), calculated: false });
  }
  const deUid = (id: number): string | undefined => (de.get(id)?.calculated ? undefined : de.get(id)?.uid);

  // ---- indicator types ----
  const itR = withDups(resolver('indicatorTypes', false), 'IndicatorType', 'indicatortypeid');
  const it = new Map<number, string>();
  let numberType: string | null = null;
  for (const r of rowsOf(t, 'IndicatorType')) {
    const id = d14Int(r.indicatortypeid);
    const name = d14Str(r.indicatortypename)?.trim();
    if (id === null || !name) continue;
    const factor = Math.round(d14Num(r.factor) ?? 1);
    const uid = add('indicatorTypes', itR, id, name, null, null, { name, factor, number: factor === 1 });
    it.set(id, uid);
    if (factor === 1) numberType ??= uid;
  }

  // ---- indicators (and calculated data elements, as indicators) ----
  const inR = withDups(resolver('indicators'), 'Indicator', 'indicatorid');
  const ind = new Map<number, string>();
  const indRows = rowsOf(t, 'Indicator');
  duplicates(
    issues,
    'indicator',
    indRows.map((r) => ({ id: d14Int(r.indicatorid), name: d14Str(r.indicatorname), short: d14Str(r.indicatorshort) ?? d14Str(r.shortname), code: d14Str(r.indicatorcode)?.trim() || null })),
  );
  for (const r of indRows) {
    const id = d14Int(r.indicatorid);
    const name = d14Str(r.indicatorname)?.trim();
    if (id === null || !name) continue;
    const missing = (side: string) => (deId: number) =>
      issues.add('formulaMissingDataElement', { key: 'dhis14.issue.formulaMissingDataElement' }, { key: 'dhis14.example.formulaDataElement', params: { id: String(id), name: String(name), side, de: deId } });
    for (const [side, f] of [['numerator', d14Str(r.indicatornumerator)], ['denominator', d14Str(r.indicatordenominator)]] as const) {
      if (f && !/\[/.test(f) && !/^[\d\s.()+*/-]+$/.test(f)) {
        issues.add('formulaWithoutDataElement', { key: 'dhis14.issue.formulaWithoutDataElement' }, { key: 'dhis14.example.formulaText', params: { id: String(id), name: String(name), side, formula: f.slice(0, 60) } });
      }
    }
    const typeUid = it.get(d14Int(r.indicatortypeid) ?? -1);
    if (!typeUid) {
      issues.add('indicatorWithoutType', { key: 'dhis14.issue.indicatorWithoutType' }, `${id} ${name}`);
      continue;
    }
    const short = (d14Str(r.indicatorshort) ?? d14Str(r.shortname))?.trim() ?? null;
    const code = d14Str(r.indicatorcode)?.trim() || null;
    const fields: Obj = {
      name,
      shortName: shortNameOf(short, name),
      ...(code ? { code } : {}),
      ...(d14Str(r.indicatordescription) ? { description: d14Str(r.indicatordescription) } : {}),
      indicatorType: { id: typeUid },
      annualized: d14Int(r.annualised) === 1,
      numerator: convertFormula(d14Str(r.indicatornumerator), deUid, missing('numerator')),
      numeratorDescription: d14Str(r.indicatornumeratordescription) ?? 'Numerator',
      denominator: convertFormula(d14Str(r.indicatordenominator), deUid, missing('denominator')),
      denominatorDescription: d14Str(r.indicatordenominatordescription) ?? 'Denominator',
    };
    ind.set(id, add('indicators', inR, id, name, short, code, fields));
  }
  if (calculated.length) {
    const parts = new Map<number, string[]>();
    for (const r of rowsOf(t, 'DataElementCalculated')) {
      const cid = d14Int(r.dataelementcalculatedid);
      const did = d14Int(r.dataelementid);
      if (cid === null || did === null) continue;
      const uid = deUid(did);
      if (!uid) {
        issues.add('formulaMissingDataElement', { key: 'dhis14.issue.formulaMissingDataElement' }, { key: 'dhis14.example.calculatedPart', params: { id: cid, de: did } });
        continue;
      }
      let l = parts.get(cid);
      if (!l) parts.set(cid, (l = []));
      l.push(`(#{${uid}}*${d14Num(r.dataelementfactor) ?? 1})`);
    }
    if (!numberType) {
      const name = 'Number (factor 1)';
      numberType = add('indicatorTypes', itR, -1, name, null, null, { name, factor: 1, number: true });
    }
    for (const r of calculated) {
      const id = d14Int(r.dataelementid)!;
      const name = d14Str(r.dataelementname)!.trim();
      const short = d14Str(r.dataelementshort)?.trim() ?? null;
      const code = d14Str(r.dataelementcode)?.trim() || null;
      const formula = parts.get(id)?.join('+') ?? '0';
      issues.add('calculatedDataElement', { key: 'dhis14.issue.calculatedDataElement' }, `${id} ${name}`);
      const uid = add('indicators', inR, 100_000 + id, name, short, code, {
        name,
        shortName: shortNameOf(short, name),
        ...(code ? { code } : {}),
        indicatorType: { id: numberType },
        annualized: false,
        numerator: formula,
        numeratorDescription: name,
        denominator: '1',
        denominatorDescription: '1',
      });
      de.set(id, { uid, valueType: null, periodTypeId: null, calculated: true });
    }
  }

  // ---- data element and indicator groups (one 1.4 table: both, as DHIS2's importer made them) ----
  const deMembers = new Map<number, string[]>();
  for (const r of rowsOf(t, 'DataElementGroupMember')) {
    const g = d14Int(r.dataelementandindicatorgroupid);
    const u = deUid(d14Int(r.dataelementid) ?? -1);
    if (g === null || !u) continue;
    let l = deMembers.get(g);
    if (!l) deMembers.set(g, (l = []));
    if (!l.includes(u)) l.push(u);
  }
  const inMembers = new Map<number, string[]>();
  // 1.4.0.101 exports wrote indicator members as DataElementGroupMember rows with an IndicatorID column
  const inMemberRows = [...rowsOf(t, 'IndicatorGroupMember'), ...rowsOf(t, 'DataElementGroupMember').filter((r) => r.dataelementid == null && r.indicatorid != null)];
  for (const r of inMemberRows) {
    const g = d14Int(r.dataelementandindicatorgroupid);
    const u = ind.get(d14Int(r.indicatorid) ?? -1);
    if (g === null || !u) continue;
    let l = inMembers.get(g);
    if (!l) inMembers.set(g, (l = []));
    if (!l.includes(u)) l.push(u);
  }
  const degR = withDups(resolver('dataElementGroups'), 'DataElementAndIndicatorGroup', 'dataelementandindicatorgroupid');
  const ingR = resolver('indicatorGroups');
  ingR.dupIds = degR.dupIds;
  for (const r of rowsOf(t, 'DataElementAndIndicatorGroup')) {
    const id = d14Int(r.dataelementandindicatorgroupid);
    const name = d14Str(r.dataelementandindicatorgroupname)?.trim();
    if (id === null || !name) continue;
    const description = d14Str(r.dataelementandindicatorgroupdescription);
    add('dataElementGroups', degR, id, name, null, null, {
      name,
      shortName: shortNameOf(null, name),
      ...(description ? { description } : {}),
      dataElements: (deMembers.get(id) ?? []).map((u) => ({ id: u })),
    });
    add('indicatorGroups', ingR, id, name, null, null, { name, ...(description ? { description } : {}), indicators: (inMembers.get(id) ?? []).map((u) => ({ id: u })) });
  }

  // ---- org units and hierarchy ----
  const ouRows = rowsOf(t, 'OrgUnit');
  const sharedOuNames = duplicates(
    issues,
    'orgUnit',
    ouRows.map((r) => ({ id: d14Int(r.orgunitid), name: d14Str(r.orgunitname)?.trim() ?? null, short: null, code: d14Str(r.orgunitcode)?.trim() || null })),
    'apart',
  );
  const known = new Set(ouRows.map((r) => d14Int(r.orgunitid)).filter((x): x is number => x !== null));
  const parent = new Map<number, number>();
  const roots = new Set<number>();
  for (const r of rowsOf(t, 'OrgHierarchy')) {
    const c = d14Int(r.orgunitchildid);
    const p = d14Int(r.orgunitparentid);
    if (c === null) continue;
    if (p === null || p === c) {
      roots.add(c);
      continue;
    }
    if (!known.has(c) || !known.has(p)) {
      issues.add('hierarchyMissingOrgUnit', { key: 'dhis14.issue.hierarchyMissingOrgUnit' }, { key: 'dhis14.example.childParent', params: { child: c, parent: p } });
      continue;
    }
    if (parent.has(c) && parent.get(c) !== p) issues.add('hierarchyTwoParents', { key: 'dhis14.issue.hierarchyTwoParents' }, { key: 'dhis14.example.twoParents', params: { id: c, first: parent.get(c)!, second: p } });
    else parent.set(c, p);
  }
  // cycles: a unit whose ancestors come back to it loses its parent
  const depth = new Map<number, number>();
  const depthOf = (id: number): number => {
    const seen: number[] = [];
    let cur: number | undefined = id;
    while (cur !== undefined && !depth.has(cur)) {
      if (seen.includes(cur)) {
        issues.add('hierarchyCycle', { key: 'dhis14.issue.hierarchyCycle' }, String(cur));
        parent.delete(cur);
        break;
      }
      seen.push(cur);
      cur = parent.get(cur);
    }
    let d = cur !== undefined && depth.has(cur) ? depth.get(cur)! : 0;
    for (let i = seen.length - 1; i >= 0; i--) depth.set(seen[i]!, ++d);
    return depth.get(id)!;
  };
  const ouR = withDups(resolver('organisationUnits', false, sharedOuNames), 'OrgUnit', 'orgunitid');
  const ou = new Map<number, string>();
  const ouByLegacy = new Map<number, D14Row>();
  for (const r of ouRows) {
    const id = d14Int(r.orgunitid);
    if (id !== null) ouByLegacy.set(id, r);
  }
  // parents first, so that a parent's uid is known when its children are mapped
  const ids = [...ouByLegacy.keys()].sort((a, b) => depthOf(a) - depthOf(b) || a - b);
  let deepest = 0;
  for (const id of ids) {
    const r = ouByLegacy.get(id)!;
    const name = d14Str(r.orgunitname)?.trim();
    if (!name) {
      issues.add('orgUnitWithoutName', { key: 'dhis14.issue.orgUnitWithoutName' }, String(id));
      continue;
    }
    const d = depthOf(id);
    deepest = Math.max(deepest, d);
    if (!parent.has(id) && !roots.has(id)) issues.add('orgUnitOutsideHierarchy', { key: 'dhis14.issue.orgUnitOutsideHierarchy' }, `${id} ${name}`);
    const lvl = d14Int(r.orgunitlevel);
    if (lvl !== null && lvl !== d) issues.add('orgUnitLevelMismatch', { key: 'dhis14.issue.orgUnitLevelMismatch' }, { key: 'dhis14.example.levelDepth', params: { id: String(id), name: String(name), level: lvl, depth: d } });
    if (d14Int(r.active) === 0) issues.add('orgUnitInactive', { key: 'dhis14.issue.orgUnitInactive' }, `${id} ${name}`);
    const short = d14Str(r.orgunitshort)?.trim() ?? null;
    const code = d14Str(r.orgunitcode)?.trim() || null;
    const opening = oleDayToIso(r.validfrom) ?? '1970-01-01';
    const closed = oleDayToIso(r.validto);
    const p = parent.get(id);
    const pUid = p !== undefined ? ou.get(p) : undefined;
    const uid = add('organisationUnits', ouR, id, name, short, code, {
      name,
      shortName: shortNameOf(short, name),
      ...(code ? { code } : {}),
      openingDate: `${opening}T00:00:00.000`,
      ...(closed && closed < '9999-01-01' ? { closedDate: `${closed}T00:00:00.000` } : {}),
      ...(d14Str(r.comment) ? { comment: d14Str(r.comment) } : {}),
      ...(pUid ? { parent: { id: pUid } } : {}),
    });
    ou.set(id, uid);
  }
  if (deepest > levels) {
    issues.add('levelsExceeded', { key: 'dhis14.issue.levelsExceeded', params: { deepest, levels } }, { key: 'dhis14.example.levels', params: { n: deepest } });
  }

  // ---- org unit groups and group sets ----
  const ougMembers = new Map<number, string[]>();
  for (const r of rowsOf(t, 'OrgUnitGroupMember')) {
    const g = d14Int(r.orgunitgroupid);
    const u = ou.get(d14Int(r.orgunitid) ?? -1);
    if (g === null || !u) continue;
    let l = ougMembers.get(g);
    if (!l) ougMembers.set(g, (l = []));
    if (!l.includes(u)) l.push(u);
  }
  const ougR = withDups(resolver('organisationUnitGroups'), 'OrgUnitGroup', 'orgunitgroupid');
  const oug = new Map<number, string>();
  for (const r of rowsOf(t, 'OrgUnitGroup')) {
    const id = d14Int(r.orgunitgroupid);
    const name = d14Str(r.orgunitgroupname)?.trim();
    if (id === null || !name) continue;
    oug.set(id, add('organisationUnitGroups', ougR, id, name, null, null, { name, shortName: shortNameOf(null, name), organisationUnits: (ougMembers.get(id) ?? []).map((u) => ({ id: u })) }));
  }
  const ougsMembers = new Map<number, string[]>();
  for (const r of rowsOf(t, 'OrgUnitGroupSetMember')) {
    const s = d14Int(r.orgunitgroupsetid);
    const u = oug.get(d14Int(r.orgunitgroupid) ?? -1);
    if (s === null || !u) continue;
    let l = ougsMembers.get(s);
    if (!l) ougsMembers.set(s, (l = []));
    if (!l.includes(u)) l.push(u);
  }
  const ougsR = withDups(resolver('organisationUnitGroupSets'), 'OrgUnitGroupSet', 'orgunitgroupsetid');
  for (const r of rowsOf(t, 'OrgUnitGroupSet')) {
    const id = d14Int(r.orgunitgroupsetid);
    const name = d14Str(r.orgunitgroupsetname)?.trim();
    if (id === null || !name) continue;
    const description = d14Str(r.orgunitgroupsetdescription);
    add('organisationUnitGroupSets', ougsR, id, name, null, null, {
      name,
      shortName: shortNameOf(null, name),
      ...(description ? { description } : {}),
      compulsory: d14Int(r.orgunitgroupsetcompulsory) === 1,
      dataDimension: true,
      organisationUnitGroups: (ougsMembers.get(id) ?? []).map((u) => ({ id: u })),
    });
  }

  // ---- data sets ----
  const dsRows = rowsOf(t, 'DataSet');
  duplicates(
    issues,
    'dataSet',
    dsRows.map((r) => ({ id: d14Int(r.datasetid), name: d14Str(r.datasetname), short: null, code: null })),
  );
  const dsDe = new Map<number, string[]>();
  for (const r of rowsOf(t, 'DataSetElement')) {
    const s = d14Int(r.datasetid);
    const u = deUid(d14Int(r.dataelementid) ?? -1);
    if (s === null || !u) continue;
    let l = dsDe.get(s);
    if (!l) dsDe.set(s, (l = []));
    if (!l.includes(u)) l.push(u);
  }
  const dsOu = new Map<number, string[]>();
  for (const r of rowsOf(t, 'DataSetOrgUnit')) {
    const s = d14Int(r.datasetid);
    const u = ou.get(d14Int(r.orgunitid) ?? -1);
    if (s === null || !u) continue;
    let l = dsOu.get(s);
    if (!l) dsOu.set(s, (l = []));
    if (!l.includes(u)) l.push(u);
  }
  const dsR = withDups(resolver('dataSets'), 'DataSet', 'datasetid');
  for (const r of dsRows) {
    const id = d14Int(r.datasetid);
    const name = d14Str(r.datasetname)?.trim();
    if (id === null || !name) continue;
    const pt = types.periodType(d14Int(r.dataperiodtypeid)) ?? 'Yearly';
    add('dataSets', dsR, id, name, null, null, {
      name,
      shortName: shortNameOf(null, name),
      periodType: pt,
      categoryCombo: { id: DEFAULT_CATEGORY_COMBO },
      dataSetElements: (dsDe.get(id) ?? []).map((u) => ({ dataElement: { id: u } })),
      organisationUnits: (dsOu.get(id) ?? []).map((u) => ({ id: u })),
    });
  }

  // ---- periods and users ----
  const periods = new Map<number, Period>();
  for (const r of rowsOf(t, 'DataPeriod')) {
    const id = d14Int(r.dataperiodid);
    if (id === null) continue;
    const p = periodOf(types, r, issues);
    if (p) periods.set(id, p);
  }
  const users = new Map<number, string>();
  for (const r of rowsOf(t, 'UserName')) {
    const id = d14Int(r.userid);
    const n = d14Str(r.username)?.trim();
    if (id !== null && n) users.set(id, n);
  }
  return { objects, de, ou, periods, users, types };
}

/** Compares what the mapping gives with the stored object: true when nothing would change. */
function sameAsStored(m: Mapped): boolean {
  if (!m.stored) return false;
  const s = JSON.parse(m.stored.json) as Obj;
  for (const [k, v] of Object.entries(m.fields)) if (JSON.stringify(canon(s[k])) !== JSON.stringify(canon(v))) return false;
  return true;
}
function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (v && typeof v === 'object') {
    const o = v as Obj;
    if (typeof o.id === 'string' && Object.keys(o).length >= 1 && !('dataElement' in o)) return { id: o.id };
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, canon(o[k])]));
  }
  return v;
}

/**
 * The period of a semi-permanent value (valid from–to, e.g. a population for 2006): the DHIS2 period that is exactly
 * that range when one is (Yearly, SixMonthly, Quarterly, Monthly, Weekly, Daily), else the period of the data
 * element's type that holds ValidFrom (1.4's "on change" periods have no DHIS2 type).
 */
export function semiPeriod(type: string, from: string, to: string | null): Period | null {
  if (to) {
    for (const t of ['Yearly', 'SixMonthly', 'Quarterly', 'Monthly', 'Weekly', 'Daily']) {
      const p = periodOfType(t, from);
      if (p && p.startDate === from && p.endDate === to) return p;
    }
  }
  return periodOfType(type, from);
}

/** The value a 1.4 data row holds for a data element of `valueType` (the column its data type says, else the first filled one). */
export function valueOf(r: D14DataRow, valueType: string | null): string | null {
  const num = r.number !== null ? String(r.number) : null;
  const bool = r.yesNo !== null ? (r.yesNo === 1 || r.yesNo === -1 ? 'true' : 'false') : null;
  const date = r.date ? r.date.slice(0, 10) : null;
  switch (valueType) {
    case 'NUMBER':
      return num ?? (r.text !== null && /^-?\d+(\.\d+)?$/.test(r.text.trim()) ? r.text.trim() : null);
    case 'BOOLEAN':
      return bool ?? (r.number !== null ? (r.number !== 0 ? 'true' : 'false') : null);
    case 'DATE':
      return date;
    case 'TEXT':
      return r.text ?? num;
    case 'LONG_TEXT':
      return r.memo ?? r.text;
    default:
      return num ?? r.text ?? bool ?? date;
  }
}

export const dhis14Importer: Importer = {
  kind: 'dhis14',
  checkOptions: (options) => parseDhis14Options(options),
  async run(ctx: JobContext, files: ImportFileInput[], rawOptions: Record<string, unknown>): Promise<ImportResult> {
    const o = parseDhis14Options(rawOptions);
    if (files.length !== 1) throw ferryError('BAD_REQUEST', 'dhis14.oneFile');
    const file = files[0]!;
    const since = o.lastUpdated ? d14DateTime(o.lastUpdated) : null;
    ctx.progress({ stage: 'opening', unit: 'records', done: 0, total: null, records: 0, fileIndex: file.index, fileName: file.name });
    const src = await openDhis14Source(file.path, { password: o.password ?? null, requireData: o.dataValues });
    try {
      return await runSource(ctx, file, src, o, since);
    } finally {
      src.close();
    }
  },
};

async function runSource(ctx: JobContext, file: ImportFileInput, src: Dhis14OpenedSource, o: Dhis14ImportOptions, since: string | null): Promise<ImportResult> {
  const db = ctx.db;
  const issues = issueSink();
  const analyse = o.mode === 'analyse';
  ctx.progress({ stage: 'reading metadata', fileIndex: file.index, fileName: file.name });
  const tables = await src.metadata();
  ctx.throwIfCancelled();
  const repo = new Dhis14Repo(db);
  const p = plan(tables, analyse ? null : repo, issues, o.levels);
  ctx.throwIfCancelled();

  const report: Dhis14Report = {
    mode: o.mode,
    file: file.name,
    format: src.format,
    tables: [...tables].map(([name, rows]) => ({ name, rows: rows.length })),
    lastUpdated: since,
    levels: o.levels,
    issues: [],
    objects: [],
    values: { read: 0, imported: 0, updated: 0, unchanged: 0, skipped: 0, filtered: null },
    skipped: LIMITATIONS.map((k) => ({ what: englishError(`dhis14.limitation.${k}`), count: null as number | null, messageKey: `dhis14.limitation.${k}`, messageParams: {} })),
  };
  report.skipped[0]!.count = altNameCount(tables.get('OrgUnit'));
  report.skipped[1]!.count = altNameCount(tables.get('DataElement')) + altNameCount(tables.get('Indicator'));
  report.skipped[5]!.count = (tables.get('UserName')?.length ?? 0) + (tables.get('UserInfoRole')?.length ?? 0);

  // ---- metadata ----
  const counts = new Map<string, Dhis14ObjectCount>();
  const countOf = (type: string): Dhis14ObjectCount => {
    let c = counts.get(type);
    if (!c) counts.set(type, (c = { type, created: 0, updated: 0, unchanged: 0, ignored: 0 }));
    return c;
  };
  const deIds = new Map<string, number>();
  const ouIds = new Map<string, number>();
  let cocId = -1;
  if (!analyse) {
    ctx.progress({ stage: 'importing metadata', unit: 'records', done: 0, total: p.objects.length, records: 0 });
    const opts = metadataImportOptionsSchema.parse({ importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'NONE', identifier: 'UID' });
    const engine = new MetadataEngine(
      db,
      { ...opts, importReportMode: 'ERRORS', now: ctx.now, sourceFileId: file.fileId },
      { throwIfCancelled: () => ctx.throwIfCancelled() },
    );
    // one object per uid (1.4 duplicates merge into the first); unchanged ones are not sent
    const sent = new Set<string>();
    let index = 0;
    for (const m of p.objects) {
      const c = countOf(m.type);
      if (sent.has(m.uid)) continue;
      sent.add(m.uid);
      if (sameAsStored(m)) {
        c.unchanged++;
        continue;
      }
      const obj = m.stored ? { ...(JSON.parse(m.stored.json) as Obj), ...m.fields } : m.fields;
      engine.add({ type: m.type, index: index++, object: obj });
    }
    const r = engine.run();
    const byKlass = new Map(Object.values(METADATA_TYPES).map((t) => [t.klass, t.plural]));
    for (const tr of r.report.typeReports) {
      const type = byKlass.get(tr.klass);
      if (!type) continue;
      const c = countOf(type);
      c.created += tr.stats.created;
      c.updated += tr.stats.updated;
      c.ignored += tr.stats.ignored;
    }
    report.metadataReport = r.report;
    // keep the legacy id → uid mapping of every object that now exists
    const exists = new Map<string, Map<string, number>>();
    const idsOf = (type: string): Map<string, number> => {
      let m = exists.get(type);
      if (!m) exists.set(type, (m = repo.idsByUid(type)));
      return m;
    };
    for (const m of p.objects) if (!m.noKeep && idsOf(m.type).has(m.uid)) repo.keep(m.type, m.legacyId, m.uid, m.name, ctx.now);
    for (const [k, v] of idsOf('dataElements')) deIds.set(k, v);
    for (const [k, v] of idsOf('organisationUnits')) ouIds.set(k, v);
    cocId = repo.defaultCocId() ?? -1;
  }
  report.objects = [...counts.values()];

  // ---- data values ----
  const conflicts = new Map<string, ImportConflict>();
  const conflict = (code: string, value: string, message: string): void => {
    const key = `${code}:${value}`;
    if (!conflicts.has(key) && conflicts.size < 100) conflicts.set(key, { object: value, objects: {}, value: message, errorCode: code });
  };
  const v: Dhis14ValueCount = report.values;
  if (o.dataValues) {
    if (!analyse) cacheSize(db, 16384);
    const writer = analyse || cocId < 0 ? null : new DataValueWriter(db, ctx.now);
    if (!analyse && cocId < 0) throw ferryError('INTERNAL', 'dhis14.noDefaultCoc');
    const totals = src.dataTables().map((t) => src.dataCount(t));
    const total = totals.every((n) => n !== null) ? totals.reduce<number>((a, b) => a + (b ?? 0), 0) : null;
    let seen = 0;
    const deletedSkipped = { n: 0 };
    const semiPeriods = new Map<string, Period | null>();
    for (const table of src.dataTables()) {
      let tableRows = 0;
      for await (const chunk of src.data(table, since)) {
        ctx.throwIfCancelled();
        for (const r of chunk) {
          tableRows++;
          v.read++;
          // ---- integrity of the row ----
          if (r.deleted) {
            deletedSkipped.n++;
            v.skipped++;
            issues.add('deletedRows', { key: 'dhis14.issue.deletedRows' }, { key: 'dhis14.example.rowDeOuPeriod', params: { table, de: String(r.de), ou: String(r.ou), period: String(r.pe ?? r.validFrom) } });
            continue;
          }
          const d = r.de !== null ? p.de.get(r.de) : undefined;
          if (!d) {
            v.skipped++;
            issues.add('valueMissingDataElement', { key: 'dhis14.issue.valueMissingDataElement' }, { key: 'dhis14.example.rowDe', params: { table, de: String(r.de) } });
            conflict('E7610', String(r.de), `Data element not found or not accessible: \`${r.de}\``);
            continue;
          }
          if (d.calculated) {
            v.skipped++;
            issues.add('valueOfCalculatedDataElement', { key: 'dhis14.issue.valueOfCalculatedDataElement' }, { key: 'dhis14.example.rowDe', params: { table, de: String(r.de) } });
            continue;
          }
          const ouUid = r.ou !== null ? p.ou.get(r.ou) : undefined;
          if (!ouUid) {
            v.skipped++;
            issues.add('valueMissingOrgUnit', { key: 'dhis14.issue.valueMissingOrgUnit' }, { key: 'dhis14.example.rowOu', params: { table, ou: String(r.ou) } });
            conflict('E7612', String(r.ou), `Organisation unit not found or not accessible: \`${r.ou}\``);
            continue;
          }
          let period: Period | null | undefined;
          if (table === 'RoutineData' || table === 'RoutineDataArchive') {
            period = r.pe !== null ? p.periods.get(r.pe) : undefined;
          } else {
            const from = oleDayToIso(r.validFrom);
            const to = oleDayToIso(r.validTo);
            const type = p.types.periodType(d.periodTypeId) ?? 'Yearly';
            const key = `${type}:${from}:${to}`;
            period = semiPeriods.get(key);
            if (period === undefined) semiPeriods.set(key, (period = from ? semiPeriod(type, from, to) : null));
          }
          if (!period) {
            v.skipped++;
            issues.add('valueMissingPeriod', { key: 'dhis14.issue.valueMissingPeriod' }, { key: 'dhis14.example.rowPeriod', params: { table, period: String(r.pe ?? r.validFrom) } });
            conflict('E7611', String(r.pe ?? r.validFrom), `Period not valid: \`${r.pe ?? r.validFrom}\``);
            continue;
          }
          const value = valueOf(r, d.valueType);
          if (value === null) {
            v.skipped++;
            issues.add('valueEmpty', { key: 'dhis14.issue.valueEmpty' }, { key: 'dhis14.example.rowDeOu', params: { table, de: String(r.de), ou: String(r.ou) } });
            continue;
          }
          if (!writer) continue;
          // ---- write ----
          const deId = deIds.get(d.uid);
          const ouId = ouIds.get(ouUid);
          if (deId === undefined || ouId === undefined) {
            v.skipped++;
            // the object's metadata was refused (see the metadata report): DHIS2's conflict for a missing object
            if (deId === undefined) conflict('E7610', d.uid, `Data element not found or not accessible: \`${d.uid}\``);
            else conflict('E7612', ouUid, `Organisation unit not found or not accessible: \`${ouUid}\``);
            continue;
          }
          const comment = r.comment;
          const storedBy = (r.lastUserId !== null ? p.users.get(r.lastUserId) : undefined) ?? ctx.user;
          const pe = writer.periodId(period);
          if (writer.partitionWasEmpty(ouId, pe) && writer.insertIfAbsent(deId, pe, ouId, cocId, cocId, value, comment, 0, storedBy, file.fileId)) {
            v.imported++;
          } else {
            const ex = writer.lookup(deId, pe, ouId, cocId, cocId);
            if (!ex || ex[3] === 1) {
              writer.insert(deId, pe, ouId, cocId, cocId, value, comment, 0, 0, storedBy, file.fileId, ex !== null);
              v.imported++;
            } else if (ex[0] === value && (ex[1] ?? null) === comment) v.unchanged++;
            else {
              writer.update(deId, pe, ouId, cocId, cocId, value, comment, ex[2], storedBy, file.fileId, ex[3]);
              v.updated++;
            }
          }
        }
        seen += chunk.length;
        if (seen % PROGRESS_EVERY < chunk.length || chunk.length >= PROGRESS_EVERY) {
          ctx.progress({ stage: analyse ? 'analysing data values' : 'importing data values', unit: 'records', done: seen, total, records: v.read });
        }
      }
      const entry = report.tables.find((x) => x.name === table);
      if (entry) entry.rows = tableRows;
      else report.tables.push({ name: table, rows: tableRows });
      const count = src.dataCount(table);
      if (since !== null && count !== null) v.filtered = (v.filtered ?? 0) + Math.max(0, count - tableRows);
    }
    ctx.progress({ stage: analyse ? 'analysing data values' : 'importing data values', unit: 'records', done: seen, total: total ?? seen, records: v.read });
  }
  report.issues = issues.list();

  const importCount = emptyImportCount();
  importCount.imported = v.imported;
  importCount.updated = v.updated;
  importCount.ignored = v.unchanged + v.skipped;
  const metaErrors = report.objects.some((c) => c.ignored > 0);
  const status: SummaryStatus = metaErrors || v.skipped > 0 || conflicts.size > 0 ? 'WARNING' : 'SUCCESS';
  const summary: Dhis14ImportSummary = {
    responseType: 'ImportSummary',
    status,
    description: analyse ? 'DHIS 1.4 analysis completed; nothing was written' : 'Import process completed successfully',
    importCount,
    conflicts: [...conflicts.values()],
    rejectedIndexes: [],
    ...(o.dryRun || analyse ? { dryRun: true } : {}),
    dhis14: report,
  };
  const outcome: FileOutcome = {
    index: file.index,
    size: src.size,
    sha256: src.sha256(),
    format: src.format,
    compression: src.format === 'mdb' ? 'none' : 'zip',
    status,
  };
  return { summary, status, commit: !analyse, files: [outcome] };
}

export type { Plan };
export { plan as planDhis14 };
