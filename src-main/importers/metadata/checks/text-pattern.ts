/**
 * DHIS2's TextPattern syntax (dhis2-core TextPatternParser, TextPatternMethod), as the metadata hooks parse the
 * pattern of generated tracked entity attributes and the field masks of data elements and attributes: segments
 * `"text"`, `RANDOM(#Xx*)`, `SEQUENTIAL(###)`, `ORG_UNIT_CODE(...)`, `CURRENT_DATE(format)` joined by `+`. Pure.
 */

export type TextPatternMethod = 'TEXT' | 'RANDOM' | 'SEQUENTIAL' | 'ORG_UNIT_CODE' | 'CURRENT_DATE';

export interface TextPatternSegment {
  method: TextPatternMethod;
  /** the method's parameter (TEXT: the text between the quotes) */
  parameter: string;
}

/** A pattern DHIS2 cannot parse: `message` is the parser exception's message. */
export class TextPatternError extends Error {}

/** Each method's whole-segment syntax (group 1: the parameter). */
const METHODS: Record<TextPatternMethod, RegExp> = {
  TEXT: /^"([^"\\]*(?:\\.[^"\\]*)*)"$/,
  RANDOM: /^RANDOM\(([#Xx*]{1,12})\)$/,
  SEQUENTIAL: /^SEQUENTIAL\(([#]{1,12})\)$/,
  ORG_UNIT_CODE: /^ORG_UNIT_CODE\((|\^?\.+?\$?)\)$/,
  CURRENT_DATE: /^CURRENT_DATE\((.+?)\)$/,
};

const TEXT = String.raw`"[^"\\]*(?:\\.[^"\\]*)*"`;
const METHOD = String.raw`(?<MethodName>[A-Z_]+?)\(.*?\)`;
const JOIN = String.raw`(?<Join>\s*(?<JoinValue>\+)\s*)`;
const EXPRESSION = String.raw`\s*(?<Segment>(?<Method>${TEXT}|${METHOD})|${JOIN})+?\s*`;

const fail = (message: string, position: number): never => {
  throw new TextPatternError(`Could not parse expression: ${message}${position !== -1 ? ` at position ${position + 1}` : ''}`);
};

/** TextPatternParser.parse: the segments, or a TextPatternError worded as DHIS2's. */
export function parseTextPattern(pattern: string | null | undefined): TextPatternSegment[] {
  if (pattern == null || pattern === '') fail('Supplied expression was null or empty.', -1);
  const re = new RegExp(EXPRESSION, 'gd');
  const segments: TextPatternSegment[] = [];
  let segment = false;
  let invalid = true;
  for (let m = re.exec(pattern!); m; m = re.exec(pattern!)) {
    invalid = false;
    const g = m.groups!;
    const method = g.Method;
    if (method != null) {
      const name = (g.MethodName ?? 'TEXT') as TextPatternMethod;
      const syntax = Object.hasOwn(METHODS, name) ? METHODS[name] : null;
      const p = syntax?.exec(method);
      if (p) {
        segment = true;
        segments.push({ method: name, parameter: p[1]! });
        continue;
      }
      fail(`Failed to parse the following method: '${method}'`, m.indices!.groups!.Method![0]);
    } else if (g.Join != null) {
      if (!segment) fail("Unexpected '+'", m.indices!.groups!.JoinValue![0]);
      segment = false;
    }
  }
  if (invalid) fail('The expression is invalid', -1);
  if (!segment) fail("Unexpected '+' at the end of the expression", -1);
  return segments;
}

/** TextPatternValidationUtils.validateValueType: TEXT takes any pattern, NUMBER only numeric segments. */
export function patternFitsValueType(segments: readonly TextPatternSegment[], valueType: unknown): boolean {
  if (valueType === 'TEXT') return true;
  if (valueType !== 'NUMBER') return false;
  return segments.every((s) =>
    s.method === 'SEQUENTIAL' || (s.method === 'RANDOM' && /^#+$/.test(s.parameter)) || (s.method === 'TEXT' && /^[0-9]*$/.test(s.parameter)));
}

/** A field mask as the hooks check it: `"mask"` must parse as a TextPattern. */
export function isTextSegment(mask: string): boolean {
  try {
    parseTextPattern(`"${mask}"`);
    return true;
  } catch (e) {
    if (e instanceof TextPatternError) return false;
    throw e;
  }
}
