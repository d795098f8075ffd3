/**
 * Program rules, pure: compiling (server action types only, priority order), the variable sources and environment
 * variables of a target, rule failures as DHIS2's error effects, and the effects turned into DHIS2's issues by the
 * event and enrollment executors (codes, arguments, ASSIGN, SETMANDATORYFIELD, ON_COMPLETE).
 */
import { describe, expect, it } from 'vitest';
import {
  compileProgramRules, enrollmentIssues, evaluateRules, eventIssues, ruleValueType, sameValue, type FieldInfo, type RawRule, type RawVariable, type RuleEffect,
  type RuleEvent,
} from '../../../../src-main/importers/events/rules/executor.ts';
import { validatesValues } from '../../../../src-main/importers/events/rules/runner.ts';

const FIELDS: Record<string, { valueType: string; optionNames: Map<string, string> | null; optionCodes: Set<string> | null }> = {
  DeWeight001: { valueType: 'NUMBER', optionNames: null, optionCodes: null },
  DeHeight001: { valueType: 'NUMBER', optionNames: null, optionCodes: null },
  DeSex000001: { valueType: 'TEXT', optionNames: new Map([['MALE', 'Male'], ['FEMALE', 'Female']]), optionCodes: new Set(['MALE', 'FEMALE']) },
  DeNote00001: { valueType: 'LONG_TEXT', optionNames: null, optionCodes: null },
  TeaAge00001: { valueType: 'INTEGER_ZERO_OR_POSITIVE', optionNames: null, optionCodes: null },
  TeaName0001: { valueType: 'TEXT', optionNames: null, optionCodes: null },
};
const fields: FieldInfo = (uid) => FIELDS[uid];

const rule = (uid: string, condition: string, actions: RawRule['actions'], over: Partial<RawRule> = {}): RawRule => ({ uid, name: `Rule ${uid}`, condition, actions, ...over });
const variable = (name: string, sourceType: string, over: Partial<RawVariable> = {}): RawVariable => ({ uid: `V${name}`, name, sourceType, ...over });

const event = (uid: string, date: string, values: Record<string, string>, over: Partial<RuleEvent> = {}): RuleEvent => ({
  uid, stage: 'StageA00001', status: 'ACTIVE', eventDate: date, values: new Map(Object.entries(values)), ...over,
});
const ENV = { today: '2024-06-01', programName: 'ANC', constants: new Map<string, number>() };

describe('compileProgramRules', () => {
  it('keeps server action types only, drops rules without one, orders by priority (none last, ties as stored)', () => {
    const pr = compileProgramRules(
      [
        rule('RuleNoPrio1', 'true', [{ uid: 'a1', type: 'SHOWWARNING', content: 'no priority' }]),
        rule('RuleHide001', 'true', [{ uid: 'a2', type: 'HIDEFIELD', dataElement: 'DeWeight001' }]),
        rule('RulePrio002', 'true', [{ uid: 'a3', type: 'SHOWWARNING', content: 'two' }, { uid: 'a4', type: 'DISPLAYTEXT', content: 'x' }], { priority: 2 }),
        rule('RulePrio001', 'true', [{ uid: 'a5', type: 'SHOWERROR', content: 'one' }], { priority: 1 }),
        rule('RuleNoPrio2', 'true', [{ uid: 'a6', type: 'SETMANDATORYFIELD', dataElement: 'DeWeight001' }]),
      ],
      [],
      fields,
    );
    expect(pr.rules.map((r) => r.uid)).toEqual(['RulePrio001', 'RulePrio002', 'RuleNoPrio1', 'RuleNoPrio2']);
    expect(pr.rules[1]!.actions.map((a) => a.type)).toEqual(['SHOWWARNING']);
  });

  it('types variables by their field (or own value type) and keeps syntax errors for evaluation', () => {
    const pr = compileProgramRules(
      [rule('RuleBad0001', '#{weight} >', [{ uid: 'a', type: 'SHOWERROR', content: 'x' }])],
      [
        variable('weight', 'DATAELEMENT_CURRENT_EVENT', { dataElement: 'DeWeight001' }),
        variable('sex', 'DATAELEMENT_CURRENT_EVENT', { dataElement: 'DeSex000001' }),
        variable('sexCode', 'DATAELEMENT_CURRENT_EVENT', { dataElement: 'DeSex000001', useCodeForOptionSet: true }),
        variable('calc', 'CALCULATED_VALUE', { valueType: 'BOOLEAN' }),
        variable('age', 'TEI_ATTRIBUTE', { attribute: 'TeaAge00001' }),
      ],
      fields,
    );
    expect(pr.variables.map((v) => [v.name, v.type, v.optionNames ? 'names' : 'codes'])).toEqual([
      ['weight', 'NUMERIC', 'codes'], ['sex', 'TEXT', 'names'], ['sexCode', 'TEXT', 'codes'], ['calc', 'BOOLEAN', 'codes'], ['age', 'NUMERIC', 'codes'],
    ]);
    expect(pr.rules[0]!.condition.error).toMatch(/unexpected end/);
    expect(ruleValueType('TRUE_ONLY')).toBe('BOOLEAN');
    expect(ruleValueType('AGE')).toBe('DATE');
    expect(ruleValueType('PHONE_NUMBER')).toBe('TEXT');
  });
});

