/**
 * Program rules, their variables and actions (dhis2-core ProgramRuleVariableObjectBundleHook,
 * ProgramRuleObjectBundleHook, ProgramRuleActionObjectBundleHook with the ProgramRuleActionValidator of each action
 * type). DHIS2 looks some of these up in the database only (not in the payload): so does Ferry (marked "stored"). The
 * rule, program and stages an action is checked against are those DHIS2's preheat holds: the STORED version of an
 * object that exists (even when the payload updates it), else the payload's new object.
 *  - variables: E4051 a stored variable of the same program has the name (an update of that same variable is fine;
 *    with importStrategy CREATE any stored one clashes); E4052 the name holds the word `and`, `or` or `not`; E4090 no
 *    source type; E4059 a data element source without a data element; E4091 DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE
 *    without a program stage; E4089 TEI_ATTRIBUTE without an attribute; E4092 CALCULATED_VALUE without a value type.
 *  - rules: E4057 another stored rule of the program has the same name (case-insensitive).
 *  - actions, one error at most, by action type: E4044–E4048 (data element / attribute: given, found, part of the
 *    program's stages / attributes), E4050 (ASSIGN needs a data element, an attribute or content), E4034/E4035
 *    (notification template), E4036/E4037 (section), E4038/E4039 (stage), E4040/E4041 (option), E4043 (option group),
 *    E4058 (references the type does not use), E4083/E4084 (SCHEDULEEVENT: a tracker program, a stage of it).
 */
import type { Bundle, Item } from '../bundle.ts';
import { isObj, str } from '../objects.ts';
import type { Obj } from '../types.ts';
import type { MetadataCheck } from './check.ts';
import { WRITE_STRATEGIES } from './check.ts';
import { fmt, hasRef, hookError, klassOf, preheated, refKey, refUid, stored, storedObjects } from './hook-support.ts';

const M = {
  E4051: 'A program rule variable with name `{0}` and program uid `{1}` already exists',
  E4052: 'For program rule variable with name `{0}` following keywords are forbidden : and , or , not',
  E4059: 'ProgramRuleVariable `{0}` with source type `{1}` requires a data element',
  E4089: 'ProgramRuleVariable `{0}` with source type `{1}` requires a tracked entity attribute',
  E4090: 'ProgramRuleVariable `{0}` is missing a source type',
  E4091: 'ProgramRuleVariable `{0}` with source type `{1}` requires a program stage',
  E4092: 'ProgramRuleVariable `{0}` with source type `{1}` requires a value type',
  E4057: 'The Program Rule name {0} already exist in Program {1}',
  E4034: 'ProgramNotificationTemplate `{0}` associated with program rule name `{1}` does not exist',
  E4035: 'ProgramNotificationTemplate cannot be null for program rule name `{0}`',
  E4036: 'ProgramStageSection cannot be null for program rule `{0}`',
  E4037: 'ProgramStageSection `{0}` associated with program rule `{1}` does not exist',
  E4038: 'ProgramStage cannot be null for program rule `{0}`',
  E4039: 'ProgramStage `{0}` associated with program rule `{1}` does not exist',
  E4040: 'Option cannot be null for program rule `{0}`',
  E4041: 'Option `{0}` associated with program rule `{1}` does not exist',
  E4043: 'OptionGroup `{0}` associated with program rule `{1}` does not exist',
  E4044: 'DataElement or TrackedEntityAttribute cannot be null for program rule `{0}`',
  E4045: 'DataElement `{0}` associated with program rule `{1}` does not exist',
  E4046: 'TrackedEntityAttribute `{0}` associated with program rule `{1}` does not exist',
  E4047: 'DataElement `{0}` is not linked to any ProgramStageDataElement for program rule `{1}`',
  E4048: 'TrackedEntityAttribute `{0}` is not linked to ProgramTrackedEntityAttribute for program rule `{1}`',
  E4050: 'One of DataElement, TrackedEntityAttribute or ProgramRuleVariable is required for program rule `{0}`',
  E4058: 'Program Rule `{0}` with Action Type `{1}` has irrelevant reference objects',
  E4083: 'ProgramRule `{0}` must be associated with a Tracker Program (a program with registration)',
  E4084: 'ProgramStage `{0}` is not part of Program `{1}`',
} as const;
type Code = keyof typeof M;

