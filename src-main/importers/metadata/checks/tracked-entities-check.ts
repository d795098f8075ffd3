/**
 * Tracked entity attributes, tracked entity types and relationship types (dhis2-core
 * TrackedEntityAttributeObjectBundleHook, TrackedEntityTypeObjectBundleHook, RelationshipTypeObjectBundleHook):
 *  - attributes: E4010 `generated` on a value type other than TEXT; E4088 blocked search operators that cannot be
 *    blocked; E4081 a preferred search operator tracker does not support; E4082 a preferred operator that is blocked.
 *    E4019 a generated attribute's pattern or a field mask DHIS2's TextPattern parser refuses, E4021 a pattern without
 *    exactly one generated segment, E4022 a pattern that does not fit the value type.
 *  - tracked entity types: E5001 an attribute of the type that is not found (class TrackedEntityAttribute).
 *  - relationship types: E4000 no `leftConstraint`/`rightConstraint` (from/to), then per constraint by its entity:
 *    E4023 a property that entity does not use, E4024 one it needs, E4314 tracker data view attributes or data
 *    elements that are not part of the type / program / stage. As in DHIS2, E4314 looks at the STORED tracked entity
 *    type, program and stage only (objects of the same payload are not stored yet when DHIS2 validates).
 */
import type { Bundle, Item } from '../bundle.ts';
import { describe, isObj } from '../objects.ts';
import type { Obj } from '../types.ts';
import type { MetadataCheck } from './check.ts';
import { WRITE_STRATEGIES } from './check.ts';
import { isTextSegment, parseTextPattern, patternFitsValueType, TextPatternError } from './text-pattern.ts';
import { fmt, hookError, javaList, klassOf, refKey, refUid, stored } from './hook-support.ts';

const M = {
  E4010: 'Attribute `{0}` is not supported for type `{1}`',
  E4019: 'Failed to parse pattern `{0}` {1}',
  E4021: 'ID-pattern is required to have 1 generated segment (RANDOM or SEQUENTIAL)',
  E4022: 'Pattern `{0}` does not conform to the value type `{1}`',
  E4088: 'The operator(s) `{0}` cannot be blocked. The following operators cannot be blocked: `{1}`.',
  E4081: 'The preferred search operator `{0}` provided for the tracked entity attribute `{1}` is not part of the supported tracker operators `{2}`',
  E4082: 'The preferred search operator `{0}` is blocked for the selected tracked entity attribute `{1}`',
  E5001: 'No matching object for reference. Identifier was {0}, and object was {1}.',
  E4000: 'Missing required property `{0}`',
  E4023: 'Property `{0}` can not be set when property `{1}` is `{2}`',
  E4024: 'Property `{0}` must be set when property `{1}` is `{2}`',
  E4314: 'Provided `{0}`: (`{1}`) are not part of the selected `{2}`',
} as const;
type Code = keyof typeof M;

/** QueryOperator, in declaration order (EnumSet order). */
const NON_BLOCKABLE = ['EQ', 'GT', 'GE', 'LT', 'LE', 'IN', 'NULL', 'NNULL'];
const TRACKER_OPERATORS = ['EQ', 'GT', 'GE', 'LT', 'LE', 'LIKE', 'IN', 'SW', 'EW', 'NULL', 'NNULL'];

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function err(b: Bundle, it: Item, klass: string, code: Code, args: unknown[], prop?: string): void {
  hookError(b, it, klass, code, fmt(M[code], ...args), args, prop ? { errorProperty: prop } : {});
}

