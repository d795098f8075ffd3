/**
 * Program rules on import, as DHIS2 2.42's tracker importer runs them (tracker/imports/programrule: the rule engine
 * computes effects; RuleActionEventMapper / RuleActionEnrollmentMapper turn them into executors; event and enrollment
 * RuleEngineValidator report their issues), pure and offline:
 *
 *  1. compileProgramRules: a program's rules (with their actions) and variables, parsed once per job. Only the action
 *     types DHIS2's server honours are kept (ProgramRuleActionType.SERVER_SUPPORTED_TYPES); a rule whose condition or
 *     action data does not parse is kept with its syntax error, so that evaluating it gives DHIS2's warning.
 *  2. evaluateRules: builds the variable values of one target — an event (with the other events of its enrollment
 *     and the enrollment's attributes) or an enrollment (with its events) — and runs the rules in priority order
 *     (no priority last): a true condition yields an effect per action, an ASSIGN to a calculated variable changes
 *     that variable for the rules after it, and a rule that fails (syntax, unknown variable, bad argument) yields an
 *     error effect — DHIS2 logs and skips the rule, and its importer reports it as a warning (E1300).
 *  3. eventIssues / enrollmentIssues: DHIS2's executors. Events: nothing at all when the stage does not validate data
 *     values yet (status SCHEDULE/SKIPPED/OVERDUE, or ON_COMPLETE and not COMPLETED), effects on a data element not
 *     in the stage dropped; SHOWERROR → E1300 error, ERRORONCOMPLETE → E1300 error when COMPLETED, SHOWWARNING /
 *     WARNINGONCOMPLETE → E1300 warning, SETMANDATORYFIELD → E1314 (the file removes the value) or E1301 (no value in
 *     the file nor stored), ASSIGN → the value is written with warning E1308 when the file has none or the same one,
 *     else error E1307 (DHIS2's system setting ruleEngineAssignOverwrite at its default, false: a value in the file
 *     is not overwritten). Enrollments: SETMANDATORYFIELD → E1306 / E1317, ASSIGN → E1310 warning / E1309 error,
 *     the SHOW* actions as for events. Errors are listed before warnings, each with the rule uid as first argument.
 */
import { parseExpression, RuleSyntaxError, type RuleNode } from './parser.ts';
import { evaluate, isTrue, RuleEvalError, toText, type EvalContext, type RuleValueType, type VariableValue } from './evaluator.ts';

export const SERVER_ACTION_TYPES = new Set(['SENDMESSAGE', 'SCHEDULEMESSAGE', 'SHOWERROR', 'SHOWWARNING', 'ERRORONCOMPLETE', 'WARNINGONCOMPLETE', 'ASSIGN', 'SETMANDATORYFIELD']);

// ---------------------------------------------------------------- input shapes (from the stored metadata)

export interface RawRuleAction {
  uid: string;
  type: string;
  content?: string | null;
  data?: string | null;
  dataElement?: string | null;
  attribute?: string | null;
}

export interface RawRule {
  uid: string;
  name: string;
  condition?: string | null;
  priority?: number | null;
  programStage?: string | null;
  actions: RawRuleAction[];
}

export interface RawVariable {
  uid: string;
  name: string;
  sourceType: string;
  dataElement?: string | null;
  attribute?: string | null;
  programStage?: string | null;
  useCodeForOptionSet?: boolean;
  /** CALCULATED_VALUE: the variable's own value type */
  valueType?: string | null;
}

/** value type and option names (code → name) of a data element or attribute, by uid */
export type FieldInfo = (uid: string) => { valueType: string; optionNames: Map<string, string> | null; optionCodes: Set<string> | null } | undefined;

// ---------------------------------------------------------------- compiled

interface Compiled {
  node: RuleNode | null;
  error: string | null;
}

export interface CompiledAction {
  uid: string;
  type: string;
  content: string;
  data: Compiled;
  field: string | null;
  fieldKind: 'DATA_ELEMENT' | 'ATTRIBUTE' | null;
}

export interface CompiledRule {
  uid: string;
  name: string;
  conditionText: string;
  condition: Compiled;
  priority: number | null;
  stage: string | null;
  actions: CompiledAction[];
}

export interface CompiledVariable {
  name: string;
  sourceType: string;
  field: string | null;
  stage: string | null;
  type: RuleValueType;
  optionNames: Map<string, string> | null;
}

export interface ProgramRules {
  rules: CompiledRule[];
  variables: CompiledVariable[];
}

