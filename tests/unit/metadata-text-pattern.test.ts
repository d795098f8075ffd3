/**
 * DHIS2's TextPattern parser (TextPatternParser) as the metadata hooks use it: the expected results were printed by
 * Java 17 running the parser's regular expressions and loop (dhis2-core master) over the same patterns.
 */
import { describe, expect, it } from 'vitest';
import { isTextSegment, parseTextPattern, patternFitsValueType, TextPatternError } from '../../src-main/importers/metadata/checks/text-pattern.ts';

const run = (p: string): string => {
  try {
    return parseTextPattern(p).map((s) => `${s.method}:${s.parameter}`).join('|');
  } catch (e) {
    if (e instanceof TextPatternError) return `ERR ${e.message}`;
    throw e;
  }
};

describe('TextPattern parser', () => {
  it.each([
    ["\"ABC-\" + RANDOM(####)", "TEXT:ABC-|RANDOM:####"],
    ["SEQUENTIAL(###)", "SEQUENTIAL:###"],
    ["\"PT\" + ORG_UNIT_CODE(...) + \"-\" + SEQUENTIAL(######)", "TEXT:PT|ORG_UNIT_CODE:...|TEXT:-|SEQUENTIAL:######"],
    ["RANDOM(#XXx**)", "RANDOM:#XXx**"],
    ["+ \"A\"", "ERR Could not parse expression: Unexpected '+' at position 1"],
    ["\"A\" +", "ERR Could not parse expression: Unexpected '+' at the end of the expression"],
    ["\"A\" + + \"B\"", "ERR Could not parse expression: Unexpected '+' at position 7"],
    ["RANDOM(####", "ERR Could not parse expression: The expression is invalid"],
    ["SEQUENTIAL(#X#)", "ERR Could not parse expression: Failed to parse the following method: 'SEQUENTIAL(#X#)' at position 1"],
    ["FOO(1)", "ERR Could not parse expression: Failed to parse the following method: 'FOO(1)' at position 1"],
    ["TEXT(\"a\")", "ERR Could not parse expression: Failed to parse the following method: 'TEXT(\"a\")' at position 1"],
    ["\"unterminated", "ERR Could not parse expression: The expression is invalid"],
    ["CURRENT_DATE(yyyy) + \"-\" + RANDOM(##)", "CURRENT_DATE:yyyy|TEXT:-|RANDOM:##"],
    ["  \"A\"   +   SEQUENTIAL(#)  ", "TEXT:A|SEQUENTIAL:#"],
    ["\"abc\\\"def\"", "TEXT:abc\\\"def"],
    ["\"abc\"def\"", "TEXT:abc"],
    ["ORG_UNIT_CODE() + SEQUENTIAL(#############)", "ERR Could not parse expression: Failed to parse the following method: 'SEQUENTIAL(#############)' at position 19"],
    ["\"Not a valid", "ERR Could not parse expression: The expression is invalid"],
    ["ORG_UNIT_CODE(^..$)", "ORG_UNIT_CODE:^..$"],
    ["xyz", "ERR Could not parse expression: The expression is invalid"],
  ])('%s → %s', (pattern, expected) => {
    expect(run(pattern)).toBe(expected);
  });

  it('an empty pattern, field masks, value types', () => {
    expect(run('')).toBe('ERR Could not parse expression: Supplied expression was null or empty.');
    expect(isTextSegment('###-###')).toBe(true);
    expect(isTextSegment('a"b')).toBe(true); // "a"b" parses as the text a (DHIS2 skips the rest)
    expect(isTextSegment('"')).toBe(true); // """ is the empty text
    expect(isTextSegment('"+')).toBe(false); // ""+" ends with a '+'
    expect(patternFitsValueType(parseTextPattern('"12" + SEQUENTIAL(###)'), 'NUMBER')).toBe(true);
    expect(patternFitsValueType(parseTextPattern('"A" + SEQUENTIAL(###)'), 'NUMBER')).toBe(false);
    expect(patternFitsValueType(parseTextPattern('RANDOM(#X)'), 'NUMBER')).toBe(false);
    expect(patternFitsValueType(parseTextPattern('RANDOM(#X)'), 'TEXT')).toBe(true);
    expect(patternFitsValueType(parseTextPattern('RANDOM(##)'), 'INTEGER')).toBe(false);
  });
});