const P = 'org.hisp.dhis.';
const KLASS = {
  DataElement: P + 'dataelement.DataElement',
  TrackedEntityAttribute: P + 'trackedentity.TrackedEntityAttribute',
  ProgramRuleAction: P + 'programrule.ProgramRuleAction',
  ProgramNotificationTemplate: P + 'program.notification.ProgramNotificationTemplate',
  ProgramStageSection: P + 'program.ProgramStageSection',
  ProgramStage: P + 'program.ProgramStage',
  Option: P + 'option.Option',
  Program: P + 'program.Program',
};

const SOURCE_TYPES = new Set([
  'DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE', 'DATAELEMENT_NEWEST_EVENT_PROGRAM', 'DATAELEMENT_CURRENT_EVENT', 'DATAELEMENT_PREVIOUS_EVENT',
  'CALCULATED_VALUE', 'TEI_ATTRIBUTE',
]);
const DATA_TYPES = new Set(['DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE', 'DATAELEMENT_NEWEST_EVENT_PROGRAM', 'DATAELEMENT_CURRENT_EVENT', 'DATAELEMENT_PREVIOUS_EVENT']);
const FORBIDDEN = /^(and|or|not)$/;

/** Stored objects of a type grouped by the uid of their `program` reference (one query). */
function storedByProgram(b: Bundle, type: string): Map<string, { uid: string; name: string | null }[]> {
  const m = new Map<string, { uid: string; name: string | null }[]>();
  for (const r of b.repo.propertyValues(type, 'program')) {
    let p: unknown = r.v;
    if (typeof p === 'string') {
      try {
        p = JSON.parse(p) as unknown;
      } catch {
        continue;
      }
    }
    const pid = isObj(p) ? str(p.id) : undefined;
    if (!pid) continue;
    (m.get(pid) ?? m.set(pid, []).get(pid)!).push({ uid: r.uid, name: r.name });
  }
  return m;
}

function err(b: Bundle, it: Item, klass: string, code: Code, args: unknown[], prop?: string): void {
  hookError(b, it, klass, code, fmt(M[code], ...args), args, prop ? { errorProperty: prop } : {});
}

function programRuleVariablesHook(b: Bundle): void {
  const live = b.live('programRuleVariables');
  if (!live.length) return;
  const K = klassOf('programRuleVariables');
  const byProgram = storedByProgram(b, 'programRuleVariables');
  const updating = b.opts.importStrategy !== 'CREATE';
  for (const it of live) {
    const o = it.obj;
    const name = typeof o.name === 'string' ? o.name : null;
    const program = refKey(o.program);
    if (name != null && program) {
      const same = (byProgram.get(program) ?? []).filter((s) => s.name === name);
      const clash = updating ? same.length > 0 && !same.some((s) => s.uid === o.id) : same.length > 0;
      if (clash) err(b, it, K, 'E4051', [name, program], 'name');
    }
    if (name != null && name.split(/\s/).some((w) => FORBIDDEN.test(w))) err(b, it, K, 'E4052', [name], 'name');
    const st = typeof o.programRuleVariableSourceType === 'string' && SOURCE_TYPES.has(o.programRuleVariableSourceType) ? o.programRuleVariableSourceType : null;
    if (!st) {
      err(b, it, K, 'E4090', [name], 'programRuleVariableSourceType');
      continue;
    }
    if (DATA_TYPES.has(st) && !hasRef(o.dataElement)) err(b, it, K, 'E4059', [name, st], 'dataElement');
    if (st === 'DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE' && !hasRef(o.programStage)) err(b, it, K, 'E4091', [name, st], 'programStage');
    if (st === 'TEI_ATTRIBUTE' && !hasRef(o.trackedEntityAttribute)) err(b, it, K, 'E4089', [name, st], 'trackedEntityAttribute');
    if (st === 'CALCULATED_VALUE' && o.valueType == null) err(b, it, K, 'E4092', [name, st], 'valueType');
  }
}

function programRulesHook(b: Bundle): void {
  const live = b.live('programRules');
  if (!live.length) return;
  const K = klassOf('programRules');
  const byProgram = storedByProgram(b, 'programRules');
  for (const it of live) {
    const programUid = refUid(b, 'programs', it.obj.program);
    if (!programUid) continue;
    const program = preheated(b, 'programs', programUid);
    const name = typeof it.obj.name === 'string' ? it.obj.name : null;
    const uid = String(it.obj.id).toLowerCase();
    const other = (byProgram.get(programUid) ?? []).find((r) => r.uid.toLowerCase() !== uid && name != null && r.name?.toLowerCase() === name.toLowerCase());
    if (other) err(b, it, K, 'E4057', [name, str(program?.name) ?? null], 'name');
  }
}

