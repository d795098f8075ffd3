/**
 * Event export (issue 9; spec §6.1 export parameters, manual "Event data export") and what the tracked entity export
 * (tracked-entities.ts) shares with it: streamed from the events repo in chunks through the format registry's event writers (tracker JSON/CSV, or the 2.40 events
 * JSON/XML/CSV) into the compressed file; never the whole selection in memory.
 *
 * Options (DHIS2 names; the CLI's kebab-case flags):
 *  - program, programStage (or all stages), trackedEntityType (tracked entities): UID, code or name;
 *  - orgUnit (UID, code or name) with orgUnitMode (or the older ouMode) SELECTED (default) | CHILDREN | DESCENDANTS
 *    (or, as for data, children / descendants true);
 *  - startDate / endDate (occurredAfter / occurredBefore: both inclusive), lastUpdatedStartDate (updatedAfter);
 *  - includeDeleted (default false);
 *  - idScheme UID (default) | CODE | NAME | ATTRIBUTE:<uid>, and per type dataElementIdScheme, orgUnitIdScheme,
 *    programIdScheme, programStageIdScheme, categoryOptionComboIdScheme, categoryOptionIdScheme,
 *    trackedEntityTypeIdScheme, trackedEntityAttributeIdScheme. As the manual says, an object without a code (under
 *    CODE) is not included: the reference is left out of the event, and a data value or attribute value whose data
 *    element or attribute has none is left out; the summary warns with the count.
 */
import path from 'node:path';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { ObjectWhat } from './id-maps.ts';
import type { TrackedEntity, TrackerEnrollment, TrackerEvent, TrackerRecord } from '../../src-shared/dhis2/tracker.ts';
import type { Exporter, JobContext } from '../jobs/types.ts';
import type { ExportSummary } from '../../src-shared/api/contract.ts';
import { EventsRepo, type OrgUnitMode } from '../db/repos/events.ts';
import { MetadataLookupRepo } from '../db/repos/metadata-lookups.ts';
import { eventsWriterFor, formatNames } from '../formats/registry.ts';
import type { EventsWriter } from '../formats/types.ts';
import { asBool, asString, reportProgress, warn, writeFile, type ExportWarning } from './common.ts';
import { normalizeScheme, type IdScheme } from './id-maps.ts';

/** Maps stored uids to the identifiers of an output scheme (cached per type); null: the object has none. */
export class UidMapper {
  private readonly caches = new Map<string, Map<string, string | null>>();
  missing = 0;
  constructor(
    private readonly repo: MetadataLookupRepo,
    private readonly schemes: Record<string, IdScheme>,
  ) {}
  /** whether every scheme is UID (nothing to map) */
  get identity(): boolean {
    return Object.values(this.schemes).every((s) => s === 'UID');
  }
  map(type: string, uid: string | undefined): string | undefined {
    if (uid === undefined) return undefined;
    const scheme = this.schemes[type] ?? 'UID';
    if (scheme === 'UID') return uid;
    let cache = this.caches.get(type);
    if (!cache) this.caches.set(type, (cache = new Map()));
    let v = cache.get(uid);
    if (v === undefined) {
      const id = this.repo.idByUid(type, uid);
      const r = id === undefined ? null : this.repo.identifierOf(id, scheme);
      v = r == null || r === '' ? null : String(r);
      cache.set(uid, v);
    }
    if (v === null) {
      this.missing++;
      return undefined;
    }
    return v;
  }
}

const MODES: OrgUnitMode[] = ['SELECTED', 'CHILDREN', 'DESCENDANTS'];

export function orgUnitMode(o: Record<string, unknown>): OrgUnitMode {
  const raw = asString(o.orgUnitMode) ?? asString(o.ouMode);
  if (raw === undefined) return o.descendants !== undefined && asBool(o.descendants) ? 'DESCENDANTS' : o.children !== undefined && asBool(o.children) ? 'CHILDREN' : 'SELECTED';
  const m = raw.toUpperCase() as OrgUnitMode;
  if (!MODES.includes(m)) throw ferryError('BAD_REQUEST', 'export.unknownOrgUnitMode', { mode: raw });
  return m;
}

