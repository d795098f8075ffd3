/**
 * SchemaCheck — DHIS2's DefaultSchemaValidator on the object and on its embedded objects: E4000 (required property
 * missing), E4001 (string longer than its column; no other string check of that property then), E4002 (string length
 * outside the property's range), E4003 (EMAIL property not an e-mail address), E4006 (COLOR property not a hex
 * colour), E4007 (collection size outside its range), E4008 (number outside its range). Empty strings are not checked
 * (as DHIS2). An object with any of these errors is removed once all are reported.
 * Ranges and property types: src-shared/dhis2/schema/property-rules.ts. Embedded objects' new codes name the bare
 * property and the parent's class, as EmbeddedObjectObjectBundleHook reports them.
 */
import type { Bundle, Item } from '../bundle.ts';
import { isObj, listOf, shapeOf } from '../objects.ts';
import { IDENTIFIABLE_RULES, PROPERTY_RULES, type PropertyRules, type RangeRule } from '../../../../src-shared/dhis2/schema/property-rules.ts';
import type { Obj } from '../types.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';
import { isEmail } from '../../../../src-shared/dhis2/value-types.ts';

/** A number as Java's MessageFormat prints it (NumberFormat, en: grouping, at most 3 decimals). */
const NUMBER_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const fmt = (n: number): string => NUMBER_FORMAT.format(n);

/** Java's Double.toString (the report's args hold it for the ranges, which DHIS2 keeps as doubles). */
export function javaDouble(n: number): string {
  const a = Math.abs(n);
  if (a === 0 || (a >= 1e-3 && a < 1e7)) return Number.isInteger(n) ? `${n}.0` : String(n);
  const [m = '', e = '0'] = n.toExponential().split('e');
  return `${m.includes('.') ? m : m + '.0'}E${Number(e)}`;
}

/** ValidationUtils.isValidHexColor */
export const isHexColor = (v: string): boolean => /^#?([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$/.test(v);

function lengthReport(b: Bundle, it: Item, prop: string, v: string, max: number): void {
  b.error(it, 'E4001', `Maximum length of property \`${prop}\`is ${max}, but given length was ${v.length}`, {
    errorProperty: prop, args: [prop, String(max), String(v.length)], value: v.length > 60 ? v.slice(0, 57) + '...' : v,
  }, false);
}

function rangeReport(b: Bundle, it: Item, code: string, prop: string, r: RangeRule, given: string, argGiven: string): void {
  const what = code === 'E4002' ? 'Allowed length range for property' : code === 'E4007' ? 'Allowed size range for collection property' : 'Allowed range for numeric property';
  const tail = code === 'E4002' ? 'given length was' : code === 'E4007' ? 'size given was' : 'number given was';
  b.error(it, code, `${what} \`${prop}\` is [${fmt(r.min)} to ${fmt(r.max)}], but ${tail} ${given}`, {
    errorProperty: prop, args: [prop, javaDouble(r.min), javaDouble(r.max), argGiven],
  }, false);
}

/**
 * The checks beyond E4000/E4001 of one object (or embedded object: reported on its parent, whose class DHIS2 names)
 * against its rules, in DefaultSchemaValidator's order.
 */
function checkRules(b: Bundle, it: Item, o: Obj, rules: PropertyRules, maxLengths: Record<string, number>, props: readonly string[]): void {
  for (const p of props) {
    const v = o[p];
    if (v == null) continue;
    const r = rules.ranges?.[p];
    if (typeof v === 'string') {
      if (v === '') continue;
      const max = maxLengths[p];
      if (max !== undefined && v.length > max) continue; // E4001 reported: DHIS2 checks nothing else of the string
      if (r && (v.length < r.min || v.length > r.max)) rangeReport(b, it, 'E4002', p, r, String(v.length), String(v.length));
      if (rules.emails?.includes(p) && !isEmail(v)) {
        b.error(it, 'E4003', `Property \`${p}\` requires a valid email address, was given \`${v}\``, { errorProperty: p, args: [p, v], value: v }, false);
      } else if (rules.colors?.includes(p) && !isHexColor(v)) {
        b.error(it, 'E4006', `Property \`${p}\` requires a valid HEX color, was given \`${v}\``, { errorProperty: p, args: [p, v], value: v }, false);
      }
    } else if (Array.isArray(v)) {
      if (r && (v.length < r.min || v.length > r.max)) rangeReport(b, it, 'E4007', p, r, String(v.length), String(v.length));
    } else if (typeof v === 'number') {
      if (r && (v < r.min || v > r.max)) rangeReport(b, it, 'E4008', p, r, fmt(v), r.int ? String(v) : javaDouble(v));
    }
  }
}

