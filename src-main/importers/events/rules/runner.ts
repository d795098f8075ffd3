/**
 * The bridge between the event import engine and the program rule engine (executor.ts): reads the stored program
 * rule metadata once per job (TrackerRulesRepo), compiles each program's rules on first use, and for one event or
 * enrollment that passed every other validator builds the rule engine's target from the file and the database (the
 * enrollment's stored events and the tracked entity's attributes), evaluates the rules and hands the issues to the
 * engine's reporter. ASSIGN actions change the values the engine writes.
 *
 * Created only when program rules are stored (ProgramRuleRunner.create returns null otherwise), so an import of a
 * site without rules pays nothing; a program without rules costs one map lookup per object.
 *
 * Where Ferry's streaming import sees less than DHIS2's whole-payload bundle: an event's context is its enrollment's
 * stored events — which include the events of the same file written before it — but not the events later in the file;
 * an event of a program without registration is evaluated on its own (DHIS2 evaluates a payload's program events
 * together, so d2:count and the NEWEST variables may see the file's other events there).
 */
import type { Db } from '../../../db/open.ts';
import { TrackerRulesRepo, type RuleObjectRow } from '../../../db/repos/tracker-rules.ts';
import type { DataValueWrite } from '../../../db/repos/tracker-write.ts';
import type { TrackerAttribute, TrackerEnrollment, TrackerEvent } from '../../../../src-shared/dhis2/tracker.ts';
import type { EventLookups, ProgramInfo, StageInfo } from '../lookups.ts';
import {
  compileProgramRules, enrollmentIssues, evaluateRules, eventIssues, type FieldInfo, type ProgramRules, type RawRule, type RawRuleAction, type RawVariable,
  type RuleEnrollment, type RuleEnvironment, type RuleEvent, type RuleIssue,
} from './executor.ts';

type Json = Record<string, unknown>;