const NUMERIC_TYPES = new Set(['NUMBER', 'INTEGER', 'INTEGER_POSITIVE', 'INTEGER_NEGATIVE', 'INTEGER_ZERO_OR_POSITIVE', 'PERCENTAGE', 'UNIT_INTERVAL']);

/** DHIS2's RuleValueType of a value type (ValueType.isBoolean / isNumeric / isDate). */
export function ruleValueType(valueType: string | null | undefined): RuleValueType {
  const t = valueType ?? 'TEXT';
  if (t === 'BOOLEAN' || t === 'TRUE_ONLY') return 'BOOLEAN';
  if (NUMERIC_TYPES.has(t)) return 'NUMERIC';
  if (t === 'DATE' || t === 'DATETIME' || t === 'AGE') return 'DATE';
  return 'TEXT';
}

function compile(src: string | null | undefined): Compiled {
  try {
    return { node: parseExpression(src), error: null };
  } catch (e) {
    return { node: null, error: e instanceof RuleSyntaxError ? e.message : String(e) };
  }
}

export function compileProgramRules(rules: RawRule[], variables: RawVariable[], fields: FieldInfo): ProgramRules {
  const out: CompiledRule[] = [];
  for (const r of rules) {
    const actions: CompiledAction[] = r.actions
      .filter((a) => SERVER_ACTION_TYPES.has(a.type))
      .map((a) => ({
        uid: a.uid, type: a.type, content: a.content ?? '', data: compile(a.data),
        field: a.dataElement ?? a.attribute ?? null, fieldKind: a.dataElement ? 'DATA_ELEMENT' : a.attribute ? 'ATTRIBUTE' : null,
      }));
    // DHIS2 drops rules without a server action (DefaultProgramRuleEntityMapperService.toRules)
    if (!actions.length) continue;
    out.push({ uid: r.uid, name: r.name, conditionText: r.condition ?? '', condition: compile(r.condition), priority: r.priority ?? null, stage: r.programStage ?? null, actions });
  }
  // priority order, rules without one last; ties keep their stored order
  const indexed = out.map((r, i) => ({ r, i }));
  indexed.sort((a, b) => {
    const pa = a.r.priority, pb = b.r.priority;
    if (pa != null && pb != null && pa !== pb) return pa - pb;
    if (pa == null && pb != null) return 1;
    if (pa != null && pb == null) return -1;
    return a.i - b.i;
  });
  const vars: CompiledVariable[] = variables.map((v) => {
    const field = v.sourceType === 'TEI_ATTRIBUTE' ? (v.attribute ?? null) : v.sourceType === 'CALCULATED_VALUE' ? null : (v.dataElement ?? null);
    const info = field ? fields(field) : undefined;
    return {
      name: v.name, sourceType: v.sourceType, field, stage: v.programStage ?? null,
      type: ruleValueType(v.sourceType === 'CALCULATED_VALUE' ? v.valueType : info?.valueType),
      optionNames: v.useCodeForOptionSet ? null : (info?.optionNames ?? null),
    };
  });
  return { rules: indexed.map((x) => x.r), variables: vars };
}

// ---------------------------------------------------------------- targets

export interface RuleEvent {
  uid: string;
  stage: string;
  stageName?: string | null;
  status: string;
  /** occurredAt (or scheduledAt when there is none), ISO */
  eventDate: string | null;
  dueDate?: string | null;
  completedDate?: string | null;
  createdAt?: string | null;
  orgUnit?: string | null;
  orgUnitCode?: string | null;
  /** data element uid → value */
  values: Map<string, string>;
}

export interface RuleEnrollment {
  uid: string;
  status: string;
  enrolledAt: string | null;
  occurredAt: string | null;
  orgUnit?: string | null;
  orgUnitCode?: string | null;
  /** attribute uid → value */
  attributes: Map<string, string>;
}

export interface RuleEnvironment {
  /** yyyy-MM-dd */
  today: string;
  programName: string;
  constants: Map<string, number>;
  inOrgUnitGroup?: (group: string) => boolean;
}

export type RuleTarget =
  | {
      kind: 'EVENT';
      event: RuleEvent;
      others: RuleEvent[];
      enrollment: RuleEnrollment | null;
      /**
       * an event of a program without registration: DHIS2 2.42 selects its rules as for an enrollment
       * (ImplementableRuleService.getProgramRules(program, null)), so rules tied to a stage are not run
       */
      programEvent?: boolean;
    }
  | { kind: 'ENROLLMENT'; enrollment: RuleEnrollment; events: RuleEvent[] };