/** The properties a rule set checks beyond E4000/E4001 (ranges, e-mails, colours), each once. */
const ruleProps = (rules: PropertyRules): string[] => [...new Set([...Object.keys(rules.ranges ?? {}), ...(rules.emails ?? []), ...(rules.colors ?? [])])];

/** A type's rules, merged once per import (not per object: a 100,000-object payload allocated them 100,000 times). */
interface TypeRules {
  maxLengths: Record<string, number>;
  maxLengthEntries: [string, number][];
  rules: PropertyRules;
  props: string[];
  embedded: Map<string, { rules: PropertyRules | undefined; maxLengths: Record<string, number>; props: string[] }>;
}

function typeRulesOf(type: string, embeddedSpecs: Record<string, { maxLengths?: Record<string, number> }>): TypeRules {
  const typeRules = PROPERTY_RULES[type] ?? {};
  const maxLengths: Record<string, number> = { ...IDENTIFIABLE_RULES.maxLengths, ...typeRules.maxLengths, ...Object.fromEntries(shapeOf(type).maxLengths) };
  const rules: PropertyRules = { ...typeRules, ranges: { ...IDENTIFIABLE_RULES.ranges, ...typeRules.ranges } };
  const embedded = new Map<string, { rules: PropertyRules | undefined; maxLengths: Record<string, number>; props: string[] }>();
  for (const [p, e] of Object.entries(embeddedSpecs)) {
    const er = typeRules.embedded?.[p];
    embedded.set(p, { rules: er, maxLengths: { ...er?.maxLengths, ...e.maxLengths }, props: er ? ruleProps(er) : [] });
  }
  return { maxLengths, maxLengthEntries: Object.entries(maxLengths), rules, props: ruleProps(rules), embedded };
}

export const schemaCheck: MetadataCheck = {
  name: 'SchemaCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    const byType = new Map<string, TypeRules>();
    for (const it of b.live()) {
      for (const p of it.spec.required ?? []) {
        const v = it.obj[p];
        if (v === null || v === undefined) b.error(it, 'E4000', `Missing required property \`${p}\``, { errorProperty: p, args: [p] }, false);
      }
      let t = byType.get(it.type);
      if (!t) byType.set(it.type, (t = typeRulesOf(it.type, it.spec.embedded ?? {})));
      for (const [p, max] of t.maxLengthEntries) {
        const v = it.obj[p];
        if (typeof v === 'string' && v.length > max) lengthReport(b, it, p, v, max);
      }
      checkRules(b, it, it.obj, t.rules, t.maxLengths, t.props);
      for (const [p, e] of Object.entries(it.spec.embedded ?? {})) {
        const emb = t.embedded.get(p)!;
        const er = emb.rules;
        const eMax = emb.maxLengths;
        for (const x of listOf(it.obj[p])) {
          if (!isObj(x)) continue;
          for (const q of e.required ?? []) {
            if (x[q] == null) b.error(it, 'E4000', `Missing required property \`${p}.${q}\``, { errorProperty: `${p}.${q}`, args: [`${p}.${q}`] }, false);
          }
          for (const [q, max] of Object.entries(e.maxLengths ?? {})) {
            const v = x[q];
            if (typeof v === 'string' && v.length > max) lengthReport(b, it, `${p}.${q}`, v, max);
          }
          if (er) {
            for (const [q, max] of Object.entries(er.maxLengths ?? {})) {
              const v = x[q];
              if (typeof v === 'string' && v.length > max) lengthReport(b, it, q, v, max);
            }
            checkRules(b, it, x, er, eMax, emb.props);
          }
        }
      }
      if (it.errors.length) it.removed = true;
    }
  },
};
