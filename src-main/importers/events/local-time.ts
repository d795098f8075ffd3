/**
 * Dates as DHIS2 2.42's tracker validators see them on a server whose time zone is this machine's: a date or date-time
 * text without a zone is a wall-clock time of that zone (DHIS2 reads it so), one with a zone is converted to it.
 *  - localDateTime: the text DHIS2's MessageFormatter prints for such an instant in a report's arguments (ISO 8601
 *    without zone, milliseconds included: 2999-01-01T00:00:00.000);
 *  - isAfterToday: the enrollment DateValidator's future check (E1020, E1021), on local dates — a time later today
 *    is not in the future.
 */

const NO_ZONE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;

interface Fields {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

function fieldsOf(text: string | null | undefined): Fields | null {
  if (text == null) return null;
  const t = String(text).trim();
  const m = NO_ZONE.exec(t);
  if (m) {
    return { y: +m[1]!, mo: +m[2]!, d: +m[3]!, h: +(m[4] ?? 0), mi: +(m[5] ?? 0), s: +(m[6] ?? 0), ms: m[7] ? +m[7].slice(0, 3).padEnd(3, '0') : 0 };
  }
  if (!/^\d{4}-\d{2}-\d{2}[T ]/.test(t)) return null;
  const ms = Date.parse(t.replace(' ', 'T'));
  if (Number.isNaN(ms)) return null;
  const x = new Date(ms);
  return { y: x.getFullYear(), mo: x.getMonth() + 1, d: x.getDate(), h: x.getHours(), mi: x.getMinutes(), s: x.getSeconds(), ms: x.getMilliseconds() };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** the local date-time of a date text as DHIS2 prints it in a message (null when the text is no date) */
export function localDateTime(text: string | null | undefined): string | null {
  const f = fieldsOf(text);
  return f && `${pad(f.y, 4)}-${pad(f.mo)}-${pad(f.d)}T${pad(f.h)}:${pad(f.mi)}:${pad(f.s)}.${pad(f.ms, 3)}`;
}

/** whether the local date of a date text is after today's local date */
export function isAfterToday(text: string | null | undefined, now: Date = new Date()): boolean {
  const f = fieldsOf(text);
  if (!f) return false;
  const day = f.y * 10_000 + f.mo * 100 + f.d;
  const today = now.getFullYear() * 10_000 + (now.getMonth() + 1) * 100 + now.getDate();
  return day > today;
}