function trackedEntityAttributesHook(b: Bundle): void {
  const K = klassOf('trackedEntityAttributes');
  for (const it of b.live('trackedEntityAttributes')) {
    const o = it.obj;
    if (o.generated === true && o.valueType != null && o.valueType !== 'TEXT') err(b, it, K, 'E4010', ['generated', o.valueType], 'generated');
    if (o.generated === true) {
      const pattern = typeof o.pattern === 'string' ? o.pattern : null;
      try {
        const segments = parseTextPattern(pattern);
        if (segments.filter((x) => x.method === 'RANDOM' || x.method === 'SEQUENTIAL').length !== 1) err(b, it, K, 'E4021', [], 'pattern');
        if (o.valueType != null && !patternFitsValueType(segments, o.valueType)) err(b, it, K, 'E4022', [pattern, o.valueType], 'pattern');
      } catch (e) {
        if (!(e instanceof TextPatternError)) throw e;
        err(b, it, K, 'E4019', [pattern, e.message], 'pattern');
      }
    }
    if (typeof o.fieldMask === 'string' && !isTextSegment(o.fieldMask)) err(b, it, K, 'E4019', [o.fieldMask, "Not a valid TextPattern 'TEXT' segment."], 'fieldMask');
    const blocked = strings(o.blockedSearchOperators);
    const notBlockable = NON_BLOCKABLE.filter((x) => blocked.includes(x));
    if (notBlockable.length) err(b, it, K, 'E4088', [javaList(notBlockable), javaList(NON_BLOCKABLE)], 'blockedSearchOperators');
    const preferred = typeof o.preferredSearchOperator === 'string' ? o.preferredSearchOperator : null;
    if (preferred == null) continue;
    if (!TRACKER_OPERATORS.includes(preferred)) err(b, it, K, 'E4081', [preferred, javaList(TRACKER_OPERATORS)], 'preferredSearchOperator');
    if (!notBlockable.length && blocked.includes(preferred)) err(b, it, K, 'E4082', [preferred, o.id], 'preferredSearchOperator');
  }
}

function trackedEntityTypesHook(b: Bundle): void {
  const K = klassOf('trackedEntityAttributes');
  for (const it of b.live('trackedEntityTypes')) {
    const teas = Array.isArray(it.obj.trackedEntityTypeAttributes) ? it.obj.trackedEntityTypeAttributes : [];
    for (const t of teas) {
      if (!isObj(t) || !isObj(t.trackedEntityAttribute)) continue;
      if (refUid(b, 'trackedEntityAttributes', t.trackedEntityAttribute)) continue;
      const ref = t.trackedEntityAttribute;
      const d = describe('trackedEntityAttributes', ref);
      hookError(b, it, K, 'E5001', fmt(M.E5001, b.opts.identifier, d), [b.opts.identifier, d], {
        errorProperty: 'id', mainId: refKey(ref), value: refKey(ref),
      });
    }
  }
}