const refId = (v: unknown): string | null => (v && typeof v === 'object' && typeof (v as Json).id === 'string' ? ((v as Json).id as string) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function parse(r: RuleObjectRow): Json {
  try {
    return JSON.parse(r.json) as Json;
  } catch {
    return {};
  }
}

/** Where the runner reports: an error or a warning of the object being validated, by code and arguments. */
export interface RuleSink {
  error(code: string, args: string[]): void;
  warning(code: string, args: string[]): void;
}

const STATUSES_WITHOUT_VALUES = new Set(['SCHEDULE', 'SKIPPED', 'OVERDUE']);

/** ValidationUtils.needsToValidateDataValues */
export function validatesValues(status: string, validationStrategy: string): boolean {
  if (STATUSES_WITHOUT_VALUES.has(status)) return false;
  if (validationStrategy === 'ON_COMPLETE') return status === 'COMPLETED';
  return true;
}

export class ProgramRuleRunner {
  private readonly compiled = new Map<number, ProgramRules | null>();
  private readonly rulesByProgram = new Map<string, RawRule[]>();
  private readonly varsByProgram = new Map<string, RawVariable[]>();
  private readonly env: Omit<RuleEnvironment, 'programName' | 'inOrgUnitGroup'>;
  private readonly groups = new Map<string, Set<string>>();
  private readonly optionNames = new Map<string, Map<string, string>>();
  private readonly stageNames = new Map<string, string>();
  private readonly ouCodes = new Map<number, string | null>();
  private readonly deByUid: Map<string, number>;
  private readonly teaByUid: Map<string, number>;
  readonly fields: FieldInfo;

  /** The runner of a job, or null when no program rules are stored. */
  static create(db: Db, lookups: EventLookups, resolveDe: (ident: string) => number | undefined, today?: string): ProgramRuleRunner | null {
    const repo = new TrackerRulesRepo(db);
    if (repo.countProgramRules() === 0) return null;
    return new ProgramRuleRunner(repo, lookups, resolveDe, today ?? new Date().toISOString().slice(0, 10));
  }

  private constructor(
    private readonly repo: TrackerRulesRepo,
    private readonly lookups: EventLookups,
    private readonly resolveDe: (ident: string) => number | undefined,
    today: string,
  ) {
    const actions = new Map<string, Json>();
    for (const r of repo.objectsOfType('programRuleActions')) actions.set(r.uid, { ...parse(r), id: r.uid });
    for (const r of repo.objectsOfType('programRules')) {
      const j = parse(r);
      const program = refId(j.program);
      if (!program) continue;
      const list: RawRuleAction[] = [];
      for (const raw of (j.programRuleActions as unknown[] | undefined) ?? []) {
        const id = refId(raw);
        const a = (raw && typeof raw === 'object' && (raw as Json).programRuleActionType ? (raw as Json) : id ? actions.get(id) : undefined) ?? null;
        if (!a) continue;
        list.push({
          uid: id ?? '', type: str(a.programRuleActionType) ?? '', content: str(a.content), data: str(a.data), dataElement: refId(a.dataElement),
          attribute: refId(a.trackedEntityAttribute),
        });
      }
      // actions stored on their own that point to the rule without being listed in it
      const listed = new Set(list.map((a) => a.uid));
      for (const [uid, a] of actions) {
        if (!listed.has(uid) && refId(a.programRule) === r.uid) {
          list.push({ uid, type: str(a.programRuleActionType) ?? '', content: str(a.content), data: str(a.data), dataElement: refId(a.dataElement), attribute: refId(a.trackedEntityAttribute) });
        }
      }
      const rule: RawRule = {
        uid: r.uid, name: r.name ?? str(j.name) ?? r.uid, condition: str(j.condition), priority: typeof j.priority === 'number' ? j.priority : null,
        programStage: refId(j.programStage), actions: list,
      };
      let l = this.rulesByProgram.get(program);
      if (!l) this.rulesByProgram.set(program, (l = []));
      l.push(rule);
    }
    for (const r of repo.objectsOfType('programRuleVariables')) {
      const j = parse(r);
      const program = refId(j.program);
      if (!program) continue;
      let l = this.varsByProgram.get(program);
      if (!l) this.varsByProgram.set(program, (l = []));
      l.push({
        uid: r.uid, name: str(j.name) ?? r.name ?? r.uid, sourceType: str(j.programRuleVariableSourceType) ?? 'CALCULATED_VALUE', dataElement: refId(j.dataElement),
        attribute: refId(j.trackedEntityAttribute), programStage: refId(j.programStage), useCodeForOptionSet: j.useCodeForOptionSet === true, valueType: str(j.valueType),
      });
    }
    const constants = new Map<string, number>();
    for (const r of repo.objectsOfType('constants')) {
      const v = parse(r).value;
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isNaN(n)) constants.set(r.uid, n);
    }
    this.env = { today, constants };
    this.deByUid = lookups.idMap('dataElements', 'UID');
    this.teaByUid = lookups.idMap('trackedEntityAttributes', 'UID');
    // option names by set (rules see option names unless a variable uses codes)
    const optionRows = new Map<string, Json>();
    for (const r of repo.objectsOfType('options')) optionRows.set(r.uid, { ...parse(r), name: r.name, code: r.code ?? parse(r).code });
    for (const r of repo.objectsOfType('optionSets')) {
      const m = new Map<string, string>();
      for (const raw of (parse(r).options as unknown[] | undefined) ?? []) {
        const o = { ...(optionRows.get(refId(raw) ?? '') ?? {}), ...((raw && typeof raw === 'object' ? raw : {}) as Json) };
        const code = str(o.code), name = str(o.name);
        if (code != null) m.set(code, name ?? code);
      }
      this.optionNames.set(r.uid, m);
    }
    for (const [, o] of optionRows) {
      const set = refId(o.optionSet);
      const code = str(o.code);
      if (!set || code == null) continue;
      let m = this.optionNames.get(set);
      if (!m) this.optionNames.set(set, (m = new Map()));
      if (!m.has(code)) m.set(code, str(o.name) ?? code);
    }
    for (const r of repo.objectsOfType('organisationUnitGroups')) {
      const members = new Set((((parse(r).organisationUnits as unknown[] | undefined) ?? []).map(refId).filter((x): x is string => x != null)));
      this.groups.set(r.uid, members);
      if (r.code) this.groups.set(r.code, members);
    }
    for (const r of repo.objectsOfType('programStages')) this.stageNames.set(r.uid, r.name ?? r.uid);
    this.fields = (uid: string) => {
      const id = this.deByUid.get(uid) ?? this.teaByUid.get(uid);
      const info = id != null ? (this.lookups.dataElements.get(id) ?? this.lookups.attributes.get(id)) : undefined;
      if (!info) return undefined;
      return { valueType: info.valueType, optionCodes: info.optionCodes, optionNames: info.optionSetUid ? (this.optionNames.get(info.optionSetUid) ?? null) : null };
    };
  }

  /** The compiled rules of a program, or null when it has none. */
  rulesOf(program: ProgramInfo): ProgramRules | null {
    let c = this.compiled.get(program.id);
    if (c === undefined) {
      const raw = this.rulesByProgram.get(program.uid);
      c = raw?.length ? compileProgramRules(raw, this.varsByProgram.get(program.uid) ?? [], this.fields) : null;
      if (c && !c.rules.length) c = null;
      this.compiled.set(program.id, c);
    }
    return c;
  }

  private ouCode(id: number | null): string | null {
    if (id == null) return null;
    let c = this.ouCodes.get(id);
    if (c === undefined) this.ouCodes.set(id, (c = this.repo.codeOf(id)));
    return c;
  }

  private environment(program: ProgramInfo, ouId: number | null): RuleEnvironment {
    const ou = this.lookups.uidOf(ouId) ?? null;
    return { ...this.env, programName: program.name, inOrgUnitGroup: (g) => (ou != null && this.groups.get(g)?.has(ou)) === true };
  }

  /** The stored events of an enrollment as the rule engine sees them (except one uid). */
  private storedEvents(enrollmentId: number, except: Set<string>): RuleEvent[] {
    const byId = new Map<number, RuleEvent>();
    for (const row of this.repo.eventsOfEnrollment(enrollmentId)) {
      if (except.has(row.uid)) continue;
      let e = byId.get(row.id);
      if (!e) {
        const stage = this.lookups.uidOf(row.program_stage) ?? '';
        byId.set(row.id, (e = {
          uid: row.uid, stage, stageName: this.stageNames.get(stage) ?? null, status: row.status, eventDate: row.occurred_at ?? row.scheduled_at,
          dueDate: row.scheduled_at, completedDate: row.completed_at, createdAt: row.created_at, orgUnit: this.lookups.uidOf(row.ou) ?? null,
          orgUnitCode: null, values: new Map(),
        }));
      }
      if (row.de != null && row.value != null) {
        const de = this.lookups.uidOf(row.de);
        if (de) e.values.set(de, row.value);
      }
    }
    return [...byId.values()];
  }

  private storedEnrollment(enrollmentId: number): RuleEnrollment | null {
    const en = this.repo.enrollment(enrollmentId);
    if (!en) return null;
    const attributes = new Map<string, string>();
    if (en.te != null) for (const [id, v] of this.repo.attributeValues(en.te)) attributes.set(this.lookups.uidOf(id) ?? '', v);
    return {
      uid: en.uid, status: en.status, enrolledAt: en.enrolled_at, occurredAt: en.occurred_at, orgUnit: this.lookups.uidOf(en.ou) ?? null,
      orgUnitCode: this.ouCode(en.ou), attributes,
    };
  }

  private report(sink: RuleSink, issues: RuleIssue[]): void {
    for (const i of issues) (i.kind === 'error' ? sink.error : sink.warning).call(sink, i.code, i.args);
  }

  /**
   * The rules of an event's program on the event (which passed every other validator). `values` are the event's
   * resolved values from the file (value null: removed); an ASSIGN changes or adds one there.
   */
  event(
    sink: RuleSink,
    x: { program: ProgramInfo; stage: StageInfo; uid: string; ev: TrackerEvent; status: string; enrollmentId: number | null; ouId: number; existingId: number | null; values: DataValueWrite[] },
  ): void {
    const pr = this.rulesOf(x.program);
    if (!pr) return;
    const stageUid = x.stage.uid;
    const payload = new Map<string, string | null>();
    for (const v of x.values) {
      const de = this.lookups.uidOf(v.de);
      if (de) payload.set(de, v.value);
    }
    const stored = new Set<string>();
    const values = new Map<string, string>();
    if (x.existingId != null) {
      for (const [id, v] of this.repo.eventValues(x.existingId)) {
        const de = this.lookups.uidOf(id);
        if (!de) continue;
        stored.add(de);
        values.set(de, v);
      }
    }
    for (const [de, v] of payload) {
      if (v == null) values.delete(de);
      else values.set(de, v);
    }
    const event: RuleEvent = {
      uid: x.uid, stage: stageUid, stageName: this.stageNames.get(stageUid) ?? null, status: x.status, eventDate: x.ev.occurredAt ?? x.ev.scheduledAt ?? null,
      dueDate: x.ev.scheduledAt ?? null, completedDate: x.ev.completedAt ?? null, createdAt: x.ev.createdAt ?? null, orgUnit: this.lookups.uidOf(x.ouId) ?? null,
      orgUnitCode: this.ouCode(x.ouId), values,
    };
    const enrollment = x.enrollmentId != null ? this.storedEnrollment(x.enrollmentId) : null;
    const others = x.enrollmentId != null ? this.storedEvents(x.enrollmentId, new Set([x.uid])) : [];
    const effects = evaluateRules({ kind: 'EVENT', event, others, enrollment, programEvent: !x.program.registration }, pr, this.environment(x.program, x.ouId));
    if (!effects.length) return;
    const stageDataElements = new Set<string>();
    for (const id of x.stage.dataElements.keys()) {
      const u = this.lookups.uidOf(id);
      if (u) stageDataElements.add(u);
    }
    const before = new Map(payload);
    const issues = eventIssues(effects, {
      eventUid: x.uid, status: x.status, validatesValues: validatesValues(x.status, x.stage.validationStrategy), stageDataElements, payload, stored, fields: this.fields,
    });
    this.report(sink, issues);
    // ASSIGN: the values the import writes
    for (const [deUid, value] of payload) {
      if (before.has(deUid) && before.get(deUid) === value) continue;
      const de = this.deByUid.get(deUid);
      if (de == null) continue;
      const existing = x.values.find((v) => v.de === de);
      if (existing) existing.value = value;
      else {
        x.values.push({ event: 0, de, value, provided_elsewhere: 0, stored_by: null, created_at: null, updated_at: null, created_by: null, updated_by: null });
      }
    }
  }

  /**
   * The rules of an enrollment's program (those without a stage) on the enrollment (which passed every other
   * validator), with its stored events and the file's events nested in it. `attrs` are the enrollment's attributes
   * from the file; an ASSIGN changes or adds one there.
   */
  enrollment(
    sink: RuleSink,
    x: { program: ProgramInfo; uid: string; en: TrackerEnrollment; teId: number; teUid: string; ouId: number; existingId: number | null; attrs: { id: number; a: TrackerAttribute }[] },
  ): void {
    const pr = this.rulesOf(x.program);
    if (!pr) return;
    const attributes = new Map<string, string>();
    const teAttributes = new Set<string>();
    for (const [id, v] of this.repo.attributeValues(x.teId)) {
      const u = this.lookups.uidOf(id);
      if (!u) continue;
      attributes.set(u, v);
      teAttributes.add(u);
    }
    const payload = new Map<string, string | null>();
    for (const { id, a } of x.attrs) {
      const u = this.lookups.uidOf(id);
      if (!u) continue;
      payload.set(u, a.value == null || a.value === '' ? null : String(a.value));
      if (a.value == null || a.value === '') attributes.delete(u);
      else attributes.set(u, String(a.value));
    }
    const nested = x.en.events ?? [];
    const events = x.existingId != null ? this.storedEvents(x.existingId, new Set(nested.map((e) => e.event ?? ''))) : [];
    for (const ev of nested) {
      const values = new Map<string, string>();
      for (const dv of ev.dataValues ?? []) {
        const id = this.resolveDe(dv.dataElement);
        const u = id != null ? this.lookups.uidOf(id) : undefined;
        if (u && dv.value != null && dv.value !== '') values.set(u, String(dv.value));
      }
      events.push({
        uid: ev.event ?? '', stage: ev.programStage ?? '', status: ev.status ?? 'ACTIVE', eventDate: ev.occurredAt ?? ev.scheduledAt ?? null, dueDate: ev.scheduledAt ?? null,
        completedDate: ev.completedAt ?? null, createdAt: ev.createdAt ?? null, values,
      });
    }
    const enrollment: RuleEnrollment = {
      uid: x.uid, status: x.en.status ?? 'ACTIVE', enrolledAt: x.en.enrolledAt ?? null, occurredAt: x.en.occurredAt ?? x.en.enrolledAt ?? null,
      orgUnit: this.lookups.uidOf(x.ouId) ?? null, orgUnitCode: this.ouCode(x.ouId), attributes,
    };
    const effects = evaluateRules({ kind: 'ENROLLMENT', enrollment, events }, pr, this.environment(x.program, x.ouId));
    if (!effects.length) return;
    const before = new Map(payload);
    const issues = enrollmentIssues(effects, { status: enrollment.status, trackedEntityUid: x.teUid, payload, teAttributes, fields: this.fields });
    this.report(sink, issues);
    for (const [u, value] of payload) {
      if (before.has(u) && before.get(u) === value) continue;
      const id = this.teaByUid.get(u);
      if (id == null) continue;
      const existing = x.attrs.find((a) => a.id === id);
      if (existing) existing.a = { ...existing.a, value };
      else x.attrs.push({ id, a: { attribute: u, value } });
    }
  }
}