/** A uid for a program/stage/org unit/type the user gave by uid, code or name; an unknown one is an error. */
export function resolveUid(lookups: MetadataLookupRepo, type: string, given: string | undefined, what: ObjectWhat): string | undefined {
  if (given === undefined) return undefined;
  const id = lookups.idByUid(type, given) ?? lookups.idByCode(type, given) ?? lookups.idByName(type, given);
  if (id === undefined) throw ferryError('BAD_REQUEST', 'export.noObjectOf', { what, id: given }, { missing: [given] });
  return lookups.uidOf(id);
}

const DATE = /^\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/;
export function date(o: Record<string, unknown>, keys: string[], label: 'startDate' | 'endDate' | 'lastUpdatedStart'): string | undefined {
  for (const k of keys) {
    const v = asString(o[k]);
    if (v === undefined) continue;
    if (!DATE.test(v)) throw ferryError('BAD_REQUEST', 'export.notDate', { what: label, value: v });
    return v;
  }
  return undefined;
}

export function schemes(o: Record<string, unknown>): Record<string, IdScheme> {
  const base = normalizeScheme(o.idScheme, 'UID');
  return {
    programs: normalizeScheme(o.programIdScheme, base),
    programStages: normalizeScheme(o.programStageIdScheme, base),
    organisationUnits: normalizeScheme(o.orgUnitIdScheme, base),
    dataElements: normalizeScheme(o.dataElementIdScheme, base),
    categoryOptionCombos: normalizeScheme(o.categoryOptionComboIdScheme, base),
    categoryOptions: normalizeScheme(o.categoryOptionIdScheme, base),
    trackedEntityTypes: normalizeScheme(o.trackedEntityTypeIdScheme, base),
    trackedEntityAttributes: normalizeScheme(o.trackedEntityAttributeIdScheme, base),
  };
}

/** The event with its references in the output scheme (a copy; undefined fields are dropped). */
export function mapEvent(e: TrackerEvent, m: UidMapper): TrackerEvent {
  if (m.identity) return e;
  const out: TrackerEvent = { ...e };
  const set = <K extends keyof TrackerEvent>(k: K, v: TrackerEvent[K] | undefined): void => {
    if (v === undefined) delete out[k];
    else out[k] = v;
  };
  set('program', m.map('programs', e.program));
  set('programStage', m.map('programStages', e.programStage));
  set('orgUnit', m.map('organisationUnits', e.orgUnit));
  set('attributeOptionCombo', m.map('categoryOptionCombos', e.attributeOptionCombo));
  if (e.attributeCategoryOptions !== undefined) {
    const cos = e.attributeCategoryOptions.split(',').map((c) => m.map('categoryOptions', c));
    set('attributeCategoryOptions', cos.every((c) => c !== undefined) ? cos.join(',') : undefined);
  }
  out.dataValues = [];
  for (const d of e.dataValues) {
    const de = m.map('dataElements', d.dataElement);
    if (de !== undefined) out.dataValues.push({ ...d, dataElement: de });
  }
  return out;
}

function mapEnrollment(n: TrackerEnrollment, m: UidMapper): TrackerEnrollment {
  if (m.identity) return n;
  const out: TrackerEnrollment = { ...n, events: n.events.map((e) => mapEvent(e, m)), attributes: [] };
  const p = m.map('programs', n.program);
  const ou = m.map('organisationUnits', n.orgUnit);
  if (p === undefined) delete out.program;
  else out.program = p;
  if (ou === undefined) delete out.orgUnit;
  else out.orgUnit = ou;
  for (const a of n.attributes) {
    const at = m.map('trackedEntityAttributes', a.attribute);
    if (at !== undefined) out.attributes.push({ ...a, attribute: at });
  }
  return out;
}

export function mapTrackedEntity(t: TrackedEntity, m: UidMapper): TrackedEntity {
  if (m.identity) return t;
  const out: TrackedEntity = { ...t, enrollments: t.enrollments.map((n) => mapEnrollment(n, m)), attributes: [] };
  const type = m.map('trackedEntityTypes', t.trackedEntityType);
  const ou = m.map('organisationUnits', t.orgUnit);
  if (type === undefined) delete out.trackedEntityType;
  else out.trackedEntityType = type;
  if (ou === undefined) delete out.orgUnit;
  else out.orgUnit = ou;
  for (const a of t.attributes) {
    const at = m.map('trackedEntityAttributes', a.attribute);
    if (at !== undefined) out.attributes.push({ ...a, attribute: at });
  }
  return out;
}