function relationshipTypesHook(b: Bundle): void {
  const RT = klassOf('relationshipTypes');
  const RC = 'org.hisp.dhis.relationship.RelationshipConstraint';
  const storedUids = (o: Obj | null, path: (x: Obj) => unknown[]): Set<string> => new Set(o ? path(o).map((x) => refKey(x)).filter((u): u is string => !!u) : []);
  const teaOfType = (x: Obj): unknown[] => (Array.isArray(x.trackedEntityTypeAttributes) ? x.trackedEntityTypeAttributes.map((t) => (isObj(t) ? t.trackedEntityAttribute : null)) : []);
  const teaOfProgram = (x: Obj): unknown[] => (Array.isArray(x.programTrackedEntityAttributes) ? x.programTrackedEntityAttributes.map((t) => (isObj(t) ? t.trackedEntityAttribute : null)) : []);
  const deOfStage = (x: Obj): unknown[] => (Array.isArray(x.programStageDataElements) ? x.programStageDataElements.map((t) => (isObj(t) ? t.dataElement : null)) : []);
  const storedRef = (type: string, v: unknown): Obj | null => {
    const u = refKey(v);
    return u ? stored(b, type, u) : null;
  };

  const constraint = (it: Item, c: Obj): void => {
    const view = isObj(c.trackerDataView) ? c.trackerDataView : null;
    const viewAttrs = strings(view?.attributes);
    const viewDes = strings(view?.dataElements);
    const e = (code: Code, args: unknown[]): void => err(b, it, RC, code, args);
    switch (c.relationshipEntity) {
      case 'TRACKED_ENTITY_INSTANCE': {
        if (isObj(c.programStage)) e('E4023', ['programStage', 'relationshipEntity', 'TRACKED_ENTITY_INSTANCE']);
        if (!isObj(c.trackedEntityType)) {
          e('E4024', ['trackedEntityType', 'relationshipEntity', 'TRACKED_ENTITY_INSTANCE']);
          break;
        }
        const ids = storedUids(storedRef('trackedEntityTypes', c.trackedEntityType), teaOfType);
        for (const u of storedUids(isObj(c.program) ? storedRef('programs', c.program) : null, teaOfProgram)) ids.add(u);
        const notPart = viewAttrs.filter((a) => !ids.has(a));
        if (viewAttrs.length && notPart.length) e('E4314', ['TrackedEntityAttributes', notPart.join(','), 'TrackedEntityType/Program']);
        if (viewDes.length) e('E4023', ['dataElement', 'relationshipEntity', 'TrackedEntityType']);
        break;
      }
      case 'PROGRAM_INSTANCE': {
        if (isObj(c.trackedEntityType)) e('E4023', ['trackedEntityType', 'relationshipEntity', 'PROGRAM_INSTANCE']);
        if (isObj(c.programStage)) e('E4023', ['programStage', 'relationshipEntity', 'PROGRAM_INSTANCE']);
        if (!isObj(c.program)) e('E4024', ['program', 'relationshipEntity', 'PROGRAM_INSTANCE']);
        else {
          const p = storedRef('programs', c.program);
          const ids = p && p.programType === 'WITH_REGISTRATION' ? storedUids(p, teaOfProgram) : new Set<string>();
          const notPart = viewAttrs.filter((a) => !ids.has(a));
          if (viewAttrs.length && notPart.length) e('E4314', ['TrackedEntityAttributes', notPart.join(','), 'program']);
        }
        if (viewDes.length) e('E4023', ['dataElement', 'relationshipEntity', 'PROGRAM_INSTANCE']);
        break;
      }
      case 'PROGRAM_STAGE_INSTANCE': {
        if (isObj(c.trackedEntityType)) e('E4023', ['trackedEntityType', 'relationshipEntity', 'PROGRAM_STAGE_INSTANCE']);
        if (!isObj(c.programStage)) e('E4024', ['programStage', 'relationshipEntity', 'PROGRAM_STAGE_INSTANCE']);
        const des = storedUids(isObj(c.programStage) ? storedRef('programStages', c.programStage) : null, deOfStage);
        const teas = storedUids(isObj(c.program) ? storedRef('programs', c.program) : null, teaOfProgram);
        const deNotPart = viewDes.filter((d) => !des.has(d));
        if (viewDes.length && deNotPart.length) e('E4314', ['dataElement', deNotPart.join(','), 'programStage']);
        const teaNotPart = viewAttrs.filter((a) => !teas.has(a));
        if (viewAttrs.length && teaNotPart.length) e('E4314', ['TrackedEntityAttribute', teaNotPart.join(','), 'program']);
        break;
      }
      default:
        break;
    }
  };

  for (const it of b.live('relationshipTypes')) {
    const from = it.obj.fromConstraint;
    const to = it.obj.toConstraint;
    if (!isObj(from)) err(b, it, RT, 'E4000', ['leftConstraint'], 'fromConstraint');
    else constraint(it, from);
    if (!isObj(to)) err(b, it, RT, 'E4000', ['rightConstraint'], 'toConstraint');
    else constraint(it, to);
  }
}

/** Tracked entity types, attributes, then relationship types (import order). */
export const trackedEntitiesCheck: MetadataCheck = {
  name: 'TrackedEntitiesCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    trackedEntityTypesHook(b);
    trackedEntityAttributesHook(b);
    relationshipTypesHook(b);
  },
};
