/**
 * The event / tracker import engine: takes TrackerRecords one top-level object at a time (a tracked entity with its
 * enrollments and their events nested, or a flat enrollment, event or relationship), validates each object with
 * DHIS2's tracker validators in their order (core 2.42+: existence → mandatory fields → metadata → updatable fields →
 * data relations → attribute option combo → then dates, geometry, notes, data values / attributes), writes the valid
 * ones in the job's transaction, and keeps the counts and error reports the two report shapes are built from
 * (report.ts). A child of an object that failed gets E5000 and is not written.
 *
 * Streaming: an object is validated against the database as it stands, which already holds the objects of the same
 * job written before it — so an event may refer to an enrollment earlier in the file, as DHIS2 resolves references
 * within one payload. Relationships are kept until the end of the job (they may link objects that come later).
 * Atomic mode ALL: with any error the runner rolls everything back (commit=false) and the report counts every object
 * as ignored, as DHIS2 does when it exits on validation errors.
 */
import type { Db } from '../../db/open.ts';
import { TrackerWriteRepo, type DataValueWrite, type EventWrite, type ExistingEvent, type StoredValue } from '../../db/repos/tracker-write.ts';
import { generateUid, isValidUid } from '../../../src-shared/dhis2/uid.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { SUMMARY_LIMITS } from '../../../src-shared/dhis2/import-summary.ts';
import { DEFAULTS } from '../../db/migrations/0002-system-defaults.ts';
import { validateValue, normalizeBoolean } from '../../../src-shared/dhis2/value-types.ts';
import type {
  TrackedEntity,
  TrackerAttribute,
  TrackerEnrollment,
  TrackerErrorReport,
  TrackerEvent,
  TrackerGeometry,
  TrackerNote,
  TrackerRecord,
  TrackerRelationship,
  TrackerType,
  RelationshipItem,
} from '../../../src-shared/dhis2/tracker.ts';
import type { ImportStrategy } from '../../../src-shared/dhis2/options.ts';
import type { EventLookups, LookupType, ProgramInfo, StageInfo, ValueTypedInfo } from './lookups.ts';
import { trackerMessage } from './messages.ts';
import { ProgramRuleRunner, type RuleSink } from './rules/runner.ts';
import { enrollmentDateChecks, eventDateChecks, statusUpdateCheck } from './dates.ts';
import { isAfterToday, localDateTime } from './local-time.ts';
import { attributeValueTypeError } from './attribute-value-type.ts';
import { TrackerRulesRepo } from '../../db/repos/tracker-rules.ts';

export interface EventImportSettings {
  importStrategy: ImportStrategy;
  atomicMode: 'ALL' | 'OBJECT';
  validationMode: 'FULL' | 'FAIL_FAST' | 'SKIP';
  idScheme?: string;
  dataElementIdScheme?: string;
  orgUnitIdScheme?: string;
  programIdScheme?: string;
  programStageIdScheme?: string;
  categoryOptionComboIdScheme?: string;
  categoryOptionIdScheme?: string;
  /** DHIS2's skipRuleEngine: no program rules */
  skipRuleEngine?: boolean;
  /** import as a user with DHIS2's F_EDIT_EXPIRED authority: E1043 not checked (dates.ts) */
  skipExpiryCheck?: boolean;
  /** a transfer package's events: no expiry check at all (E1043, E1047: the sender's to apply) */
  received?: boolean;
}

export interface TypeCounts {
  created: number;
  updated: number;
  deleted: number;
  /** objects of the type with at least one error (distinct uids) plus the valid ones: DHIS2's bundle size */
  total: number;
}

/** One processed event of an old events file (its ImportSummary). */
export interface EventOutcome {
  uid: string;
  line: number;
  file: string;
  action: 'CREATE' | 'UPDATE' | 'DELETE' | 'IGNORED';
  errors: TrackerErrorReport[];
}

type Strategy = 'CREATE' | 'UPDATE' | 'DELETE';

const FEATURE_TYPES: Record<string, string> = {
  point: 'POINT', polygon: 'POLYGON', multipolygon: 'MULTI_POLYGON', multi_polygon: 'MULTI_POLYGON', symbol: 'SYMBOL',
};
const TYPE_NAME: Record<TrackerType, string> = { TRACKED_ENTITY: 'trackedEntity', ENROLLMENT: 'enrollment', EVENT: 'event', RELATIONSHIP: 'relationship' };
const STATUSES_WITHOUT_VALUES = new Set(['SCHEDULE', 'SKIPPED', 'OVERDUE']);
/** DHIS2's tracker Constant.MAX_ATTR_VALUE_LENGTH (E1077) */
const MAX_ATTR_VALUE_LENGTH = 1200;

const blank = (s: string | undefined | null): boolean => s == null || String(s).trim() === '';

/**
 * A tracker attribute as DHIS2 prints it in E1075 (the argument is the domain Attribute itself: Lombok's toString of
 * Attribute and of its MetadataIdentifier under the job's id scheme). The reader keeps no difference between an absent
 * and an empty `attribute`: both print as DHIS2 prints the absent one (identifier=null).
 */
export function attributeText(a: Pick<TrackerAttribute, 'attribute' | 'value' | 'storedBy'>, scheme: string): string {
  const ident = a.attribute === '' || a.attribute == null ? 'null' : a.attribute;
  const mi = scheme.toUpperCase().startsWith('ATTRIBUTE:')
    ? `MetadataIdentifier(idScheme=ATTRIBUTE, identifier=${scheme.slice(10)}, attributeValue=${ident})`
    : `MetadataIdentifier(idScheme=${scheme.toUpperCase()}, identifier=${ident}, attributeValue=null)`;
  return `Attribute(attribute=${mi}, storedBy=${a.storedBy ?? 'null'}, value=${a.value ?? 'null'})`;
}
const jsonOrNull = (v: unknown): string | null => (v == null ? null : JSON.stringify(v));
/** DHIS2's ValidationUtils.validateNotes: a note with no text (null or empty) is dropped without a word */
const hasText = (n: TrackerNote): boolean => n.value != null && n.value !== '';

