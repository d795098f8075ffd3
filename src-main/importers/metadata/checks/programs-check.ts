/**
 * Programs and program stages (dhis2-core ProgramObjectBundleHook, ProgramStageObjectBundleHook):
 *  - programs: E6022 a program that is its own related program; E4023 a related program on an event program
 *    (WITHOUT_REGISTRATION); category mappings: E4075 a mapping id that is not a uid, E4076 a mapping id given twice,
 *    E4077 a mapping name given twice for a category, E4080 an option mapping whose option id is not a uid, E4079 an
 *    option given twice in one mapping. (E3012, attributes the user may not read, is a server sharing rule.)
 *  - program stages: E6001 a next-schedule-date data element that is not one of the stage's data elements, not
 *    found, or not of value type DATE; E4053 a stage without a program that no program of the payload lists.
 *    (E3012 on data elements is a server sharing rule.)
 */
import { isValidUid } from '../../../../src-shared/dhis2/uid.ts';
import { isObj, str } from '../objects.ts';
import type { Bundle } from '../bundle.ts';
import type { MetadataCheck } from './check.ts';
import { WRITE_STRATEGIES } from './check.ts';
import { fmt, preheated, hookError, klassOf, refKey, refUid } from './hook-support.ts';

const M = {
  E6022: 'Object cannot reference itself by property `{0}`',
  E4023: 'Property `{0}` can not be set when property `{1}` is `{2}`',
  E4075: 'Program `{0}` has an invalid category mapping `{1}`',
  E4076: 'Program `{0}` has duplicate category mapping `{1}`',
  E4077: 'Program `{0}` category `{1}` has duplicate category mapping name `{2}`',
  E4079: 'Program `{0}` category mapping `{1}` has multiple option mappings for Category Option `{2}`',
  E4080: 'Program `{0}` category mapping `{1}` has an invalid option mapping `{1}`',
  E6001: 'Program stage `{0}` has invalid next event scheduling property `{1}`This property need to be data element of value type date and belong the program stage',
  E4053: 'Program stage `{0}` must reference a program',
} as const;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asText = (v: unknown): string | null => (v == null ? null : String(v));

function programsHook(b: Bundle): void {
  const K = klassOf('programs');
  for (const it of b.live('programs')) {
    const o = it.obj;
    const uid = o.id as string;
    const err = (code: keyof typeof M, args: unknown[], prop?: string): void =>
      hookError(b, it, K, code, fmt(M[code], ...args), args, prop ? { errorProperty: prop } : {});
    if (isObj(o.relatedProgram)) {
      if (refKey(o.relatedProgram) === uid) err('E6022', ['relatedProgram'], 'relatedProgram');
      if (o.programType === 'WITHOUT_REGISTRATION') err('E4023', ['relatedProgram', 'programType', 'WITHOUT_REGISTRATION'], 'relatedProgram');
    }
    const mappings = list(o.categoryMappings).filter(isObj);
    const ids = new Set<string | null>();
    for (const m of mappings) {
      const id = asText(m.id);
      if (!isValidUid(id ?? '')) err('E4075', [uid, id], 'categoryMappings');
      if (ids.has(id)) err('E4076', [uid, id], 'categoryMappings');
      ids.add(id);
    }
    const names = new Set<string>();
    for (const m of mappings) {
      const k = `${asText(m.categoryId)}${asText(m.mappingName)}`;
      if (names.has(k)) err('E4077', [uid, asText(m.categoryId), asText(m.mappingName)], 'categoryMappings');
      names.add(k);
    }
    for (const m of mappings) {
      const seen = new Set<string | null>();
      for (const om of list(m.optionMappings).filter(isObj)) {
        const optionId = asText(om.optionId);
        if (!isValidUid(optionId ?? '')) err('E4080', [uid, asText(m.id), optionId], 'categoryMappings');
        if (seen.has(optionId)) err('E4079', [uid, asText(m.id), optionId], 'categoryMappings');
        seen.add(optionId);
      }
    }
  }
}

function programStagesHook(b: Bundle): void {
  const K = klassOf('programStages');
  let listed: Set<string> | null = null;
  for (const it of b.live('programStages')) {
    const o = it.obj;
    const uid = o.id as string;
    if (isObj(o.nextScheduleDate)) {
      const nsd = refKey(o.nextScheduleDate) ?? null;
      const de = preheated(b, 'dataElements', refUid(b, 'dataElements', o.nextScheduleDate));
      const stageDes = list(o.programStageDataElements).filter(isObj).map((p) => refKey(p.dataElement));
      if (!stageDes.includes(nsd ?? undefined) || !de || de.valueType !== 'DATE') {
        hookError(b, it, K, 'E6001', fmt(M.E6001, uid, nsd), [uid, nsd], { errorProperty: 'nextScheduleDate', value: nsd ?? undefined });
      }
    }
    if (!isObj(o.program)) {
      listed ??= new Set(b.byType.get('programs')?.flatMap((p) => list(p.obj.programStages).map((s) => (isObj(s) ? str(s.id) : undefined)).filter((s): s is string => !!s)) ?? []);
      if (!listed.has(uid)) hookError(b, it, K, 'E4053', fmt(M.E4053, uid), [uid], { errorProperty: 'program' });
    }
  }
}

/** Programs, then program stages (import order). */
export const programsCheck: MetadataCheck = {
  name: 'ProgramsCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    programsHook(b);
    programStagesHook(b);
  },
};
