/**
 * Whether a cron expression is one Spring's `CronExpression.isValidExpression` accepts (Spring 7, which dhis2-core
 * master uses for job configurations): six fields (second minute hour day-of-month month day-of-week) split on spaces,
 * or one of the macros (`@yearly` … `@hourly`, any case). Each field is a comma list of `*`, a value or an `a-b`
 * range, each optionally `/step` (step ≥ 1; a single value with a step runs to the field's maximum). Day-of-month
 * and day-of-week accept a lone `?`; day-of-month the Quartz forms `L`, `L-n`, `LW`, `nW`; day-of-week `0`–`7`
 * (0 and 7 are Sunday; 7 as a range's start means 0), `nL`, `n#k`; month names (JAN…) and day names (MON…) in any
 * case are replaced by their numbers first, as a plain substring replacement. Only validity is computed here.
 */

interface FieldType {
  min: number;
  max: number;
}
const SECOND: FieldType = { min: 0, max: 59 };
const MINUTE: FieldType = { min: 0, max: 59 };
const HOUR: FieldType = { min: 0, max: 23 };
const DAY_OF_MONTH: FieldType = { min: 1, max: 31 };
const MONTH: FieldType = { min: 1, max: 12 };
const DAY_OF_WEEK: FieldType = { min: 1, max: 7 };

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const MACROS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *', '@annually': '0 0 0 1 1 *', '@monthly': '0 0 0 1 * *', '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *', '@midnight': '0 0 0 * * *', '@hourly': '0 0 * * * *',
};

class Invalid extends Error {}
const fail = (): never => {
  throw new Invalid();
};

/** java.lang.Integer.parseInt over ASCII digits: an optional sign, then at least one digit, within int range. */
function parseInt32(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) fail();
  const n = Number(s);
  if (n > 2147483647 || n < -2147483648) fail();
  return n;
}

/** BitsCronField.Type#checkValidValue: in range (day-of-week also takes 0). */
function checkValid(n: number, t: FieldType): number {
  if (t === DAY_OF_WEEK && n === 0) return n;
  if (n < t.min || n > t.max) fail();
  return n;
}

function parseRange(v: string, t: FieldType): [number, number] {
  if (v === '*') return [t.min, t.max];
  const hyphen = v.indexOf('-');
  if (hyphen === -1) {
    const n = checkValid(parseInt32(v), t);
    return [n, n];
  }
  let min = checkValid(parseInt32(v.slice(0, hyphen)), t);
  const max = checkValid(parseInt32(v.slice(hyphen + 1)), t);
  if (t === DAY_OF_WEEK && min === 7) min = 0;
  if (min > max) fail(); // ValueRange.of
  return [min, max];
}

/** BitsCronField.parseField: a comma list of ranges with optional steps. */
function parseBits(value: string, t: FieldType): void {
  if (!value) fail();
  for (const field of value.split(',')) {
    const slash = field.indexOf('/');
    if (slash === -1) {
      parseRange(field, t);
      continue;
    }
    const rangeStr = field.slice(0, slash);
    parseRange(rangeStr, t);
    if (parseInt32(field.slice(slash + 1)) <= 0) fail();
  }
}

/** BitsCronField.parseDate: a lone `?` is `*`. */
const parseDate = (v: string, t: FieldType): void => parseBits(v === '?' ? '*' : v, t);

function quartzDayOfMonth(v: string): void {
  let idx = v.lastIndexOf('L');
  if (idx !== -1) {
    if (idx !== 0) fail();
    if (v.length === 2 && v[1] === 'W') return;
    if (v.length === 1) return;
    if (parseInt32(v.slice(1)) >= 0) fail();
    return;
  }
  idx = v.lastIndexOf('W');
  if (idx === -1 || idx === 0 || idx !== v.length - 1) fail();
  checkValid(parseInt32(v.slice(0, idx)), DAY_OF_MONTH);
}

function dayOfWeekNumber(v: string): void {
  let n = parseInt32(v);
  if (n === 0) n = 7;
  if (n < 1 || n > 7) fail();
}

function quartzDayOfWeek(v: string): void {
  let idx = v.lastIndexOf('L');
  if (idx !== -1) {
    if (idx !== v.length - 1 || idx === 0) fail();
    dayOfWeekNumber(v.slice(0, idx));
    return;
  }
  idx = v.lastIndexOf('#');
  if (idx === -1 || idx === 0 || idx === v.length - 1) fail();
  dayOfWeekNumber(v.slice(0, idx));
  if (parseInt32(v.slice(idx + 1)) <= 0) fail();
}

const isQuartzDom = (v: string): boolean => v.includes('L') || v.includes('W');
const isQuartzDow = (v: string): boolean => v.includes('L') || v.includes('#');

/** CronField.parseList: each element of a comma list by itself (a Quartz element or a plain one). */
function parseList(v: string, each: (f: string) => void): void {
  if (!v) fail();
  for (const f of v.split(',')) each(f);
}

function daysOfMonth(v: string): void {
  if (!isQuartzDom(v)) return parseDate(v, DAY_OF_MONTH);
  parseList(v, (f) => (isQuartzDom(f) ? quartzDayOfMonth(f) : parseDate(f, DAY_OF_MONTH)));
}

function replaceOrdinals(v: string, names: readonly string[]): string {
  let out = v.toUpperCase();
  names.forEach((name, i) => (out = out.split(name).join(String(i + 1))));
  return out;
}

function daysOfWeek(value: string): void {
  const v = replaceOrdinals(value, DAYS);
  if (!isQuartzDow(v)) return parseDate(v, DAY_OF_WEEK);
  parseList(v, (f) => (isQuartzDow(f) ? quartzDayOfWeek(f) : parseDate(f, DAY_OF_WEEK)));
}

/** Java's String#trim: strips the characters ≤ U+0020 at both ends. */
function javaTrim(s: string): string {
  let a = 0;
  let z = s.length;
  while (a < z && s.charCodeAt(a) <= 0x20) a++;
  while (z > a && s.charCodeAt(z - 1) <= 0x20) z--;
  return s.slice(a, z);
}

/** Spring's CronExpression.isValidExpression. */
export function isValidCronExpression(expression: string | null | undefined): boolean {
  if (expression == null || expression.length === 0) return false;
  let e = javaTrim(expression);
  e = MACROS[e.toLowerCase()] ?? e;
  // StringUtils.tokenizeToStringArray(e, " "): split on spaces, tokens trimmed, empty ones dropped
  const fields = e.split(' ').map(javaTrim).filter((f) => f.length > 0);
  if (fields.length !== 6) return false;
  try {
    parseBits(fields[0]!, SECOND);
    parseBits(fields[1]!, MINUTE);
    parseBits(fields[2]!, HOUR);
    daysOfMonth(fields[3]!);
    parseBits(replaceOrdinals(fields[4]!, MONTHS), MONTH);
    daysOfWeek(fields[5]!);
    return true;
  } catch (err) {
    if (err instanceof Invalid) return false;
    throw err;
  }
}