/** What an action's validator reads (ProgramRuleActionValidationContextLoader). */
interface Ctx {
  rule: Obj;
  ruleUid: string;
  ruleName: string | null;
  program: Obj;
  programUid: string;
}

function programRuleActionsHook(b: Bundle): void {
  const live = b.live('programRuleActions');
  if (!live.length) return;
  let stagesByProgram: Map<string, { uid: string; name: string | null }[]> | null = null;
  /** program.getProgramStages() of the preheat's program: a stored program's stored stages, a new one's references */
  const stagesOf = (programUid: string): string[] => {
    if (stored(b, 'programs', programUid)) {
      stagesByProgram ??= storedByProgram(b, 'programStages');
      return (stagesByProgram.get(programUid) ?? []).map((x) => x.uid);
    }
    const given = b.payloadByUid.get('programs')?.get(programUid)?.obj.programStages;
    return Array.isArray(given) ? given.map(refKey).filter((u): u is string => !!u) : [];
  };
  const stageDataElements = (stageUids: string[]): Set<string> => {
    storedObjects(b, 'programStages', stageUids);
    const des = new Set<string>();
    for (const u of stageUids) {
      const st = preheated(b, 'programStages', u);
      for (const p of Array.isArray(st?.programStageDataElements) ? st.programStageDataElements : []) {
        const d = isObj(p) ? refKey(p.dataElement) : undefined;
        if (d) des.add(d);
      }
    }
    return des;
  };
  const deCache = new Map<string, Set<string>>();
  const programDataElements = (programUid: string): Set<string> => {
    let set = deCache.get(programUid);
    if (!set) deCache.set(programUid, (set = stageDataElements(stagesOf(programUid))));
    return set;
  };
  const programAttributes = (program: Obj): Set<string> =>
    new Set((Array.isArray(program.programTrackedEntityAttributes) ? program.programTrackedEntityAttributes : []).map((p) => (isObj(p) ? refKey(p.trackedEntityAttribute) : undefined)).filter((u): u is string => !!u));

  /** BaseProgramRuleActionValidator: true when valid (else it reported). */
  const base = (it: Item, c: Ctx): boolean => {
    const o = it.obj;
    if (!hasRef(o.dataElement) && !hasRef(o.trackedEntityAttribute)) {
      err(b, it, KLASS.DataElement, 'E4044', [c.ruleName]);
      return false;
    }
    if (hasRef(o.dataElement)) {
      const de = refUid(b, 'dataElements', o.dataElement);
      if (!de) {
        err(b, it, KLASS.DataElement, 'E4045', [refKey(o.dataElement) ?? null, c.ruleName], 'dataElement');
        return false;
      }
      if (!programDataElements(c.programUid).has(de)) {
        err(b, it, KLASS.DataElement, 'E4047', [de, c.ruleName], 'dataElement');
        return false;
      }
      return true;
    }
    const tea = refUid(b, 'trackedEntityAttributes', o.trackedEntityAttribute);
    if (!tea) {
      err(b, it, KLASS.TrackedEntityAttribute, 'E4046', [refKey(o.trackedEntityAttribute) ?? null, c.ruleName], 'trackedEntityAttribute');
      return false;
    }
    if (!programAttributes(c.program).has(tea)) {
      err(b, it, KLASS.TrackedEntityAttribute, 'E4048', [tea, c.ruleName], 'trackedEntityAttribute');
      return false;
    }
    return true;
  };

  const irrelevant = (it: Item, c: Ctx, props: string[], type: string): void => {
    if (props.some((p) => hasRef(it.obj[p]))) err(b, it, KLASS.Option, 'E4058', [c.ruleName, type]);
  };

  const validators: Record<string, (it: Item, c: Ctx) => void> = {
    notification(it, c) {
      const t = it.obj.templateUid;
      if (t == null) return err(b, it, KLASS.ProgramNotificationTemplate, 'E4035', [c.ruleName], 'templateUid');
      if (!refUid(b, 'programNotificationTemplates', { id: t })) err(b, it, KLASS.ProgramNotificationTemplate, 'E4034', [t, c.ruleName], 'templateUid');
    },
    optionGroup(it, c) {
      if (!base(it, c)) return;
      if (!hasRef(it.obj.optionGroup)) return err(b, it, KLASS.Option, 'E4040', [c.ruleName], 'optionGroup');
      if (!refUid(b, 'optionGroups', it.obj.optionGroup)) return err(b, it, KLASS.Option, 'E4043', [refKey(it.obj.optionGroup) ?? null, c.ruleName], 'optionGroup');
      irrelevant(it, c, ['option', 'programStage', 'programStageSection'], 'HIDEOPTIONGROUP');
    },
    assign(it, c) {
      const content = it.obj.content;
      if (!hasRef(it.obj.dataElement) && !hasRef(it.obj.trackedEntityAttribute) && !(typeof content === 'string' && content !== '')) {
        err(b, it, KLASS.ProgramRuleAction, 'E4050', [c.ruleName]);
      }
    },
    base(it, c) {
      base(it, c);
    },
    scheduleEvent(it, c) {
      const stageUid = refUid(b, 'programStages', it.obj.programStage);
      const stage = preheated(b, 'programStages', stageUid);
      if (!stage || !stageUid) return err(b, it, KLASS.ProgramStage, 'E4038', [c.ruleUid], 'programStage');
      if (c.program.programType !== 'WITH_REGISTRATION') return err(b, it, KLASS.Program, 'E4083', [c.ruleUid]);
      if (refKey(stage.program) !== c.programUid) err(b, it, KLASS.ProgramStage, 'E4084', [stageUid, c.programUid], 'programStage');
    },
    hideOption(it, c) {
      if (!base(it, c)) return;
      if (!hasRef(it.obj.option)) return err(b, it, KLASS.Option, 'E4040', [c.ruleName], 'option');
      if (!refUid(b, 'options', it.obj.option)) return err(b, it, KLASS.Option, 'E4041', [refKey(it.obj.option) ?? null, c.ruleName], 'option');
      irrelevant(it, c, ['programStage', 'optionGroup', 'programStageSection'], 'HIDEOPTION');
    },
    hideSection(it, c) {
      if (!hasRef(it.obj.programStageSection)) return err(b, it, KLASS.ProgramStageSection, 'E4036', [c.ruleName], 'programStageSection');
      if (!refUid(b, 'programStageSections', it.obj.programStageSection)) {
        return err(b, it, KLASS.ProgramStageSection, 'E4037', [refKey(it.obj.programStageSection) ?? null, c.ruleName], 'programStageSection');
      }
      irrelevant(it, c, ['dataElement', 'option', 'optionGroup', 'programStage'], 'HIDESECTION');
    },
    hideProgramStage(it, c) {
      if (!hasRef(it.obj.programStage)) return err(b, it, KLASS.ProgramStage, 'E4038', [c.ruleName], 'programStage');
      if (!refUid(b, 'programStages', it.obj.programStage)) return err(b, it, KLASS.ProgramStage, 'E4039', [refKey(it.obj.programStage) ?? null, c.ruleName], 'programStage');
      irrelevant(it, c, ['dataElement', 'option', 'optionGroup', 'programStageSection'], 'HIDEPROGRAMSTAGE');
    },
  };
  const byType: Record<string, (it: Item, c: Ctx) => void> = {
    SENDMESSAGE: validators.notification!, SCHEDULEMESSAGE: validators.notification!,
    SHOWOPTIONGROUP: validators.optionGroup!, HIDEOPTIONGROUP: validators.optionGroup!,
    ASSIGN: validators.assign!, CREATEEVENT: validators.base!, HIDEFIELD: validators.base!, SETMANDATORYFIELD: validators.base!,
    SCHEDULEEVENT: validators.scheduleEvent!, HIDEOPTION: validators.hideOption!, HIDESECTION: validators.hideSection!,
    HIDEPROGRAMSTAGE: validators.hideProgramStage!,
  };

  for (const it of live) {
    const validate = byType[String(it.obj.programRuleActionType)];
    if (!validate) continue; // DISPLAYTEXT, DISPLAYKEYVALUEPAIR, WARNINGONCOMPLETE, ERRORONCOMPLETE, SHOWWARNING, SHOWERROR: always valid
    const ruleUid = refUid(b, 'programRules', it.obj.programRule);
    const rule = preheated(b, 'programRules', ruleUid);
    const programUid = rule ? refUid(b, 'programs', rule.program) : null;
    const program = preheated(b, 'programs', programUid);
    if (!rule || !ruleUid || !program || !programUid) continue; // DHIS2 fails the whole import on these (no rule or no program)
    validate(it, { rule, ruleUid, ruleName: typeof rule.name === 'string' ? rule.name : null, program, programUid });
  }
}

/** Program rule variables, rules, then actions (import order). */
export const programRulesCheck: MetadataCheck = {
  name: 'ProgramRulesCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    programRuleVariablesHook(b);
    programRulesHook(b);
    programRuleActionsHook(b);
  },
};