/** The instant a DHIS2 date or date-time text stands for (ms), or null when it is not one. */
export function parseInstant(s: string | undefined | null): number | null {
  if (s == null || s === '') return null;
  const t = String(s).trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return null;
  const iso = t.length === 10 ? `${t}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(t) ? t.replace(' ', 'T') : `${t.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** The first uid of a top-level object (its nested objects included) that is given but is no DHIS2 uid. */
function malformedUid(rec: TrackerRecord): string | null {
  let found: string | null = null;
  const check = (...uids: (string | null | undefined)[]): void => {
    for (const u of uids) if (found == null && u != null && u !== '' && !isValidUid(u)) found = u;
  };
  const notes = (list: TrackerNote[] | undefined) => check(...(list ?? []).map((n) => n.note));
  const rels = (list: TrackerRelationship[] | undefined) => {
    for (const x of list ?? []) {
      check(x.relationship);
      for (const item of [x.from, x.to]) if (item) check(item.trackedEntity, item.enrollment, item.event);
    }
  };
  const event = (e: TrackerEvent) => {
    check(e.event, e.enrollment, e.trackedEntity);
    notes(e.notes);
    rels(e.relationships);
  };
  const enrollment = (e: TrackerEnrollment) => {
    check(e.enrollment, e.trackedEntity);
    notes(e.notes);
    rels(e.relationships);
    for (const ev of e.events ?? []) event(ev);
  };
  switch (rec.type) {
    case 'TRACKED_ENTITY':
      check(rec.value.trackedEntity);
      rels(rec.value.relationships);
      for (const en of rec.value.enrollments ?? []) enrollment(en);
      break;
    case 'ENROLLMENT':
      enrollment(rec.value);
      break;
    case 'EVENT':
      event(rec.value);
      break;
    case 'RELATIONSHIP':
      rels([rec.value]);
      break;
  }
  return found;
}

class Reporter {
  readonly errors: TrackerErrorReport[] = [];
  constructor(
    readonly type: TrackerType,
    readonly uid: string,
    readonly line: number,
  ) {}
  add(code: string, ...args: unknown[]): void {
    this.errors.push({ message: trackerMessage(code, args), errorCode: code, trackerType: this.type, uid: this.uid, line: this.line });
  }
  get has(): boolean {
    return this.errors.length > 0;
  }
}

export class TrackerEngine {
  private readonly repo: TrackerWriteRepo;
  readonly counts: Record<TrackerType, TypeCounts> = {
    TRACKED_ENTITY: { created: 0, updated: 0, deleted: 0, total: 0 },
    ENROLLMENT: { created: 0, updated: 0, deleted: 0, total: 0 },
    EVENT: { created: 0, updated: 0, deleted: 0, total: 0 },
    RELATIONSHIP: { created: 0, updated: 0, deleted: 0, total: 0 },
  };
  /**
   * Error and warning reports, in order, as many as a report lists (SUMMARY_LIMITS: 100 per code, 500 in all); the
   * rest only counted per code — a file whose million events all fail holds no million reports in memory.
   */
  readonly errors: TrackerErrorReport[] = [];
  readonly warnings: TrackerErrorReport[] = [];
  readonly moreErrors: Record<string, number> = {};
  readonly moreWarnings: Record<string, number> = {};
  private errorTotal = 0;
  private warningTotal = 0;
  private readonly perCode = new Map<string, number>();
  private readonly warnPerCode = new Map<string, number>();
  /**
   * Events of old events files (ImportSummaries): every outcome counted by action, at most `outcomeCap` listed —
   * those with errors first (a listed success gives way to a later failure).
   */
  readonly eventOutcomes: EventOutcome[] = [];
  readonly outcomeCounts = { CREATE: 0, UPDATE: 0, DELETE: 0, IGNORED: 0 };
  keepEventOutcomes = false;
  outcomeCap = 1000;
  private listedSuccesses = 0;
  private readonly failed = new Set<string>();
  /** tracked entities of the files that were refused: their type as the file gives it (relationship constraints) */
  private readonly failedTeTypes = new Map<string, string>();
  /** the reports of the last E5000 refusal (an old events file's summary of that event) */
  private lastRefusal: TrackerErrorReport[] = [];
  private readonly relationships: { rel: TrackerRelationship; line: number }[] = [];
  private file = '';
  private fileId: number | null = null;
  /** FAIL_FAST: set at the first error; everything after it is left out */
  stopped = false;
  private readonly schemes: Record<LookupType, string>;

  constructor(
    private readonly db: Db,
    private readonly lookups: EventLookups,
    private readonly settings: EventImportSettings,
    private readonly now: string,
    private readonly user: string,
  ) {
    this.repo = new TrackerWriteRepo(db);
    this.rules = settings.skipRuleEngine ? null : ProgramRuleRunner.create(db, lookups, (ident) => this.resolve('dataElements', ident));
    const id = settings.idScheme ?? 'UID';
    this.schemes = {
      programs: settings.programIdScheme ?? id,
      programStages: settings.programStageIdScheme ?? id,
      organisationUnits: settings.orgUnitIdScheme ?? id,
      dataElements: settings.dataElementIdScheme ?? id,
      categoryOptionCombos: settings.categoryOptionComboIdScheme ?? id,
      categoryOptions: settings.categoryOptionIdScheme ?? id,
      trackedEntityTypes: id,
      trackedEntityAttributes: id,
      relationshipTypes: id,
    };
  }

  private keepOutcome(o: EventOutcome): void {
    this.outcomeCounts[o.action]++;
    if (this.eventOutcomes.length < this.outcomeCap) {
      this.eventOutcomes.push(o);
      if (!o.errors.length) this.listedSuccesses++;
      return;
    }
    if (o.errors.length && this.listedSuccesses > 0) {
      const i = this.eventOutcomes.findIndex((x) => !x.errors.length);
      this.eventOutcomes.splice(i, 1);
      this.eventOutcomes.push(o);
      this.listedSuccesses--;
    }
  }

  setFile(name: string, fileId: number | null): void {
    this.file = name;
    this.fileId = fileId;
  }

  /** identifier maps of the job's schemes, by type (fetched once) */
  private readonly maps = new Map<LookupType, Map<string, number>>();

  private resolve(type: LookupType, ident: string | undefined | null): number | undefined {
    if (ident == null || ident === '') return undefined;
    let m = this.maps.get(type);
    if (!m) this.maps.set(type, (m = this.lookups.idMap(type, this.schemes[type])));
    return m.get(ident);
  }

  /** reverse identifier maps of the job's schemes, by type (built when a message needs one) */
  private readonly idents = new Map<LookupType, Map<number, string>>();

  /**
   * An object's identifier in the job's id scheme, as DHIS2's MessageFormatter prints metadata in a report's arguments
   * (MetadataIdentifier.getIdentifierOrAttributeValue); its uid when it has none under that scheme.
   */
  private identOf(type: LookupType, id: number): string {
    let m = this.idents.get(type);
    if (!m) {
      m = new Map();
      for (const [ident, x] of this.lookups.idMap(type, this.schemes[type])) if (!m.has(x)) m.set(x, ident);
      this.idents.set(type, m);
    }
    return m.get(id) ?? this.lookups.uidOf(id) ?? '';
  }

  /** every error report, listed or not */
  get errorCount(): number {
    return this.errorTotal;
  }

  get warningCount(): number {
    return this.warningTotal;
  }

  private keep(list: TrackerErrorReport[], more: Record<string, number>, perCode: Map<string, number>, e: TrackerErrorReport): void {
    const n = perCode.get(e.errorCode) ?? 0;
    if (list.length < SUMMARY_LIMITS.total && n < SUMMARY_LIMITS.perCode) {
      list.push(e);
      perCode.set(e.errorCode, n + 1);
    } else more[e.errorCode] = (more[e.errorCode] ?? 0) + 1;
  }

  /** One top-level object of a file. */
  process(rec: TrackerRecord): void {
    if (this.stopped) return;
    // DHIS2 2.42 reads every uid of a tracker payload as a UID: a malformed one fails the whole request while the
    // payload is parsed (400 Bad Request, "UID must be …"), before any validation — so it fails the job here, naming
    // the file and line, and nothing is written (E1048, 2.41's per-object refusal, is no longer emitted)
    const bad = malformedUid(rec);
    if (bad != null) {
      throw ferryError('BAD_FILE', 'events.badUid', { file: this.file, line: rec.line, uid: bad }, {
        file: this.file,
        line: rec.line,
      });
    }
    switch (rec.type) {
      case 'TRACKED_ENTITY':
        this.trackedEntity(rec.value, rec.line);
        break;
      case 'ENROLLMENT':
        this.enrollment(rec.value, rec.line, null);
        break;
      case 'EVENT':
        this.event(rec.value, rec.line, null);
        break;
      case 'RELATIONSHIP':
        this.relationships.push({ rel: rec.value, line: rec.line });
        break;
    }
  }

  /** the job's enrollments in ACTIVE or COMPLETED status by person and program (`teUid|programId`): uid → status */
  private readonly payloadEnrollments = new Map<string, [string, string][]>();
  /** the job's events of stages that are not repeatable, by stage and enrollment (`stageId|enrollmentUid`) */
  private readonly payloadStageEvents = new Map<string, { uids: Set<string>; created: Set<string> }>();
  /** events of the job refused by E1039 for another of the job (they still count for the others) */
  private readonly repeatedRefused = new Set<string>();

  /**
   * First pass over the job's records: what DHIS2 sees in the payload as a whole before it validates an object —
   * the enrollments of each person and program (ExistingEnrollmentValidator: E1015, E1016) and the events of each
   * stage that is not repeatable and enrollment (RepeatedEventsValidator: E1039) — so that the first of two
   * conflicting objects is refused as the second is. Keys only: nothing of the objects is kept.
   */
  scan(rec: TrackerRecord): void {
    if (this.settings.importStrategy === 'DELETE') return;
    const enrollment = (en: TrackerEnrollment, parentTe: string | null) => {
      const teUid = en.trackedEntity ?? parentTe;
      const status = en.status ?? 'ACTIVE';
      const pid = this.resolve('programs', en.program);
      if (teUid && pid != null && !blank(en.enrollment) && (status === 'ACTIVE' || status === 'COMPLETED')) {
        const key = `${teUid}|${pid}`;
        const list = this.payloadEnrollments.get(key);
        if (!list) this.payloadEnrollments.set(key, [[en.enrollment!, status]]);
        else if (!list.some(([u]) => u === en.enrollment)) list.push([en.enrollment!, status]);
      }
      for (const ev of en.events ?? []) event(ev, en.enrollment ?? null);
    };
    const event = (ev: TrackerEvent, parentEn: string | null) => {
      const enUid = ev.enrollment ?? parentEn;
      const sid = this.resolve('programStages', ev.programStage);
      const stage = sid != null ? this.lookups.stages.get(sid) : undefined;
      if (!enUid || blank(ev.event) || !stage || stage.repeatable || stage.programId == null || !this.lookups.programs.get(stage.programId)?.registration) return;
      const key = `${sid}|${enUid}`;
      const g = this.payloadStageEvents.get(key);
      if (!g) this.payloadStageEvents.set(key, { uids: new Set([ev.event!]), created: new Set() });
      else g.uids.add(ev.event!);
    };
    switch (rec.type) {
      case 'TRACKED_ENTITY':
        for (const en of rec.value.enrollments ?? []) enrollment(en, rec.value.trackedEntity ?? null);
        break;
      case 'ENROLLMENT':
        enrollment(rec.value, null);
        break;
      case 'EVENT':
        event(rec.value, null);
        break;
      default:
        break;
    }
  }

  /**
   * E1039 (DHIS2's RepeatedEventsValidator) for an event of a stage that is not repeatable, valid so far: another event
   * of the job for the same stage and enrollment (all of them refused; those of the job already refused for another
   * reason do not count, those still to come do), or, for a new event, one stored before the job.
   */
  private repeatedEvent(r: Reporter, uid: string, s: StageInfo, enrollmentId: number, enrollmentUid: string, isNew: boolean): void {
    const g = this.payloadStageEvents.get(`${s.id}|${enrollmentUid}`);
    // refused for another reason than this check: not counted
    const live = (u: string) => u !== uid && (!this.failed.has(`EVENT:${u}`) || this.repeatedRefused.has(u));
    const siblings = g ? [...g.uids].filter(live).length : 0;
    // the stored ones less those this job created
    const storedBefore = isNew ? this.repo.liveEventsOfStage(enrollmentId, s.id) - (g ? [...g.created].filter((u) => u !== uid && !this.failed.has(`EVENT:${u}`)).length : 0) : 0;
    if (siblings > 0 || storedBefore > 0) {
      r.add('E1039', this.identOf('programStages', s.id));
      if (g) this.repeatedRefused.add(uid);
    }
    if (isNew && g) g.created.add(uid);
  }

  /** After the last record of the job: the relationships. */
  finish(): void {
    for (const { rel, line } of this.relationships) {
      if (this.stopped) break;
      this.relationship(rel, line);
    }
    this.relationships.length = 0;
  }

  // ---------------------------------------------------------------- shared

  private strategyFor(exists: boolean): Strategy {
    const s = this.settings.importStrategy;
    if (s === 'CREATE_AND_UPDATE') return exists ? 'UPDATE' : 'CREATE';
    return s;
  }

  /** program rules of the job (null: none stored, or skipRuleEngine) */
  private readonly rules: ProgramRuleRunner | null;

  /** objects written, per type, as DHIS2's bundleReport lists them (objectReports): the first ones, the rest counted */
  readonly written: Record<TrackerType, string[]> = { TRACKED_ENTITY: [], ENROLLMENT: [], EVENT: [], RELATIONSHIP: [] };
  private writtenListed = 0;

  private ruleSink(r: Reporter, type: TrackerType, uid: string): RuleSink {
    return { error: (code, args) => r.add(code, ...args), warning: (code, args) => this.warn(type, uid, r.line, code, ...args) };
  }

  private conclude(type: TrackerType, uid: string, r: Reporter): boolean {
    this.counts[type].total++;
    if (!r.has) {
      if (this.writtenListed < SUMMARY_LIMITS.objectReports) {
        this.written[type].push(uid);
        this.writtenListed++;
      }
      return true;
    }
    // parents are looked up (E5000), and relationships find the file's refused objects as DHIS2 finds them in the payload
    if (type !== 'RELATIONSHIP') this.failed.add(`${type}:${uid}`);
    for (const e of r.errors) {
      this.errorTotal++;
      this.keep(this.errors, this.moreErrors, this.perCode, e);
    }
    if (this.settings.validationMode === 'FAIL_FAST') this.stopped = true;
    return false;
  }

  /** E5000 for a child whose parent in the same payload could not be written. */
  private parentFailed(type: TrackerType, uid: string, line: number, parentType: TrackerType, parentUid: string): boolean {
    if (!this.failed.has(`${parentType}:${parentUid}`)) return false;
    const r = new Reporter(type, uid, line);
    r.add('E5000', TYPE_NAME[type], uid, TYPE_NAME[parentType], parentUid);
    this.conclude(type, uid, r);
    this.lastRefusal = r.errors;
    return true;
  }

  private warn(type: TrackerType, uid: string, line: number, code: string, ...args: unknown[]): void {
    this.warningTotal++;
    this.keep(this.warnings, this.moreWarnings, this.warnPerCode, { message: trackerMessage(code, args), errorCode: code, trackerType: type, uid, line });
  }

  private geometry(r: Reporter, geometry: TrackerGeometry | null | undefined, featureType: string | null): void {
    if (geometry == null) return;
    if (featureType == null) {
      r.add('E1074');
      return;
    }
    const t = FEATURE_TYPES[String(geometry.type ?? '').toLowerCase()] ?? 'NONE';
    if (featureType === 'NONE' || featureType !== t) r.add('E1012', featureType);
  }

  /** Value type, option set and uniqueness checks of one attribute value. */
  private attributeValue(r: Reporter, a: ValueTypedInfo, value: string, teId: number | null): void {
    // DHIS2's AttributeValidator order: length (E1077), value type (E1085 with ValidationUtils.valueIsValid's key, then
    // E1007), option set (E1125), uniqueness (E1064)
    if (value.length > MAX_ATTR_VALUE_LENGTH) r.add('E1077', value, MAX_ATTR_VALUE_LENGTH);
    const err = validateValue(a.valueType, normalizeBoolean(a.valueType, value), a.optionCodes != null);
    if (err) r.add('E1085', a.uid, err);
    const typeErr = attributeValueTypeError(a.valueType, value, a.uid, (ou) => this.lookups.idMap('organisationUnits', 'UID').has(ou));
    if (typeErr) r.add('E1007', a.valueType, typeErr);
    if (a.optionCodes) {
      const codes = a.valueType === 'MULTI_TEXT' ? value.split(',') : [value];
      if (!codes.every((c) => a.optionCodes!.has(c))) r.add('E1125', value, a.optionSetUid);
    }
    if (a.unique) {
      const other = this.repo.otherWithAttributeValue(a.id, value, teId);
      if (other) r.add('E1064', value, a.uid);
    }
  }

  private writeAttributes(teId: number, attrs: { id: number; a: TrackerAttribute }[]): void {
    for (const { id, a } of attrs) {
      if (a.value == null || a.value === '') this.repo.deleteAttributeValue(teId, id);
      else {
        const info = this.lookups.attributes.get(id);
        this.repo.upsertAttributeValue({
          te: teId, attribute: id, value: info ? normalizeBoolean(info.valueType, a.value) : a.value, stored_by: a.storedBy ?? this.user,
          created_at: a.createdAt ?? this.now, updated_at: a.updatedAt ?? this.now,
        });
      }
    }
  }

  // ---------------------------------------------------------------- tracked entities

  private trackedEntity(te: TrackedEntity, line: number): void {
    const uid = te.trackedEntity && !blank(te.trackedEntity) ? te.trackedEntity : generateUid();
    const r = new Reporter('TRACKED_ENTITY', uid, line);
    const existing = this.repo.trackedEntityByUid(uid);
    const strategy = this.strategyFor(!!existing);
    if (strategy === 'DELETE') {
      // children first, as DHIS2 deletes events, then enrollments, then tracked entities
      for (const en of te.enrollments ?? []) this.enrollment(en, line, uid);
    }
    if (existing?.deleted) r.add('E1114', uid);
    else if (existing && strategy === 'CREATE') r.add('E1002', uid);
    else if (!existing && strategy !== 'CREATE') r.add('E1063', uid);
    let tetId: number | undefined;
    let ouId: number | undefined;
    const attrs: { id: number; a: TrackerAttribute }[] = [];
    if (!r.has && strategy !== 'DELETE') {
      if (blank(te.trackedEntityType)) r.add('E1121', 'trackedEntityType');
      if (blank(te.orgUnit)) r.add('E1121', 'orgUnit');
      if (!r.has) {
        ouId = this.resolve('organisationUnits', te.orgUnit);
        tetId = this.resolve('trackedEntityTypes', te.trackedEntityType);
        if (ouId == null) r.add('E1049', te.orgUnit);
        if (tetId == null) r.add('E1005', te.trackedEntityType);
      }
      if (!r.has && existing && existing.te_type != null && existing.te_type !== tetId) r.add('E1126', 'trackedEntityType');
      if (!r.has && this.settings.validationMode !== 'SKIP') {
        const tet = this.lookups.tets.get(tetId!);
        const given = new Set<number>();
        for (const a of te.attributes ?? []) {
          const id = this.resolve('trackedEntityAttributes', a.attribute);
          if (id == null) {
            r.add('E1006', a.attribute);
            continue;
          }
          given.add(id);
          attrs.push({ id, a });
          const info = this.lookups.attributes.get(id)!;
          if (a.value != null && a.value !== '') this.attributeValue(r, info, a.value, existing?.id ?? null);
          // a value removed (null) that the tracked entity type makes mandatory
          else if (a.value == null && tet?.attributes.get(id)) r.add('E1076', 'TrackedEntityAttribute', a.attribute);
        }
        if (tet) {
          const stored = existing ? this.repo.attributeValuesOf(existing.id) : new Map<number, string | null>();
          for (const [attrId, mandatory] of tet.attributes) {
            if (mandatory && !given.has(attrId) && !stored.has(attrId)) r.add('E1090', this.identOf('trackedEntityAttributes', attrId), tet.uid, uid);
          }
        }
      } else if (!r.has) {
        for (const a of te.attributes ?? []) {
          const id = this.resolve('trackedEntityAttributes', a.attribute);
          if (id != null) attrs.push({ id, a });
        }
      }
    }
    if (!this.conclude('TRACKED_ENTITY', uid, r)) {
      this.failedTeTypes.set(uid, te.trackedEntityType ?? '');
      if (strategy !== 'DELETE') for (const en of te.enrollments ?? []) this.enrollment(en, line, uid);
      return;
    }
    if (strategy === 'DELETE') {
      this.repo.deleteTrackedEntity(existing!.id, this.now);
      this.counts.TRACKED_ENTITY.deleted++;
      return;
    }
    const row = {
      uid, te_type: tetId ?? null, ou: ouId ?? null, inactive: te.inactive ? 1 : 0, potential_duplicate: te.potentialDuplicate ? 1 : 0,
      geometry: jsonOrNull(te.geometry), stored_by: te.storedBy ?? this.user, created_at: te.createdAt ?? this.now, created_at_client: te.createdAtClient ?? null,
      updated_at: te.updatedAt ?? this.now, updated_at_client: te.updatedAtClient ?? null, source_file_id: this.fileId,
    };
    let teId: number;
    if (existing) {
      teId = existing.id;
      this.repo.updateTrackedEntity(teId, row);
      this.counts.TRACKED_ENTITY.updated++;
    } else {
      teId = this.repo.insertTrackedEntity(row);
      this.counts.TRACKED_ENTITY.created++;
    }
    this.writeAttributes(teId, attrs);
    for (const rel of te.relationships ?? []) this.relationships.push({ rel, line });
    for (const en of te.enrollments ?? []) this.enrollment(en, line, uid);
  }

  // ---------------------------------------------------------------- enrollments

  private enrollment(en: TrackerEnrollment, line: number, parentTe: string | null): void {
    const uid = en.enrollment && !blank(en.enrollment) ? en.enrollment : generateUid();
    const teUid = en.trackedEntity ?? parentTe ?? undefined;
    if (parentTe && this.parentFailed('ENROLLMENT', uid, line, 'TRACKED_ENTITY', parentTe)) {
      for (const ev of en.events ?? []) this.parentFailed('EVENT', ev.event ?? '', line, 'ENROLLMENT', uid);
      return;
    }
    const r = new Reporter('ENROLLMENT', uid, line);
    const existing = this.repo.enrollmentByUid(uid);
    const strategy = this.strategyFor(!!existing);
    if (strategy === 'DELETE') for (const ev of en.events ?? []) this.event(ev, line, { uid, program: en.program, trackedEntity: teUid });
    if (existing?.deleted) r.add('E1113', uid);
    else if (existing && strategy === 'CREATE') r.add('E1080', uid);
    else if (!existing && strategy !== 'CREATE') r.add('E1081', uid);
    let program: ProgramInfo | undefined;
    let ouId: number | undefined;
    let te: { id: number; te_type: number | null } | undefined;
    const attrs: { id: number; a: TrackerAttribute }[] = [];
    if (!r.has && strategy !== 'DELETE') {
      if (blank(en.program)) r.add('E1122', 'program');
      if (blank(en.orgUnit)) r.add('E1122', 'orgUnit');
      if (blank(teUid)) r.add('E1122', 'trackedEntity');
      if (!r.has) {
        ouId = this.resolve('organisationUnits', en.orgUnit);
        const pid = this.resolve('programs', en.program);
        program = pid == null ? undefined : this.lookups.programs.get(pid);
        const t = this.repo.trackedEntityByUid(teUid!);
        te = t && !t.deleted ? t : undefined;
        if (ouId == null) r.add('E1070', en.orgUnit);
        if (!program) r.add('E1069', en.program);
        if (!te) r.add('E1068', teUid);
      }
      if (!r.has && existing) {
        if (existing.program !== program!.id) r.add('E1127', 'program');
        if (existing.te != null && existing.te !== te!.id) r.add('E1127', 'trackedEntity');
      }
      if (!r.has) {
        if (!program!.registration) r.add('E1014', program!.uid);
        if (!program!.ouIds.has(ouId!)) r.add('E1041', this.identOf('organisationUnits', ouId!), this.identOf('programs', program!.id));
        if (program!.tetId != null && te!.te_type !== program!.tetId) r.add('E1022', teUid, program!.uid);
      }
      if (!r.has && this.settings.validationMode !== 'SKIP') {
        const p = program!;
        for (const n of en.notes ?? []) if (hasText(n) && n.note && this.repo.noteExists(n.note)) this.warn('ENROLLMENT', uid, line, 'E1119', n.note);
        const status = en.status ?? 'ACTIVE';
        if (status !== 'CANCELLED' && !(status === 'COMPLETED' && !p.onlyEnrollOnce)) {
          // DHIS2's ExistingEnrollmentValidator: the other enrollments of the person in the program, of the payload
          // (the whole job, scanned first: the first of two ACTIVE ones is refused as the second) before the stored ones
          const others = new Map<string, string>();
          for (const [u, st] of this.payloadEnrollments.get(`${teUid}|${p.id}`) ?? []) if (u !== uid) others.set(u, st);
          for (const o of this.repo.enrollmentsOf(te!.id, p.id)) if (o.uid !== uid && !others.has(o.uid) && (o.status === 'ACTIVE' || o.status === 'COMPLETED')) others.set(o.uid, o.status);
          if (status === 'ACTIVE' && [...others.values()].includes('ACTIVE')) r.add('E1015', teUid, this.identOf('programs', p.id));
          if (p.onlyEnrollOnce && others.size) r.add('E1016', teUid, this.identOf('programs', p.id));
        }
        this.geometry(r, en.geometry, p.featureType);
        const enrolled = parseInstant(en.enrolledAt);
        if (enrolled == null) r.add('E1025', en.enrolledAt);
        else if (!p.selectEnrollmentDatesInFuture && isAfterToday(en.enrolledAt)) r.add('E1020', localDateTime(en.enrolledAt));
        const occurred = parseInstant(en.occurredAt);
        if (occurred != null && !p.selectIncidentDatesInFuture && isAfterToday(en.occurredAt)) r.add('E1021', localDateTime(en.occurredAt));
        if (p.displayIncidentDate && occurred == null) r.add('E1023', en.occurredAt);
        enrollmentDateChecks((code, ...args) => r.add(code, ...args), uid, en);
        const given = new Set<number>();
        const outside: string[] = [];
        for (const a of en.attributes ?? []) {
          // DHIS2's enrollment AttributeValidator: an attribute without identifier is E1075, and nothing more is checked of it
          if (blank(a.attribute)) {
            r.add('E1075', attributeText(a, this.schemes.trackedEntityAttributes));
            continue;
          }
          const id = this.resolve('trackedEntityAttributes', a.attribute);
          if (id == null) {
            r.add('E1006', a.attribute);
            continue;
          }
          // a value removed (null) of a mandatory program attribute: E1076, and it does not count as given (E1018)
          if (a.value == null && p.attributes.get(id)) r.add('E1076', 'TrackedEntityAttribute', a.attribute);
          attrs.push({ id, a });
          if (a.value == null) continue;
          given.add(id);
          // DHIS2's enrollment AttributeValidator checks every value given, of the program or not; one outside the
          // program is E1019 after the values' checks
          if (!p.attributes.has(id)) outside.push(`${a.attribute}=${a.value}`);
          if (a.value !== '') this.attributeValue(r, this.lookups.attributes.get(id)!, a.value, te!.id);
        }
        for (const o of outside) r.add('E1019', o);
        const stored = this.repo.attributeValuesOf(te!.id);
        for (const [attrId, mandatory] of p.attributes) {
          if (mandatory && !given.has(attrId) && !stored.has(attrId)) r.add('E1018', this.identOf('trackedEntityAttributes', attrId), p.uid, uid);
        }
      } else if (!r.has) {
        // validationMode SKIP: the attributes are written unchecked (they were left out before)
        for (const a of en.attributes ?? []) {
          const id = this.resolve('trackedEntityAttributes', a.attribute);
          if (id != null) attrs.push({ id, a });
        }
      }
    }
    if (!r.has && strategy !== 'DELETE' && this.settings.validationMode !== 'SKIP' && this.rules) {
      this.rules.enrollment(this.ruleSink(r, 'ENROLLMENT', uid), { program: program!, uid, en, teId: te!.id, teUid: teUid!, ouId: ouId!, existingId: existing?.id ?? null, attrs });
    }
    if (!this.conclude('ENROLLMENT', uid, r)) {
      if (strategy !== 'DELETE') for (const ev of en.events ?? []) this.parentFailed('EVENT', ev.event ?? '', line, 'ENROLLMENT', uid);
      return;
    }
    if (strategy === 'DELETE') {
      this.repo.deleteEnrollment(existing!.id, this.now);
      this.counts.ENROLLMENT.deleted++;
      return;
    }
    const row = {
      uid, te: te!.id, program: program!.id, ou: ouId ?? null, status: en.status ?? 'ACTIVE', enrolled_at: en.enrolledAt ?? null,
      occurred_at: en.occurredAt ?? en.enrolledAt ?? null, completed_at: en.completedAt ?? null, completed_by: en.completedBy ?? null,
      follow_up: en.followUp ? 1 : 0, geometry: jsonOrNull(en.geometry), stored_by: en.storedBy ?? this.user, created_at: en.createdAt ?? this.now,
      created_at_client: en.createdAtClient ?? null, updated_at: en.updatedAt ?? this.now, updated_at_client: en.updatedAtClient ?? null,
      source_file_id: this.fileId,
    };
    let id: number;
    if (existing) {
      id = existing.id;
      this.repo.updateEnrollment(id, row);
      this.counts.ENROLLMENT.updated++;
    } else {
      id = this.repo.insertEnrollment(row);
      this.counts.ENROLLMENT.created++;
    }
    this.writeAttributes(te!.id, attrs);
    this.writeNotes('ENROLLMENT', id, en.notes);
    for (const rel of en.relationships ?? []) this.relationships.push({ rel, line });
    for (const ev of en.events ?? []) this.event(ev, line, { uid, program: en.program, trackedEntity: teUid });
  }

  private writeNotes(owner: 'EVENT' | 'ENROLLMENT', ownerId: number, notes: TrackerNote[] | undefined): void {
    this.insertNotes(owner, ownerId, this.newNotes(notes));
  }

  /** the notes of an object to store: those with a text and not stored yet (a known note is left as it is) */
  private newNotes(notes: TrackerNote[] | undefined): TrackerNote[] {
    return (notes ?? []).filter((n) => hasText(n) && !(n.note && this.repo.noteExists(n.note)));
  }

  private insertNotes(owner: 'EVENT' | 'ENROLLMENT', ownerId: number, notes: TrackerNote[]): void {
    for (const n of notes) {
      this.repo.insertNote({
        uid: n.note ?? generateUid(), owner_type: owner, owner_id: ownerId, value: n.value, stored_at: n.storedAt ?? this.now, stored_by: n.storedBy ?? this.user,
        created_by: jsonOrNull(n.createdBy),
      });
    }
  }

  // ---------------------------------------------------------------- events

  private event(ev: TrackerEvent, line: number, parent: { uid: string; program?: string; trackedEntity?: string } | null): void {
    const uid = ev.event && !blank(ev.event) ? ev.event : generateUid();
    const outcome = (action: EventOutcome['action'], errors: TrackerErrorReport[]): void => {
      if (this.keepEventOutcomes) this.keepOutcome({ uid, line, file: this.file, action, errors });
    };
    if (parent && this.parentFailed('EVENT', uid, line, 'ENROLLMENT', parent.uid)) {
      outcome('IGNORED', this.lastRefusal);
      return;
    }
    const enrollmentUid = ev.enrollment ?? parent?.uid;
    if (!parent && enrollmentUid && this.parentFailed('EVENT', uid, line, 'ENROLLMENT', enrollmentUid)) {
      outcome('IGNORED', this.lastRefusal);
      return;
    }
    const r = new Reporter('EVENT', uid, line);
    this.lastStored = null;
    const existing = this.repo.storedEventByUid(uid);
    const strategy = this.strategyFor(!!existing);
    if (existing?.deleted) r.add('E1082', uid);
    else if (existing && strategy === 'CREATE') r.add('E1030', uid);
    else if (!existing && strategy !== 'CREATE') r.add('E1032', uid);
    const plan = !r.has && strategy !== 'DELETE' ? this.validateEvent(ev, r, uid, existing, parent, enrollmentUid) : null;
    if (!this.conclude('EVENT', uid, r)) {
      outcome('IGNORED', r.errors);
      return;
    }
    if (strategy === 'DELETE') {
      this.repo.deleteEvent(existing!.id, this.now);
      this.counts.EVENT.deleted++;
      outcome('DELETE', []);
      return;
    }
    const p = plan!;
    const row: EventWrite = {
      uid, program: p.program.id, program_stage: p.stage.id, enrollment: p.enrollmentId, ou: p.ouId, status: ev.status ?? 'ACTIVE',
      occurred_at: ev.occurredAt ?? null, scheduled_at: ev.scheduledAt ?? null, completed_at: ev.completedAt ?? null, completed_by: ev.completedBy ?? null,
      aoc: p.aocId, attribute_category_options: ev.attributeCategoryOptions ?? null, follow_up: ev.followUp ? 1 : 0, geometry: jsonOrNull(ev.geometry),
      stored_by: ev.storedBy ?? this.user, assigned_user: jsonOrNull(ev.assignedUser), created_by: jsonOrNull(ev.createdBy),
      updated_by: jsonOrNull(ev.updatedBy), created_at: ev.createdAt ?? this.now, created_at_client: ev.createdAtClient ?? null,
      updated_at: ev.updatedAt ?? this.now, updated_at_client: ev.updatedAtClient ?? null, source_file_id: this.fileId,
    };
    if (existing) {
      // only what really changes is written (and journaled): the event row's changed columns (rewritten with its new
      // source_file_id when any column, value or note changes), the changed values and the new notes; an identical
      // event is still counted as updated, as DHIS2 counts it
      const notes = this.newNotes(ev.notes);
      const changed = this.repo.valuesAsStored(existing, p.values) ? [] : this.repo.changedValues(p.values, this.storedValues(existing.id));
      this.repo.updateEventChanged(existing, row, changed.length > 0 || notes.length > 0);
      this.repo.writeChangedValues(existing.id, changed);
      this.lastStored = null;
      this.insertNotes('EVENT', existing.id, notes);
      this.counts.EVENT.updated++;
      outcome('UPDATE', []);
    } else {
      const id = this.repo.insertEvent(row);
      this.repo.insertDataValues(id, p.values);
      this.counts.EVENT.created++;
      outcome('CREATE', []);
      this.writeNotes('EVENT', id, ev.notes);
    }
    for (const rel of ev.relationships ?? []) this.relationships.push({ rel, line });
  }

  private validateEvent(
    ev: TrackerEvent,
    r: Reporter,
    uid: string,
    existing: ExistingEvent | undefined,
    parent: { uid: string; program?: string; trackedEntity?: string } | null,
    enrollmentUid: string | undefined,
  ): {
    program: ProgramInfo;
    stage: StageInfo;
    ouId: number;
    enrollmentId: number | null;
    aocId: number | null;
    values: DataValueWrite[];
  } | null {
    const L = this.lookups;
    // mandatory fields (the program may be left out when the stage says it; an event program's only stage likewise)
    let stageId = this.resolve('programStages', ev.programStage);
    let programId = this.resolve('programs', ev.program ?? parent?.program);
    if (blank(ev.program) && !parent?.program && stageId != null) programId = L.stages.get(stageId)?.programId ?? undefined;
    if (blank(ev.programStage) && programId != null) {
      const p = L.programs.get(programId);
      if (p && !p.registration && p.stageIds.size === 1) stageId = [...p.stageIds][0];
    }
    if (blank(ev.orgUnit)) r.add('E1123', 'orgUnit');
    if (blank(ev.programStage) && stageId == null) r.add('E1123', 'programStage');
    const stageForProgram = stageId != null ? L.stages.get(stageId) : undefined;
    if (stageForProgram && stageForProgram.programId == null) r.add('E1008', stageForProgram.uid);
    else if (!stageForProgram && blank(ev.program) && !parent?.program) r.add('E1123', 'program');
    if (r.has) return null;
    // metadata
    const ouId = this.resolve('organisationUnits', ev.orgUnit);
    const program = programId != null ? L.programs.get(programId) : undefined;
    const stage = stageId != null ? L.stages.get(stageId) : undefined;
    if (ouId == null) r.add('E1011', ev.orgUnit);
    if (!program) r.add('E1010', ev.program ?? parent?.program ?? '');
    if (!stage) r.add('E1013', ev.programStage);
    if (r.has) return null;
    const p = program!;
    const s = stage!;
    // enrollment of an event in a program with registration: given, or the tracked entity's one enrollment (old files)
    let enrollmentId: number | null = null;
    let resolvedEnrollmentUid: string | null = null;
    if (p.registration) {
      let en = enrollmentUid ? this.repo.enrollmentByUid(enrollmentUid) : undefined;
      if (!enrollmentUid && ev.trackedEntity) {
        const te = this.repo.trackedEntityByUid(ev.trackedEntity);
        const list = te ? this.repo.enrollmentsOf(te.id, p.id).filter((x) => x.status === 'ACTIVE') : [];
        if (list.length === 1) en = this.repo.enrollmentByUid(list[0]!.uid);
      }
      if (!en || en.deleted) {
        r.add('E1033', uid);
        return null;
      }
      enrollmentId = en.id;
      resolvedEnrollmentUid = en.uid;
      // DataRelationsValidator: the enrollment of a tracker program's event points to a tracked entity
      if (en.te == null) r.add('E1313', uid);
      if (en.program !== p.id) r.add('E1079', uid, p.uid, en.uid);
    }
    // updatable fields
    if (existing) {
      if (existing.program_stage != null && existing.program_stage !== s.id) r.add('E1128', 'programStage');
      if (existing.enrollment != null && existing.enrollment !== enrollmentId) r.add('E1128', 'enrollment');
      if (r.has) return null;
    }
    // data relations
    if (s.programId !== p.id) r.add('E1089', uid, s.uid, p.uid);
    if (!p.ouIds.has(ouId!)) r.add('E1029', this.identOf('organisationUnits', ouId!), this.identOf('programs', p.id));
    if (r.has) return null;
    // attribute option combo
    const aocId = this.attributeOptionCombo(ev, r, p);
    if (r.has) return null;
    if (this.settings.validationMode === 'SKIP') return { program: p, stage: s, ouId: ouId!, enrollmentId, aocId, values: this.valuesOf(ev, s, r, true) };
    // category option dates
    const status = ev.status ?? 'ACTIVE';
    const eventMs = parseInstant(ev.occurredAt) ?? (p.registration ? parseInstant(ev.scheduledAt) : null) ?? Date.now();
    const coc = aocId != null ? L.cocs.get(aocId) : undefined;
    for (const oid of coc?.optionIds ?? []) {
      const o = L.categoryOptions.get(oid);
      if (!o) continue;
      const day = new Date(eventMs).toISOString().slice(0, 10);
      const start = parseInstant(o.startDate);
      const end = parseInstant(o.endDate);
      if (start != null && eventMs < start) r.add('E1056', day, o.startDate!.slice(0, 10), o.name);
      // the end date as DHIS2 adjusts it for the program (openDaysAfterCoEndDate), the whole day included
      const adjusted = end != null ? end + p.openDaysAfterCoEndDate * 86_400_000 : null;
      if (adjusted != null && eventMs > adjusted + 86_399_999) r.add('E1057', day, new Date(adjusted).toISOString().slice(0, 10), o.name, p.name);
    }
    // dates
    const occurredMandatory = !p.registration || status === 'ACTIVE' || status === 'COMPLETED';
    if (parseInstant(ev.occurredAt) == null && occurredMandatory) r.add('E1031', uid);
    else if (p.registration && status === 'SCHEDULE' && parseInstant(ev.scheduledAt) == null) r.add('E1050', uid);
    else eventDateChecks((code, ...args) => r.add(code, ...args), uid, ev, p, this.settings.skipExpiryCheck === true, this.settings.received === true);
    // geometry, notes
    this.geometry(r, ev.geometry, s.featureType);
    for (const n of ev.notes ?? []) if (hasText(n) && n.note && this.repo.noteExists(n.note)) this.warn('EVENT', uid, r.line, 'E1119', n.note);
    // data values
    const values = this.valuesOf(ev, s, r, false);
    if (STATUSES_WITHOUT_VALUES.has(status) && (ev.dataValues ?? []).length) {
      r.add('E1315', status, '[ACTIVE, COMPLETED, VISITED]');
    }
    const validate = !STATUSES_WITHOUT_VALUES.has(status) && (s.validationStrategy !== 'ON_COMPLETE' || status === 'COMPLETED');
    if (validate) {
      const present = new Set(values.map((v) => v.de));
      // the stored values are read only for a compulsory data element the file leaves out
      for (const [de, compulsory] of s.dataElements)
        if (compulsory && !present.has(de) && !(existing && this.storedValues(existing.id).has(de))) r.add('E1303', this.identOf('dataElements', de));
      for (const v of values) if (v.value == null && s.dataElements.get(v.de)) r.add('E1076', 'DataElement', this.identOf('dataElements', v.de));
    }
    // a stage that is not repeatable takes one event per enrollment
    if (p.registration && !s.repeatable && enrollmentId != null && !r.has) this.repeatedEvent(r, uid, s, enrollmentId, resolvedEnrollmentUid!, !existing);
    if (existing && this.settings.importStrategy !== 'CREATE') statusUpdateCheck((code, ...args) => r.add(code, ...args), existing.status, status);
    // AssignedUserValidator: a user assigned on a stage that does not allow it is a warning (E1120); whether the user
    // exists on the server (E1118) cannot be known offline
    const au = ev.assignedUser;
    if (au && [au.uid, au.username, au.firstName, au.surname].some((x) => !blank(x)) && !s.enableUserAssignment) this.warn('EVENT', uid, r.line, 'E1120', s.uid);
    if (!r.has && this.rules) {
      this.rules.event(this.ruleSink(r, 'EVENT', uid), { program: p, stage: s, uid, ev, status, enrollmentId, ouId: ouId!, existingId: existing?.id ?? null, values });
    }
    return { program: p, stage: s, ouId: ouId!, enrollmentId, aocId, values };
  }

  /** the stored data values of an existing event, read once per event (validation and the update share them) */
  private storedValues(event: number): Map<number, StoredValue> {
    if (this.lastStored?.event !== event) this.lastStored = { event, values: this.repo.storedValuesOf(event) };
    return this.lastStored.values;
  }
  private lastStored: { event: number; values: Map<number, StoredValue> } | null = null;

  private valuesOf(ev: TrackerEvent, s: StageInfo, r: Reporter, skip: boolean): DataValueWrite[] {
    const out: DataValueWrite[] = [];
    const evStoredBy = ev.storedBy ?? this.user;
    const evCreatedAt = ev.createdAt ?? this.now;
    const evUpdatedAt = ev.updatedAt ?? this.now;
    for (const dv of ev.dataValues ?? []) {
      const de = this.resolve('dataElements', dv.dataElement);
      const info = de != null ? this.lookups.dataElements.get(de) : undefined;
      if (!info) {
        if (!skip) r.add('E1304', dv.dataElement);
        continue;
      }
      let value = dv.value == null || dv.value === '' ? null : String(dv.value);
      if (value != null) {
        value = normalizeBoolean(info.valueType, value);
        if (!skip) {
          if (info.optionCodes) {
            const codes = info.valueType === 'MULTI_TEXT' ? value.split(',') : [value];
            if (!codes.every((c) => info.optionCodes!.has(c))) r.add('E1125', value, info.optionSetUid);
          }
          if (validateValue(info.valueType, value, info.optionCodes != null)) r.add('E1302', info.valueType, `Value type is ${info.valueType} but the value \`${value}\` is not.`);
        }
      }
      if (!skip && !s.dataElements.has(de!)) r.add('E1305', dv.dataElement, s.uid);
      // stored_by and the timestamps stay NULL while they are the event's (migration 7: readers take the event's)
      const storedBy = dv.storedBy ?? evStoredBy;
      const createdAt = dv.createdAt ?? this.now;
      const updatedAt = dv.updatedAt ?? this.now;
      out.push({
        event: 0, de: de!, value, provided_elsewhere: dv.providedElsewhere ? 1 : 0, stored_by: storedBy === evStoredBy ? null : storedBy,
        created_at: createdAt === evCreatedAt ? null : createdAt, updated_at: updatedAt === evUpdatedAt ? null : updatedAt,
        created_by: dv.createdBy == null ? null : JSON.stringify(dv.createdBy), updated_by: dv.updatedBy == null ? null : JSON.stringify(dv.updatedBy),
        timestamped: dv.createdAt != null || dv.updatedAt != null,
      });
    }
    return out;
  }

  /** The attribute option combo of an event (DHIS2's CategoryOptionComboValidator), or null after an error. */
  private attributeOptionCombo(ev: TrackerEvent, r: Reporter, p: ProgramInfo): number | null {
    const L = this.lookups;
    const aocGiven = !blank(ev.attributeOptionCombo);
    const coIdents = (ev.attributeCategoryOptions ?? '').split(/[,;]/).map((s) => s.trim()).filter(Boolean);
    let ok = true;
    const aocId = aocGiven ? this.resolve('categoryOptionCombos', ev.attributeOptionCombo) : undefined;
    if (aocGiven && aocId == null) {
      r.add('E1115', ev.attributeOptionCombo);
      ok = false;
    }
    const coIds: number[] = [];
    for (const c of coIdents) {
      const id = this.resolve('categoryOptions', c);
      if (id == null) {
        r.add('E1116', c);
        ok = false;
      } else coIds.push(id);
    }
    const aoc = aocId != null ? L.cocs.get(aocId) : undefined;
    if (!aocGiven && coIdents.length === 0 && !p.comboIsDefault) {
      r.add('E1055');
      ok = false;
    } else if (aoc && aoc.comboId === L.defaultComboId && !p.comboIsDefault) {
      r.add('E1055');
      ok = false;
    }
    if (!ok) return null;
    // the default category option alone (what 2.40 exports wrote beside the default AOC) means the default AOC
    const onlyDefaultOptions = coIds.every((id) => L.uidOf(id) === DEFAULTS.categoryOption);
    let resolved: number | undefined = aocId;
    if (!aocGiven) resolved = p.comboIsDefault && onlyDefaultOptions ? L.defaultCocId : p.comboId != null ? L.cocOfOptions(p.comboId, coIds) : undefined;
    const coSet = `[${[...new Set(coIdents)].join(', ')}]`;
    if (resolved == null || resolved === -1) {
      if (!aocGiven && p.comboIsDefault) return null; // no default COC stored: keep the event without one
      r.add('E1117', aocGiven ? ev.attributeOptionCombo : p.comboUid, coSet);
      return null;
    }
    const coc = L.cocs.get(resolved);
    const comboOfAoc = coc?.comboId ?? null;
    if (aocGiven && comboOfAoc !== p.comboId && !(p.comboIsDefault && comboOfAoc === L.defaultComboId)) {
      r.add('E1054', ev.attributeOptionCombo, p.comboUid);
      return null;
    }
    if (coIds.length && coc && !(resolved === L.defaultCocId && onlyDefaultOptions) && !(coc.optionIds.length === coIds.length && coIds.every((x) => coc.optionIds.includes(x)))) {
      r.add('E1117', aocGiven ? ev.attributeOptionCombo : p.comboUid, coSet);
      return null;
    }
    return resolved;
  }

  // ---------------------------------------------------------------- relationships

  private relationship(rel: TrackerRelationship, line: number): void {
    const uid = rel.relationship && !blank(rel.relationship) ? rel.relationship : generateUid();
    const r = new Reporter('RELATIONSHIP', uid, line);
    const existing = this.repo.relationshipByUid(uid);
    const strategy = this.strategyFor(!!existing);
    if (existing?.deleted) r.add('E4017', uid);
    else if (existing && strategy === 'CREATE') r.add('E4015', uid);
    else if (!existing && strategy !== 'CREATE') r.add('E4016', uid);
    if (existing && !existing.deleted && strategy === 'UPDATE') {
      // relationships are never updated: a known one is left as it is, under UPDATE as under CREATE_AND_UPDATE
      // (DHIS2's relationship ExistenceValidator: a warning whenever the strategy is an update)
      this.warn('RELATIONSHIP', uid, line, 'E4015', uid);
      this.counts.RELATIONSHIP.total++;
      return;
    }
    let typeId: number | undefined;
    const sides: { type: string; id: number }[] = [];
    if (!r.has && strategy !== 'DELETE') {
      // DHIS2's MandatoryFieldsValidator: each side missing or not linking exactly one object (E4001 with the side),
      // then the type (E1124)
      const keysOf = (item: RelationshipItem) => (['trackedEntity', 'enrollment', 'event'] as const).filter((k) => !blank(item[k]));
      if (!rel.from || keysOf(rel.from).length !== 1) r.add('E4001', 'from', uid);
      if (!rel.to || keysOf(rel.to).length !== 1) r.add('E4001', 'to', uid);
      if (blank(rel.relationshipType)) r.add('E1124', 'relationshipType');
      if (!r.has) {
        typeId = this.resolve('relationshipTypes', rel.relationshipType);
        if (typeId == null) r.add('E4006', rel.relationshipType);
      }
      if (!r.has) {
        // link: not the same object twice (E4000)
        const [kf] = keysOf(rel.from);
        const [kt] = keysOf(rel.to);
        if (kf === kt && rel.from[kf!] === rel.to[kt!]) r.add('E4000', uid);
      }
      if (!r.has) {
        // constraints of the relationship type: the kind of object each side links, found in the database or the
        // files, and a tracked entity's type (E4010, E4012, E4014)
        const rt = this.lookups.relationshipTypes.get(typeId!);
        const sideNames = ['from', 'to'] as const;
        const refused: [string, string][] = [];
        for (const side of sideNames) {
          const item = rel[side];
          const k = (['trackedEntity', 'enrollment', 'event'] as const).find((x) => !blank(item[x]))!;
          const ref = item[k]!;
          const kind = k === 'trackedEntity' ? 'TRACKED_ENTITY' : k === 'enrollment' ? 'ENROLLMENT' : 'EVENT';
          const c = rt?.[side];
          if (c?.entity && c.entity !== kind) {
            r.add('E4010', side, TYPE_NAME[c.entity], k);
            continue;
          }
          const found = k === 'trackedEntity' ? this.repo.trackedEntityByUid(ref) : k === 'enrollment' ? this.repo.enrollmentByUid(ref) : this.repo.eventByUid(ref);
          const live = found && !found.deleted ? found : undefined;
          const inFile = !live && this.failed.has(`${kind}:${ref}`);
          if (!live && !inFile) {
            r.add('E4012', k, ref);
            continue;
          }
          if (kind === 'TRACKED_ENTITY' && c?.tetId != null) {
            const typeId = live ? (live as { te_type: number | null }).te_type : this.resolve('trackedEntityTypes', this.failedTeTypes.get(ref));
            if (typeId !== c.tetId) r.add('E4014', side, this.lookups.uidOf(c.tetId), live ? (this.lookups.uidOf(typeId) ?? '') : (this.failedTeTypes.get(ref) ?? ''));
          }
          if (live) sides.push({ type: kind, id: live.id });
          else refused.push([k, ref]);
        }
        // an object of the files the relationship links was refused: the relationship cannot be written either
        if (!r.has && refused.length) r.add('E5000', 'relationship', uid, refused[0]![0], refused[0]![1]);
      }
      if (!r.has && strategy === 'CREATE' && sides.length === 2 && this.relationshipDuplicate(r, uid, rel, typeId!, sides)) return;
    }
    if (!this.conclude('RELATIONSHIP', uid, r)) return;
    if (strategy === 'DELETE') {
      this.repo.deleteRelationship(existing!.id, this.now);
      this.counts.RELATIONSHIP.deleted++;
      return;
    }
    this.repo.insertRelationship({
      uid, relationship_type: typeId ?? null, from_type: sides[0]!.type, from_id: sides[0]!.id, to_type: sides[1]!.type, to_id: sides[1]!.id,
      bidirectional: rel.bidirectional ? 1 : 0, created_at: rel.createdAt ?? this.now, updated_at: rel.updatedAt ?? this.now, source_file_id: this.fileId,
    });
    this.counts.RELATIONSHIP.created++;
    this.relationshipKeys.add(`${typeId}:${sides[0]!.type}:${sides[0]!.id}:${sides[1]!.type}:${sides[1]!.id}`);
  }

  /** keys (type, from, to) of the relationships this job wrote */
  private readonly relationshipKeys = new Set<string>();
  private rulesRepo: TrackerRulesRepo | null = null;

  /**
   * A relationship of the files that links what another already links (DHIS2's relationship key: type, from, to; and
   * to, from when the type is bidirectional): one of the job's own is left out without a word, as DHIS2's
   * DuplicateRelationshipsPreProcessor drops payload duplicates (true); a stored one is E4018 (DuplicationValidator).
   */
  private relationshipDuplicate(r: Reporter, uid: string, rel: TrackerRelationship, typeId: number, sides: { type: string; id: number }[]): boolean {
    const [a, b] = sides as [{ type: string; id: number }, { type: string; id: number }];
    const bidirectional = this.lookups.relationshipTypes.get(typeId)?.bidirectional === true;
    const keys = [`${typeId}:${a.type}:${a.id}:${b.type}:${b.id}`, ...(bidirectional ? [`${typeId}:${b.type}:${b.id}:${a.type}:${a.id}`] : [])];
    if (keys.some((k) => this.relationshipKeys.has(k))) return true;
    this.rulesRepo ??= new TrackerRulesRepo(this.db);
    const found = this.rulesRepo.existingRelationship(typeId, a.type, a.id, b.type, b.id) ?? (bidirectional ? this.rulesRepo.existingRelationship(typeId, b.type, b.id, a.type, a.id) : undefined);
    if (found) {
      const item = (x: RelationshipItem) => x.trackedEntity ?? x.enrollment ?? x.event;
      r.add('E4018', uid, a.type, item(rel.from), b.type, item(rel.to));
    }
    return false;
  }
}