export interface RuleEffect {
  rule: string;
  type: string;
  field: string | null;
  fieldKind: 'DATA_ELEMENT' | 'ATTRIBUTE' | null;
  content: string;
  /** the action's data evaluated (null when empty); for a rule that failed, the rule engine's message */
  data: string | null;
  /** the rule failed: DHIS2's RAISE_ERROR effect */
  failed?: boolean;
}

const day = (s: string | null | undefined): string | null => (s ? s.slice(0, 10) : null);
const empty = (type: RuleValueType): VariableValue => ({ type, value: null, candidates: [], eventDate: null });

function variableValues(target: RuleTarget, pr: ProgramRules): Map<string, VariableValue> {
  const current = target.kind === 'EVENT' ? target.event : null;
  const all = target.kind === 'EVENT' ? [...target.others, target.event] : [...target.events];
  // newest first (event date descending; stable)
  const sorted = all.map((e, i) => ({ e, i })).sort((a, b) => {
    const x = a.e.eventDate ?? '', y = b.e.eventDate ?? '';
    return x < y ? 1 : x > y ? -1 : a.i - b.i;
  }).map((x) => x.e);
  const enrollment = target.enrollment;
  const out = new Map<string, VariableValue>();
  for (const v of pr.variables) {
    const named = (raw: string, ev: RuleEvent | null, candidates: string[]): VariableValue => ({
      type: v.type, value: v.optionNames ? (v.optionNames.get(raw) ?? raw) : raw, candidates, eventDate: day(ev?.eventDate),
    });
    let val: VariableValue = empty(v.type);
    const f = v.field;
    switch (v.sourceType) {
      case 'DATAELEMENT_CURRENT_EVENT': {
        const raw = f && current ? current.values.get(f) : undefined;
        if (raw != null) val = named(raw, current, [raw]);
        break;
      }
      case 'DATAELEMENT_NEWEST_EVENT_PROGRAM':
      case 'DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE': {
        if (!f) break;
        const list = v.sourceType === 'DATAELEMENT_NEWEST_EVENT_PROGRAM' ? sorted : sorted.filter((e) => e.stage === v.stage);
        const withValue = list.filter((e) => e.values.has(f));
        if (withValue.length) val = named(withValue[0]!.values.get(f)!, withValue[0]!, withValue.map((e) => e.values.get(f)!));
        break;
      }
      case 'DATAELEMENT_PREVIOUS_EVENT': {
        if (!f || !current) break;
        const withValue = sorted.filter((e) => e.values.has(f));
        const cd = current.eventDate ?? '';
        const prev = withValue.find((e) => e !== current && ((e.eventDate ?? '') < cd || ((e.eventDate ?? '') === cd && (e.createdAt ?? '') < (current.createdAt ?? ''))));
        if (prev) val = named(prev.values.get(f)!, prev, withValue.map((e) => e.values.get(f)!));
        break;
      }
      case 'TEI_ATTRIBUTE': {
        const raw = f && enrollment ? enrollment.attributes.get(f) : undefined;
        if (raw != null) val = named(raw, null, [raw]);
        break;
      }
      default:
        break;
    }
    out.set(v.name, val);
  }
  return out;
}

function environment(target: RuleTarget, env: RuleEnvironment): Map<string, VariableValue> {
  const m = new Map<string, VariableValue>();
  const text = (k: string, v: string | null | undefined): void => {
    if (v != null) m.set(k, { type: 'TEXT', value: v, candidates: [v], eventDate: null });
  };
  const num = (k: string, n: number): void => void m.set(k, { type: 'NUMERIC', value: String(n), candidates: [String(n)], eventDate: null });
  text('current_date', env.today);
  text('environment', 'Server');
  text('program_name', env.programName);
  const en = target.enrollment;
  if (en) {
    text('enrollment_id', en.uid);
    num('enrollment_count', 1);
    num('tei_count', 1);
    text('enrollment_date', day(en.enrolledAt));
    text('incident_date', day(en.occurredAt));
    text('enrollment_status', en.status);
    text('org_unit', en.orgUnit);
    text('orgunit_code', en.orgUnitCode);
  }
  if (target.kind === 'ENROLLMENT') {
    if (target.events.length) num('event_count', target.events.length);
  } else {
    const ev = target.event;
    text('event_date', day(ev.eventDate));
    text('due_date', day(ev.dueDate));
    text('completed_date', day(ev.completedDate));
    num('event_count', target.others.length + 1);
    text('event_id', ev.uid);
    text('event_status', ev.status);
    text('org_unit', ev.orgUnit);
    text('orgunit_code', ev.orgUnitCode);
    text('program_stage_id', ev.stage);
    text('program_stage_name', ev.stageName);
  }
  return m;
}

