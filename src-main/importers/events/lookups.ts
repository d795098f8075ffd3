/**
 * Metadata an event / tracker import needs, read once per job from metadata_object (read only): identifier maps per
 * type and id scheme (UID, CODE, NAME, ATTRIBUTE:<uid>; built on first use), and the program model — programs with
 * their org units, category combo and attributes, stages with their data elements, data elements and tracked entity
 * attributes with value types and option sets, the attribute category model, tracked entity and relationship types.
 * Everything downstream works on integer ids (metadata_object.id).
 */
import type { Db } from '../../db/open.ts';
import { MetadataLookupRepo, type ObjectRow } from '../../db/repos/metadata-lookups.ts';
import { DEFAULTS } from '../../db/migrations/0002-system-defaults.ts';

type Json = Record<string, unknown>;

export interface ProgramInfo {
  id: number;
  uid: string;
  name: string;
  registration: boolean;
  ouIds: Set<number>;
  comboId: number | null;
  comboUid: string | null;
  comboIsDefault: boolean;
  stageIds: Set<number>;
  tetId: number | null;
  /** program attributes (programTrackedEntityAttributes): attribute id → mandatory */
  attributes: Map<number, boolean>;
  onlyEnrollOnce: boolean;
  displayIncidentDate: boolean;
  selectEnrollmentDatesInFuture: boolean;
  selectIncidentDatesInFuture: boolean;
  featureType: string | null;
  /** days an attribute category option stays open after its end date, for this program's events */
  openDaysAfterCoEndDate: number;
  /** expiry (DHIS2's event DateValidator): days after the end of the event's period of expiryPeriodType (E1047) */
  expiryDays: number;
  expiryPeriodType: string | null;
  /** days after completedAt a completed event may still be changed (E1043) */
  completeEventsExpiryDays: number;
}

export interface StageInfo {
  id: number;
  uid: string;
  programId: number | null;
  featureType: string | null;
  repeatable: boolean;
  validationStrategy: string;
  /** data elements of the stage: id → compulsory */
  dataElements: Map<number, boolean>;
  /** events of the stage may have an assigned user (else E1120) */
  enableUserAssignment: boolean;
}

export interface ValueTypedInfo {
  id: number;
  uid: string;
  valueType: string;
  optionSetUid: string | null;
  optionCodes: Set<string> | null;
  unique: boolean;
}

export interface CocInfo {
  id: number;
  uid: string;
  comboId: number | null;
  optionIds: number[];
}

export interface CategoryOptionInfo {
  id: number;
  uid: string;
  name: string;
  startDate: string | null;
  endDate: string | null;
}

export interface TetInfo {
  id: number;
  uid: string;
  /** attribute id → mandatory */
  attributes: Map<number, boolean>;
}

/** One side of a relationship type: the kind of object it links, and for tracked entities their type. */
export interface RelationshipConstraint {
  entity: 'TRACKED_ENTITY' | 'ENROLLMENT' | 'EVENT' | null;
  tetId: number | null;
}

export type LookupType =
  | 'programs'
  | 'programStages'
  | 'organisationUnits'
  | 'dataElements'
  | 'categoryOptionCombos'
  | 'categoryOptions'
  | 'trackedEntityTypes'
  | 'trackedEntityAttributes'
  | 'relationshipTypes';

const TYPES = [
  'programs', 'programStages', 'programStageDataElements', 'programTrackedEntityAttributes', 'organisationUnits', 'dataElements', 'categoryCombos',
  'categoryOptionCombos', 'categoryOptions', 'trackedEntityTypes', 'trackedEntityAttributes', 'relationshipTypes', 'optionSets', 'options',
];