const missingWarning = (n: number): ExportWarning[] => (n ? [warn('export.warn.missingIds', { count: n })] : []);

export function checkFormat(format: string, what: 'EVENT' | 'TRACKED_ENTITY'): void {
  const w = eventsWriterFor(format);
  if (!w.writes.includes(what)) {
    const ok = formatNames('events', 'write').filter((f) => eventsWriterFor(f).writes.includes(what));
    throw ok.length > 1
      ? ferryError('UNSUPPORTED', 'export.trackedEntitiesAsList', { head: ok.slice(0, -1).join(', '), last: ok.at(-1)!, format })
      : ferryError('UNSUPPORTED', 'export.trackedEntitiesAs', { formats: ok[0] ?? '', format });
  }
}

function checkEventOptions(o: Record<string, unknown>): Record<string, unknown> {
  orgUnitMode(o);
  schemes(o);
  date(o, ['startDate', 'occurredAfter'], 'startDate');
  date(o, ['endDate', 'occurredBefore'], 'endDate');
  date(o, ['lastUpdatedStartDate', 'updatedAfter'], 'lastUpdatedStart');
  return o;
}

export async function writeRecords(
  ctx: JobContext,
  out: string,
  format: string,
  compression: string,
  what: 'EVENT' | 'TRACKED_ENTITY',
  chunks: () => Iterable<TrackerRecord[]>,
  m: UidMapper,
  header: boolean,
): Promise<ExportSummary> {
  const writer: EventsWriter = eventsWriterFor(format).create({ what, header });
  const fileName = path.basename(out);
  return writeFile(ctx, out, format, compression, async (o) => {
    let n = 0;
    let values = 0;
    o.push(writer.start());
    for (const chunk of chunks()) {
      for (const r of chunk) {
        n++;
        if (r.type === 'EVENT') values += r.value.dataValues.length;
        o.push(writer.write(r));
      }
      reportProgress(ctx, n, null, fileName);
      await o.flush();
    }
    o.push(writer.end());
    const counts: Record<string, number> = what === 'EVENT' ? { events: n, eventValues: values } : { trackedEntities: n };
    return { counts, warnings: missingWarning(m.missing) };
  });
}

export const eventsExporter: Exporter = {
  kind: 'events',
  namedBy: 'events',
  ownFormats: { formats: formatNames('events', 'write'), label: 'Event data' },
  checkOptions: checkEventOptions,
  async run(ctx, out, format, compression, options) {
    checkEventOptions(options);
    const lookups = new MetadataLookupRepo(ctx.db);
    const repo = new EventsRepo(ctx.db);
    const filter = {
      program: resolveUid(lookups, 'programs', asString(options.program), 'program'),
      programStage: resolveUid(lookups, 'programStages', asString(options.programStage), 'programStage'),
      orgUnit: resolveUid(lookups, 'organisationUnits', asString(options.orgUnit), 'orgUnit'),
      orgUnitMode: orgUnitMode(options),
      occurredAfter: date(options, ['startDate', 'occurredAfter'], 'startDate'),
      occurredBefore: date(options, ['endDate', 'occurredBefore'], 'endDate'),
      updatedAfter: date(options, ['lastUpdatedStartDate', 'updatedAfter'], 'lastUpdatedStart'),
      includeDeleted: options.includeDeleted !== undefined && asBool(options.includeDeleted),
    };
    const m = new UidMapper(lookups, schemes(options));
    const header = options.header === undefined ? true : asBool(options.header);
    const summary = await writeRecords(
      ctx, out, format, compression, 'EVENT',
      function* () {
        let index = 0;
        for (const chunk of repo.events(filter, 250)) yield chunk.map((e): TrackerRecord => ({ type: 'EVENT', value: mapEvent(e, m), line: 0, index: index++ }));
      },
      m, header,
    );
    return { summary };
  },
};