describe('evaluateRules', () => {
  const vars = [
    variable('current', 'DATAELEMENT_CURRENT_EVENT', { dataElement: 'DeWeight001' }),
    variable('newest', 'DATAELEMENT_NEWEST_EVENT_PROGRAM', { dataElement: 'DeWeight001' }),
    variable('newestB', 'DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE', { dataElement: 'DeWeight001', programStage: 'StageB00001' }),
    variable('previous', 'DATAELEMENT_PREVIOUS_EVENT', { dataElement: 'DeWeight001' }),
    variable('sex', 'DATAELEMENT_CURRENT_EVENT', { dataElement: 'DeSex000001' }),
    variable('age', 'TEI_ATTRIBUTE', { attribute: 'TeaAge00001' }),
    variable('bmi', 'CALCULATED_VALUE', { valueType: 'NUMBER' }),
  ];
  const show = (uid: string, data: string): RawRule => rule(uid, 'true', [{ uid: `a${uid}`, type: 'SHOWWARNING', content: uid, data }]);
  const target = () => ({
    kind: 'EVENT' as const,
    event: event('EvCurrent01', '2024-03-01T00:00:00.000', { DeWeight001: '60', DeSex000001: 'FEMALE' }),
    others: [
      event('EvOlder0001', '2024-01-01', { DeWeight001: '55' }),
      event('EvNewer0001', '2024-05-01', { DeWeight001: '64' }, { stage: 'StageB00001' }),
      event('EvFeb000001', '2024-02-01', { DeWeight001: '58' }),
    ],
    enrollment: { uid: 'EnAnc000001', status: 'ACTIVE', enrolledAt: '2024-01-01', occurredAt: '2023-12-20', orgUnit: 'OuClinic001', attributes: new Map([['TeaAge00001', '27']]) },
  });

  it('gives each variable source its value: current event, newest of program and stage, previous, attribute, option names', () => {
    const pr = compileProgramRules(
      [
        show('R1', "d2:concatenate(#{current}, '|', #{newest}, '|', #{newestB}, '|', #{previous}, '|', #{sex}, '|', A{age})"),
        show('R2', "d2:concatenate(d2:count(#{newest}), '|', d2:lastEventDate(#{newest}), '|', d2:maxValue(#{previous}))"),
      ],
      vars,
      fields,
    );
    const effects = evaluateRules(target(), pr, ENV);
    expect(effects.map((e) => e.data)).toEqual(['60|64|64|58|Female|27', '4|2024-05-01|64']);
  });

  it('environment variables of an event target', () => {
    const pr = compileProgramRules(
      [show('R1', "d2:concatenate(V{event_date}, '|', V{event_count}, '|', V{enrollment_date}, '|', V{incident_date}, '|', V{current_date}, '|', V{event_id}, '|', V{program_name}, '|', V{org_unit}, '|', V{environment})")],
      vars,
      fields,
    );
    const t = target();
    t.event.orgUnit = 'OuClinic002';
    expect(evaluateRules(t, pr, ENV)[0]!.data).toBe('2024-03-01|4|2024-01-01|2023-12-20|2024-06-01|EvCurrent01|ANC|OuClinic002|Server');
  });

  it('an ASSIGN to a calculated variable changes it for the rules after it (priority order); an ASSIGN to a field is an effect', () => {
    const pr = compileProgramRules(
      [
        rule('RuleUse0001', '#{bmi} > 20', [{ uid: 'u', type: 'SHOWWARNING', content: 'high bmi', data: '#{bmi}' }], { priority: 2 }),
        rule('RuleCalc001', 'd2:hasValue(#{current})', [{ uid: 'c', type: 'ASSIGN', content: '#{bmi}', data: '#{current} / 2.5' }], { priority: 1 }),
        rule('RuleSet0001', 'true', [{ uid: 's', type: 'ASSIGN', dataElement: 'DeNote00001', data: "'ok'" }], { priority: 3 }),
      ],
      vars,
      fields,
    );
    expect(evaluateRules(target(), pr, ENV)).toEqual([
      { rule: 'RuleUse0001', type: 'SHOWWARNING', field: null, fieldKind: null, content: 'high bmi', data: '24' },
      { rule: 'RuleSet0001', type: 'ASSIGN', field: 'DeNote00001', fieldKind: 'DATA_ELEMENT', content: '', data: 'ok' },
    ]);
  });

  it('rules of another stage are not run; a false or empty condition runs no action', () => {
    const pr = compileProgramRules(
      [
        rule('RuleStageB1', 'true', [{ uid: 'a', type: 'SHOWERROR', content: 'B' }], { programStage: 'StageB00001' }),
        rule('RuleFalse01', '#{current} > 100', [{ uid: 'b', type: 'SHOWERROR', content: 'heavy' }]),
        rule('RuleEmpty01', '', [{ uid: 'c', type: 'SHOWERROR', content: 'empty' }]),
      ],
      vars,
      fields,
    );
    expect(evaluateRules(target(), pr, ENV)).toEqual([]);
  });

  it('an event of a program without registration runs only the rules without a stage (DHIS2 2.42 selects them as for an enrollment)', () => {
    const pr = compileProgramRules(
      [
        rule('RuleStageA1', 'true', [{ uid: 'a', type: 'SHOWERROR', content: 'A' }], { programStage: 'StageA00001' }),
        rule('RuleAll0001', 'true', [{ uid: 'b', type: 'SHOWWARNING', content: 'all' }]),
      ],
      vars,
      fields,
    );
    expect(evaluateRules(target(), pr, ENV).map((e) => e.rule)).toEqual(['RuleStageA1', 'RuleAll0001']);
    expect(evaluateRules({ ...target(), others: [], enrollment: null, programEvent: true }, pr, ENV).map((e) => e.rule)).toEqual(['RuleAll0001']);
  });

  it('a rule that does not parse or fails is an error effect with the rule engine message; the other rules still run', () => {
    const pr = compileProgramRules(
      [
        rule('RuleBad0001', '#{current} >', [{ uid: 'a', type: 'SHOWERROR', content: 'x' }]),
        rule('RuleUnknown', '#{nosuch} > 1', [{ uid: 'b', type: 'SHOWERROR', content: 'y' }]),
        rule('RuleBadData', 'true', [{ uid: 'c', type: 'SHOWWARNING', content: 'z', data: 'd2:zScoreWFA(1,2,3)' }]),
        rule('RuleGood001', 'true', [{ uid: 'd', type: 'SHOWWARNING', content: 'fine' }]),
      ],
      vars,
      fields,
    );
    const effects = evaluateRules(target(), pr, ENV);
    expect(effects.map((e) => [e.rule, e.type, e.failed ?? false])).toEqual([
      ['RuleBad0001', 'ERROR', true], ['RuleUnknown', 'ERROR', true], ['RuleBadData', 'ERROR', true], ['RuleGood001', 'SHOWWARNING', false],
    ]);
    expect(effects[0]!.data).toBe('Rule Rule RuleBad0001 with id RuleBad0001 executed for EVENT(EvCurrent01) with condition (#{current} >) raised an error: unexpected end of expression');
    expect(effects[1]!.data).toMatch(/raised an error: unknown variable #\{nosuch\}$/);
    expect(effects[2]!.data).toMatch(/^Action RuleAction from rule Rule RuleBadData with id RuleBadData .* raised an error: function not supported: d2:zScoreWFA$/);
  });

  it('an enrollment target runs the rules without a stage, with its events, and skips actions on data elements', () => {
    const pr = compileProgramRules(
      [
        rule('RuleEnr0001', 'A{age} < 18', [
          { uid: 'a', type: 'SHOWWARNING', content: 'minor', data: "d2:concatenate(V{enrollment_status}, ' ', V{event_count})" },
          { uid: 'b', type: 'SETMANDATORYFIELD', dataElement: 'DeWeight001' },
          { uid: 'c', type: 'SETMANDATORYFIELD', attribute: 'TeaName0001' },
        ]),
        rule('RuleStage01', 'true', [{ uid: 'd', type: 'SHOWERROR', content: 'stage' }], { programStage: 'StageA00001' }),
      ],
      vars,
      fields,
    );
    const effects = evaluateRules(
      { kind: 'ENROLLMENT', enrollment: { uid: 'EnKid000001', status: 'ACTIVE', enrolledAt: '2024-01-01', occurredAt: null, attributes: new Map([['TeaAge00001', '9']]) }, events: [event('E1', '2024-01-02', {})] },
      pr,
      ENV,
    );
    expect(effects.map((e) => [e.type, e.field, e.data])).toEqual([['SHOWWARNING', null, 'ACTIVE 1'], ['SETMANDATORYFIELD', 'TeaName0001', null]]);
  });
});

describe('eventIssues (DHIS2 event executors)', () => {
  const eff = (type: string, over: Partial<RuleEffect> = {}): RuleEffect => ({ rule: 'RuleUid0001', type, field: null, fieldKind: null, content: 'Message', data: null, ...over });
  const input = (over: Partial<Parameters<typeof eventIssues>[1]> = {}) => ({
    eventUid: 'EvUid000001', status: 'ACTIVE', validatesValues: true, stageDataElements: new Set(['DeWeight001', 'DeSex000001', 'DeHeight001']),
    payload: new Map<string, string | null>([['DeWeight001', '60']]), stored: new Set<string>(), fields, ...over,
  });

  it('SHOW* and *ONCOMPLETE: E1300 with content, data and field; errors before warnings; rule failures as warnings', () => {
    const effects = [
      eff('SHOWWARNING', { data: '42' }),
      eff('SHOWERROR', { field: 'DeWeight001' }),
      eff('ERRORONCOMPLETE'),
      eff('WARNINGONCOMPLETE'),
      eff('ERROR', { data: 'Rule x raised an error: y' }),
    ];
    expect(eventIssues(effects, input())).toEqual([
      { kind: 'error', code: 'E1300', args: ['RuleUid0001', 'Message (DeWeight001)'] },
      { kind: 'warning', code: 'E1300', args: ['RuleUid0001', 'Message 42'] },
      { kind: 'warning', code: 'E1300', args: ['RuleUid0001', 'Rule x raised an error: y'] },
    ]);
    expect(eventIssues(effects, input({ status: 'COMPLETED' })).map((i) => i.kind)).toEqual(['error', 'error', 'warning', 'warning', 'warning']);
  });

  it('nothing when the stage does not validate values yet; effects on a data element outside the stage dropped', () => {
    expect(eventIssues([eff('SHOWERROR')], input({ validatesValues: false }))).toEqual([]);
    expect(eventIssues([eff('SHOWERROR', { field: 'DeOther0001' })], input())).toEqual([]);
    expect(validatesValues('ACTIVE', 'ON_COMPLETE')).toBe(false);
    expect(validatesValues('COMPLETED', 'ON_COMPLETE')).toBe(true);
    expect(validatesValues('ACTIVE', 'ON_UPDATE_AND_INSERT')).toBe(true);
    expect(validatesValues('SCHEDULE', 'ON_UPDATE_AND_INSERT')).toBe(false);
  });

  it('SETMANDATORYFIELD: E1314 when the file removes the value, E1301 when neither the file nor the database has one', () => {
    const set = eff('SETMANDATORYFIELD', { field: 'DeSex000001' });
    expect(eventIssues([set], input())).toEqual([{ kind: 'error', code: 'E1301', args: ['RuleUid0001', 'DeSex000001'] }]);
    expect(eventIssues([set], input({ stored: new Set(['DeSex000001']) }))).toEqual([]);
    expect(eventIssues([set], input({ payload: new Map([['DeSex000001', null]]) }))).toEqual([{ kind: 'error', code: 'E1314', args: ['RuleUid0001', 'DeSex000001'] }]);
    expect(eventIssues([set], input({ payload: new Map([['DeSex000001', 'MALE']]) }))).toEqual([]);
  });

  it('ASSIGN: written with E1308 when the file has no value or the same one (numbers compared as numbers), else E1307', () => {
    const x = input();
    expect(eventIssues([eff('ASSIGN', { field: 'DeHeight001', data: '170' })], x)).toEqual([{ kind: 'warning', code: 'E1308', args: ['RuleUid0001', 'DeHeight001', 'EvUid000001'] }]);
    expect(x.payload.get('DeHeight001')).toBe('170');
    const same = input();
    expect(eventIssues([eff('ASSIGN', { field: 'DeWeight001', data: '60.0' })], same).map((i) => i.code)).toEqual(['E1308']);
    expect(same.payload.get('DeWeight001')).toBe('60.0');
    const other = input();
    expect(eventIssues([eff('ASSIGN', { field: 'DeWeight001', data: '61' })], other)).toEqual([{ kind: 'error', code: 'E1307', args: ['RuleUid0001', 'DeWeight001', '61'] }]);
    expect(other.payload.get('DeWeight001')).toBe('60');
    const overwrite = input({ overwrite: true });
    expect(eventIssues([eff('ASSIGN', { field: 'DeWeight001', data: '61' })], overwrite).map((i) => i.code)).toEqual(['E1308']);
    expect(overwrite.payload.get('DeWeight001')).toBe('61');
    expect(sameValue('1', '1.00', 'INTEGER')).toBe(true);
    expect(sameValue('1', '1.00', 'TEXT')).toBe(false);
  });

  it('ASSIGN of a value outside the option set: E1308 when the file has none, E1307 with an empty value when it has one', () => {
    expect(eventIssues([eff('ASSIGN', { field: 'DeSex000001', data: 'Female' })], input()).map((i) => i.code)).toEqual(['E1308']);
    const given = input({ payload: new Map([['DeSex000001', 'MALE']]) });
    expect(eventIssues([eff('ASSIGN', { field: 'DeSex000001', data: 'Female' })], given)).toEqual([{ kind: 'error', code: 'E1307', args: ['RuleUid0001', 'DeSex000001', ''] }]);
  });
});

describe('enrollmentIssues (DHIS2 enrollment executors)', () => {
  const eff = (type: string, over: Partial<RuleEffect> = {}): RuleEffect => ({ rule: 'RuleUid0002', type, field: null, fieldKind: null, content: 'Check', data: null, ...over });
  const input = (over: Partial<Parameters<typeof enrollmentIssues>[1]> = {}) => ({
    status: 'ACTIVE', trackedEntityUid: 'TePerson001', payload: new Map<string, string | null>([['TeaAge00001', '27']]), teAttributes: new Set<string>(), fields, ...over,
  });

  it('SETMANDATORYFIELD: E1306 when neither the enrollment nor the tracked entity has the attribute, E1317 when the enrollment empties it', () => {
    const set = eff('SETMANDATORYFIELD', { field: 'TeaName0001' });
    expect(enrollmentIssues([set], input())).toEqual([{ kind: 'error', code: 'E1306', args: ['RuleUid0002', 'TeaName0001'] }]);
    expect(enrollmentIssues([set], input({ teAttributes: new Set(['TeaName0001']) }))).toEqual([]);
    expect(enrollmentIssues([set], input({ payload: new Map([['TeaName0001', null]]) }))).toEqual([{ kind: 'error', code: 'E1317', args: ['RuleUid0002', 'TeaName0001'] }]);
  });

  it('ASSIGN: E1310 and the value set when the enrollment has none or the same, else E1309; ERRORONCOMPLETE only when COMPLETED', () => {
    const x = input();
    expect(enrollmentIssues([eff('ASSIGN', { field: 'TeaName0001', data: 'Amina' })], x)).toEqual([{ kind: 'warning', code: 'E1310', args: ['RuleUid0002', 'TeaName0001', 'TePerson001'] }]);
    expect(x.payload.get('TeaName0001')).toBe('Amina');
    expect(enrollmentIssues([eff('ASSIGN', { field: 'TeaAge00001', data: '28' })], input())).toEqual([{ kind: 'error', code: 'E1309', args: ['RuleUid0002', 'TeaAge00001', '28'] }]);
    expect(enrollmentIssues([eff('ERRORONCOMPLETE')], input())).toEqual([]);
    expect(enrollmentIssues([eff('ERRORONCOMPLETE')], input({ status: 'COMPLETED' }))).toEqual([{ kind: 'error', code: 'E1300', args: ['RuleUid0002', 'Check'] }]);
  });
});