const unwrap = (s: string): string => s.trim().replace(/^[#A]\{/, '').replace(/\}$/, '').trim();

/** The effects of a program's rules on one target, in rule order. */
export function evaluateRules(target: RuleTarget, pr: ProgramRules, env: RuleEnvironment): RuleEffect[] {
  const stage = target.kind === 'EVENT' && !target.programEvent ? target.event.stage : null;
  const rules = pr.rules.filter((r) => r.stage == null || r.stage === stage);
  if (!rules.length) return [];
  const ctx: EvalContext = { variables: variableValues(target, pr), env: environment(target, env), constants: env.constants, inOrgUnitGroup: env.inOrgUnitGroup };
  const targetUid = target.kind === 'EVENT' ? target.event.uid : target.enrollment.uid;
  const effects: RuleEffect[] = [];
  // enrollments take actions on attributes (and without a field), events actions on data elements (and without)
  const skipKind = target.kind === 'EVENT' ? 'ATTRIBUTE' : 'DATA_ELEMENT';
  const failure = (r: CompiledRule, action: boolean, msg: string): RuleEffect => ({
    rule: r.uid, type: 'ERROR', field: null, fieldKind: null, content: '', failed: true,
    data: `${action ? `Action RuleAction from rule ${r.name}` : `Rule ${r.name}`} with id ${r.uid} executed for ${target.kind}(${targetUid}) with condition (${r.conditionText}) raised an error: ${msg}`,
  });
  const run = (c: Compiled): string => {
    if (c.error) throw new RuleSyntaxError(c.error);
    return c.node ? toText(evaluate(c.node, ctx)) : '';
  };
  for (const r of rules) {
    let fires: boolean;
    try {
      if (r.condition.error) throw new RuleSyntaxError(r.condition.error);
      fires = r.condition.node != null && isTrue(evaluate(r.condition.node, ctx));
    } catch (e) {
      effects.push(failure(r, false, messageOf(e)));
      continue;
    }
    if (!fires) continue;
    for (const a of r.actions) {
      if (a.fieldKind === skipKind) continue;
      try {
        if (a.type === 'ASSIGN' && !a.field) {
          const name = unwrap(a.content);
          const before = ctx.variables.get(name);
          const value = run(a.data);
          ctx.variables.set(name, { type: before?.type ?? 'TEXT', value, candidates: [], eventDate: null });
          continue;
        }
        const data = run(a.data);
        effects.push({ rule: r.uid, type: a.type, field: a.field, fieldKind: a.fieldKind, content: a.content, data: data === '' ? null : data });
      } catch (e) {
        effects.push(failure(r, true, messageOf(e)));
      }
    }
  }
  return effects;
}

function messageOf(e: unknown): string {
  if (e instanceof RuleSyntaxError || e instanceof RuleEvalError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------- effects → issues (DHIS2's executors)

export interface RuleIssue {
  kind: 'error' | 'warning';
  code: string;
  /** the rule uid first, then the code's own arguments */
  args: string[];
}

function validationMessage(e: RuleEffect): string {
  let m = e.content;
  if (e.data) m += ` ${e.data}`;
  if (e.field) m += ` (${e.field})`;
  return m;
}

/** SHOW*, *ONCOMPLETE and rule failures: E1300. */
function showIssue(e: RuleEffect, completed: boolean): RuleIssue | null {
  switch (e.type) {
    case 'ERROR':
      return { kind: 'warning', code: 'E1300', args: [e.rule, e.data ?? ''] };
    case 'SHOWERROR':
      return { kind: 'error', code: 'E1300', args: [e.rule, validationMessage(e)] };
    case 'SHOWWARNING':
      return { kind: 'warning', code: 'E1300', args: [e.rule, validationMessage(e)] };
    case 'ERRORONCOMPLETE':
      return completed ? { kind: 'error', code: 'E1300', args: [e.rule, validationMessage(e)] } : null;
    case 'WARNINGONCOMPLETE':
      return completed ? { kind: 'warning', code: 'E1300', args: [e.rule, validationMessage(e)] } : null;
    default:
      return null;
  }
}

const NUMERIC_VT = (vt: string): boolean => NUMERIC_TYPES.has(vt);

/** RuleActionExecutor.isEqual: the same text, or for numeric types the same number. */
export function sameValue(a: string | null, b: string | null, valueType: string): boolean {
  if (a === b) return true;
  if (a == null || b == null || !NUMERIC_VT(valueType)) return false;
  const x = Number(a), y = Number(b);
  return a.trim() !== '' && b.trim() !== '' && !Number.isNaN(x) && !Number.isNaN(y) && Math.abs(x - y) < 1e-9;
}

const errorsFirst = (issues: RuleIssue[]): RuleIssue[] => [...issues.filter((i) => i.kind === 'error'), ...issues.filter((i) => i.kind === 'warning')];

export interface EventRuleInput {
  eventUid: string;
  status: string;
  /** ValidationUtils.needsToValidateDataValues for the event's status and stage */
  validatesValues: boolean;
  /** data element uids of the stage */
  stageDataElements: Set<string>;
  /** the file's data values of the event: uid → value (null: the file removes it); ASSIGN changes it */
  payload: Map<string, string | null>;
  /** data element uids with a stored value (an update) */
  stored: Set<string>;
  fields: FieldInfo;
  /** DHIS2 system setting ruleEngineAssignOverwrite (default false) */
  overwrite?: boolean;
}

export function eventIssues(effects: RuleEffect[], x: EventRuleInput): RuleIssue[] {
  if (!x.validatesValues) return [];
  const out: RuleIssue[] = [];
  const completed = x.status === 'COMPLETED';
  for (const e of effects) {
    if (e.field && !x.stageDataElements.has(e.field)) continue;
    const shown = showIssue(e, completed);
    if (shown) {
      out.push(shown);
      continue;
    }
    if (e.type === 'SETMANDATORYFIELD' && e.field) {
      if (x.payload.has(e.field) && x.payload.get(e.field) == null) out.push({ kind: 'error', code: 'E1314', args: [e.rule, e.field] });
      else if (!x.payload.has(e.field) && !x.stored.has(e.field)) out.push({ kind: 'error', code: 'E1301', args: [e.rule, e.field] });
    } else if (e.type === 'ASSIGN' && e.field) {
      const info = x.fields(e.field);
      const vt = info?.valueType ?? 'TEXT';
      const has = x.payload.has(e.field);
      const given = x.payload.get(e.field) ?? null;
      if (info?.optionCodes && !(e.data != null && info.optionCodes.has(e.data))) {
        // a value that is no option code of the data element's set (AssignDataValueExecutor's special case)
        if (!has || given == null) out.push({ kind: 'warning', code: 'E1308', args: [e.rule, e.field, x.eventUid] });
        else if (x.overwrite) {
          x.payload.set(e.field, null);
          out.push({ kind: 'warning', code: 'E1308', args: [e.rule, e.field, x.eventUid] });
        } else out.push({ kind: 'error', code: 'E1307', args: [e.rule, e.field, ''] });
        continue;
      }
      if (!has || x.overwrite || sameValue(e.data, given, vt)) {
        x.payload.set(e.field, e.data);
        out.push({ kind: 'warning', code: 'E1308', args: [e.rule, e.field, x.eventUid] });
      } else out.push({ kind: 'error', code: 'E1307', args: [e.rule, e.field, e.data ?? ''] });
    }
  }
  return errorsFirst(out);
}

export interface EnrollmentRuleInput {
  status: string;
  trackedEntityUid: string;
  /** the file's attributes of the enrollment: uid → value; ASSIGN changes it */
  payload: Map<string, string | null>;
  /** attribute uids of the tracked entity (stored and in the file) */
  teAttributes: Set<string>;
  fields: FieldInfo;
  overwrite?: boolean;
}

export function enrollmentIssues(effects: RuleEffect[], x: EnrollmentRuleInput): RuleIssue[] {
  const out: RuleIssue[] = [];
  const completed = x.status === 'COMPLETED';
  for (const e of effects) {
    const shown = showIssue(e, completed);
    if (shown) {
      out.push(shown);
      continue;
    }
    if (e.type === 'SETMANDATORYFIELD' && e.field) {
      if (!x.payload.has(e.field) && !x.teAttributes.has(e.field)) out.push({ kind: 'error', code: 'E1306', args: [e.rule, e.field] });
      else if (x.payload.has(e.field) && (x.payload.get(e.field) ?? '') === '') out.push({ kind: 'error', code: 'E1317', args: [e.rule, e.field] });
    } else if (e.type === 'ASSIGN' && e.field) {
      const vt = x.fields(e.field)?.valueType ?? 'TEXT';
      if (!x.payload.has(e.field) || x.overwrite || sameValue(e.data, x.payload.get(e.field) ?? null, vt)) {
        x.payload.set(e.field, e.data);
        out.push({ kind: 'warning', code: 'E1310', args: [e.rule, e.field, x.trackedEntityUid] });
      } else out.push({ kind: 'error', code: 'E1309', args: [e.rule, e.field, e.data ?? ''] });
    }
  }
  return errorsFirst(out);
}