const refId = (v: unknown): string | undefined => (v && typeof v === 'object' ? ((v as Json).id as string | undefined) : undefined);
const refIds = (v: unknown): string[] => (Array.isArray(v) ? v.map(refId).filter((x): x is string => typeof x === 'string') : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export class EventLookups {
  private readonly rows = new Map<string, ObjectRow[]>();
  private readonly idMaps = new Map<string, Map<string, number>>();
  readonly programs = new Map<number, ProgramInfo>();
  readonly stages = new Map<number, StageInfo>();
  readonly dataElements = new Map<number, ValueTypedInfo>();
  readonly attributes = new Map<number, ValueTypedInfo>();
  readonly cocs = new Map<number, CocInfo>();
  readonly categoryOptions = new Map<number, CategoryOptionInfo>();
  readonly tets = new Map<number, TetInfo>();
  /** relationship type id → its from and to constraints */
  readonly relationshipTypes = new Map<number, { from: RelationshipConstraint; to: RelationshipConstraint; bidirectional?: boolean }>();
  /** category combo id → (sorted option ids joined by ',') → COC id */
  private readonly comboByOptions = new Map<number, Map<string, number>>();
  readonly defaultCocId: number;
  readonly defaultComboId: number;
  private readonly uidById = new Map<number, string>();

  constructor(db: Db) {
    const repo = new MetadataLookupRepo(db);
    for (const t of TYPES) {
      const list = repo.rowsOfType(t);
      this.rows.set(t, list);
      for (const r of list) this.uidById.set(r.id, r.uid);
    }
    const json = (r: ObjectRow): Json => {
      try {
        return JSON.parse(r.json) as Json;
      } catch {
        return {};
      }
    };
    const uidMap = (type: string): Map<string, number> => this.idMap(type, 'UID');
    const combos = uidMap('categoryCombos');
    const ous = uidMap('organisationUnits');
    const des = uidMap('dataElements');
    const teas = uidMap('trackedEntityAttributes');
    const opts = uidMap('categoryOptions');
    const cocUids = uidMap('categoryOptionCombos');
    const programUids = uidMap('programs');
    const stageUids = uidMap('programStages');
    const tetUids = uidMap('trackedEntityTypes');

    const defCombo = this.rows.get('categoryCombos')!.find((r) => r.uid === DEFAULTS.categoryCombo) ??
      this.rows.get('categoryCombos')!.find((r) => r.name === 'default');
    this.defaultComboId = defCombo?.id ?? -1;
    const defCoc = this.rows.get('categoryOptionCombos')!.find((r) => r.uid === DEFAULTS.categoryOptionCombo) ??
      this.rows.get('categoryOptionCombos')!.find((r) => r.name === 'default');
    this.defaultCocId = defCoc?.id ?? -1;

    // option sets: codes from the set's option list and from options pointing to their set
    const optionCodes = new Map<string, Set<string>>();
    const optionById = new Map<string, Json>();
    for (const r of this.rows.get('options')!) optionById.set(r.uid, json(r));
    for (const r of this.rows.get('optionSets')!) {
      const set = new Set<string>();
      for (const o of (json(r).options as unknown[] | undefined) ?? []) {
        const oj = (o && typeof o === 'object' ? o : {}) as Json;
        const code = str(oj.code) ?? str(optionById.get(refId(o) ?? '')?.code);
        if (code) set.add(code);
      }
      optionCodes.set(r.uid, set);
    }
    for (const [, o] of optionById) {
      const setUid = refId(o.optionSet);
      if (setUid && typeof o.code === 'string') {
        let s = optionCodes.get(setUid);
        if (!s) optionCodes.set(setUid, (s = new Set()));
        s.add(o.code);
      }
    }
    const valueTyped = (r: ObjectRow): ValueTypedInfo => {
      const j = json(r);
      const setUid = refId(j.optionSet) ?? null;
      return {
        id: r.id, uid: r.uid, valueType: str(j.valueType) ?? 'TEXT', optionSetUid: setUid, optionCodes: setUid ? (optionCodes.get(setUid) ?? new Set()) : null,
        unique: j.unique === true,
      };
    };
    for (const r of this.rows.get('dataElements')!) this.dataElements.set(r.id, valueTyped(r));
    for (const r of this.rows.get('trackedEntityAttributes')!) this.attributes.set(r.id, valueTyped(r));

    // category model
    for (const r of this.rows.get('categoryOptions')!) {
      const j = json(r);
      this.categoryOptions.set(r.id, { id: r.id, uid: r.uid, name: r.name ?? r.uid, startDate: str(j.startDate), endDate: str(j.endDate) });
    }
    for (const r of this.rows.get('categoryOptionCombos')!) {
      const j = json(r);
      const comboUid = refId(j.categoryCombo);
      this.cocs.set(r.id, {
        id: r.id, uid: r.uid, comboId: comboUid ? (combos.get(comboUid) ?? null) : null,
        optionIds: refIds(j.categoryOptions).map((u) => opts.get(u)).filter((x): x is number => x != null),
      });
    }
    for (const r of this.rows.get('categoryCombos')!) {
      for (const u of refIds(json(r).categoryOptionCombos)) {
        const c = this.cocs.get(cocUids.get(u) ?? -1);
        if (c && c.comboId == null) c.comboId = r.id;
      }
    }
    const defaultCoc = this.cocs.get(this.defaultCocId);
    if (defaultCoc && defaultCoc.comboId == null) defaultCoc.comboId = this.defaultComboId;
    for (const c of this.cocs.values()) {
      if (c.comboId == null) continue;
      let m = this.comboByOptions.get(c.comboId);
      if (!m) this.comboByOptions.set(c.comboId, (m = new Map()));
      m.set([...c.optionIds].sort((a, b) => a - b).join(','), c.id);
    }

    // tracked entity types and their attributes
    for (const r of this.rows.get('trackedEntityTypes')!) {
      const attrs = new Map<number, boolean>();
      for (const a of (json(r).trackedEntityTypeAttributes as Json[] | undefined) ?? []) {
        const id = teas.get(refId(a.trackedEntityAttribute) ?? '');
        if (id != null) attrs.set(id, a.mandatory === true);
      }
      this.tets.set(r.id, { id: r.id, uid: r.uid, attributes: attrs });
    }

    // relationship types: what each side links (DHIS2's relationshipEntity names)
    const ENTITY: Record<string, RelationshipConstraint['entity']> = {
      TRACKED_ENTITY_INSTANCE: 'TRACKED_ENTITY', PROGRAM_INSTANCE: 'ENROLLMENT', PROGRAM_STAGE_INSTANCE: 'EVENT',
    };
    const constraint = (c: unknown): RelationshipConstraint => {
      const o = (c && typeof c === 'object' ? c : {}) as Json;
      return { entity: ENTITY[String(o.relationshipEntity ?? '')] ?? null, tetId: tetUids.get(refId(o.trackedEntityType) ?? '') ?? null };
    };
    for (const r of this.rows.get('relationshipTypes')!) {
      const j = json(r);
      this.relationshipTypes.set(r.id, { from: constraint(j.fromConstraint), to: constraint(j.toConstraint), bidirectional: j.bidirectional === true });
    }

    // program stage data elements and program attributes may be stored as objects of their own (referenced by id)
    const psdeByUid = new Map<string, Json>();
    for (const r of this.rows.get('programStageDataElements')!) psdeByUid.set(r.uid, json(r));
    const pteaByUid = new Map<string, Json>();
    for (const r of this.rows.get('programTrackedEntityAttributes')!) pteaByUid.set(r.uid, json(r));

    for (const r of this.rows.get('programs')!) {
      const j = json(r);
      const comboUid = refId(j.categoryCombo) ?? DEFAULTS.categoryCombo;
      const comboId = combos.get(comboUid) ?? null;
      const attributes = new Map<number, boolean>();
      for (const raw of (j.programTrackedEntityAttributes as Json[] | undefined) ?? []) {
        const a = raw.trackedEntityAttribute ? raw : (pteaByUid.get(refId(raw) ?? '') ?? raw);
        const id = teas.get(refId(a.trackedEntityAttribute) ?? '');
        if (id != null) attributes.set(id, a.mandatory === true);
      }
      this.programs.set(r.id, {
        id: r.id, uid: r.uid, name: r.name ?? r.uid, registration: j.programType === 'WITH_REGISTRATION',
        ouIds: new Set(refIds(j.organisationUnits).map((u) => ous.get(u)).filter((x): x is number => x != null)),
        comboId, comboUid, comboIsDefault: comboId === this.defaultComboId || comboUid === DEFAULTS.categoryCombo,
        stageIds: new Set(refIds(j.programStages).map((u) => stageUids.get(u)).filter((x): x is number => x != null)),
        tetId: tetUids.get(refId(j.trackedEntityType) ?? '') ?? null, attributes, onlyEnrollOnce: j.onlyEnrollOnce === true,
        displayIncidentDate: j.displayIncidentDate === true, selectEnrollmentDatesInFuture: j.selectEnrollmentDatesInFuture === true,
        selectIncidentDatesInFuture: j.selectIncidentDatesInFuture === true, featureType: str(j.featureType),
        openDaysAfterCoEndDate: typeof j.openDaysAfterCoEndDate === 'number' ? j.openDaysAfterCoEndDate : 0,
        expiryDays: typeof j.expiryDays === 'number' ? j.expiryDays : 0,
        expiryPeriodType: str(j.expiryPeriodType) ?? refId(j.expiryPeriodType) ?? str((j.expiryPeriodType as Json | undefined)?.name) ?? null,
        completeEventsExpiryDays: typeof j.completeEventsExpiryDays === 'number' ? j.completeEventsExpiryDays : 0,
      });
    }
    for (const r of this.rows.get('programStages')!) {
      const j = json(r);
      const dataElements = new Map<number, boolean>();
      for (const raw of (j.programStageDataElements as Json[] | undefined) ?? []) {
        const x = raw.dataElement ? raw : (psdeByUid.get(refId(raw) ?? '') ?? raw);
        const id = des.get(refId(x.dataElement) ?? '');
        if (id != null) dataElements.set(id, x.compulsory === true);
      }
      let programId = programUids.get(refId(j.program) ?? '') ?? null;
      if (programId == null) for (const p of this.programs.values()) if (p.stageIds.has(r.id)) programId = p.id;
      if (programId != null) this.programs.get(programId)?.stageIds.add(r.id);
      this.stages.set(r.id, {
        id: r.id, uid: r.uid, programId, featureType: str(j.featureType), repeatable: j.repeatable === true,
        validationStrategy: str(j.validationStrategy) ?? 'ON_COMPLETE', dataElements, enableUserAssignment: j.enableUserAssignment === true,
      });
    }
  }

  /** identifier → id map of a type under a scheme (built once) */
  idMap(type: string, scheme: string): Map<string, number> {
    const key = `${type}|${scheme}`;
    let m = this.idMaps.get(key);
    if (m) return m;
    m = new Map();
    const attr = scheme.startsWith('ATTRIBUTE:') ? scheme.slice(10) : null;
    for (const r of this.rows.get(type) ?? []) {
      let k: string | null = null;
      if (scheme === 'UID') k = r.uid;
      else if (scheme === 'CODE') k = r.code;
      else if (scheme === 'NAME') k = r.name;
      else if (scheme === 'ID') k = String(r.id);
      else if (attr) {
        try {
          const av = (JSON.parse(r.json) as Json).attributeValues;
          if (Array.isArray(av)) {
            for (const a of av as Json[]) if (refId(a.attribute) === attr && a.value != null) k = String(a.value);
          }
        } catch {
          k = null;
        }
      }
      if (k != null && !m.has(k)) m.set(k, r.id);
    }
    this.idMaps.set(key, m);
    return m;
  }

  /** The id of the object of `type` whose identifier under `scheme` is `ident`. */
  resolve(type: LookupType, scheme: string, ident: string | undefined | null): number | undefined {
    if (ident == null || ident === '') return undefined;
    return this.idMap(type, scheme).get(ident);
  }

  uidOf(id: number | null | undefined): string | undefined {
    return id == null ? undefined : this.uidById.get(id);
  }

  /** The COC of a combo with exactly these category options, if any. */
  cocOfOptions(comboId: number, optionIds: number[]): number | undefined {
    return this.comboByOptions.get(comboId)?.get([...optionIds].sort((a, b) => a - b).join(','));
  }
}
