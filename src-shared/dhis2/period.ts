/**
 * DHIS2 ISO period identifiers (spec §1.10, `DateUnitType`), ISO 8601 calendar only. Parses every period id DHIS2
 * accepts to its type, start and end date, gives the canonical id (what exports write) and converts to and from the
 * ADX `startDate/duration` form (spec §1.5, `AdxPeriod`). Pure and dependency-free: dates are computed in UTC.
 */

export const PERIOD_TYPES = [
  'Daily',
  'Weekly',
  'WeeklyWednesday',
  'WeeklyThursday',
  'WeeklySaturday',
  'WeeklySunday',
  'BiWeekly',
  'Monthly',
  'BiMonthly',
  'Quarterly',
  'QuarterlyNov',
  'SixMonthly',
  'SixMonthlyApril',
  'SixMonthlyNov',
  'Yearly',
  'FinancialApril',
  'FinancialJuly',
  'FinancialSep',
  'FinancialOct',
  'FinancialNov',
] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

export interface Period {
  /** canonical ISO id (e.g. '20240105', '2024W1', '202401', '2024AprilS1') */
  iso: string;
  type: PeriodType;
  /** first day, yyyy-MM-dd */
  startDate: string;
  /** last day (inclusive), yyyy-MM-dd */
  endDate: string;
}

const DAY = 86_400_000;

function utc(y: number, m: number, d: number): number {
  // not Date.UTC(y, …): it reads years 0–99 as 1900–1999
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return t.getTime();
}
function fmt(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}
function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}
/** a year as the four digits of a period id (0001 … 9999) */
function y4(y: number): string {
  return String(y).padStart(4, '0');
}
function addMonths(y: number, m: number, k: number): { y: number; m: number } {
  const idx = y * 12 + (m - 1) + k;
  return { y: Math.floor(idx / 12), m: (idx % 12) + 1 };
}
function monthSpan(iso: string, type: PeriodType, y: number, m: number, months: number): Period {
  const end = addMonths(y, m, months);
  return { iso, type, startDate: fmt(utc(y, m, 1)), endDate: fmt(utc(end.y, end.m, 1) - DAY) };
}

/** Day of week of weekly period starts (0 = Sunday … 6 = Saturday, as Date.getUTCDay). */
const WEEK_START: Record<string, { type: PeriodType; dow: number }> = {
  W: { type: 'Weekly', dow: 1 },
  WedW: { type: 'WeeklyWednesday', dow: 3 },
  ThuW: { type: 'WeeklyThursday', dow: 4 },
  SatW: { type: 'WeeklySaturday', dow: 6 },
  SunW: { type: 'WeeklySunday', dow: 0 },
};

/** Start of week 1 of `year` for weeks starting on `dow`: the week holding January 4th (≥ 4 days in the year). */
function weekOneStart(year: number, dow: number): number {
  const jan4 = utc(year, 1, 4);
  const back = (new Date(jan4).getUTCDay() - dow + 7) % 7;
  return jan4 - back * DAY;
}
function weeksInYear(year: number, dow: number): number {
  return Math.round((weekOneStart(year + 1, dow) - weekOneStart(year, dow)) / (7 * DAY));
}

const SIX_MONTH_START: Record<string, { type: PeriodType; month: number; prevYear: boolean }> = {
  S: { type: 'SixMonthly', month: 1, prevYear: false },
  AprilS: { type: 'SixMonthlyApril', month: 4, prevYear: false },
  NovS: { type: 'SixMonthlyNov', month: 11, prevYear: true },
};
const FINANCIAL: Record<string, { type: PeriodType; month: number }> = {
  April: { type: 'FinancialApril', month: 4 },
  July: { type: 'FinancialJuly', month: 7 },
  Sep: { type: 'FinancialSep', month: 9 },
  Oct: { type: 'FinancialOct', month: 10 },
  Nov: { type: 'FinancialNov', month: 11 },
};

const RE_DAILY = /^(\d{4})-?(\d{2})-?(\d{2})$/;
const RE_WEEK = /^(\d{4})(W|WedW|ThuW|SatW|SunW|BiW)(\d{1,2})$/;
const RE_MONTH = /^(\d{4})-?(\d{2})$/;
const RE_BIMONTH = /^(\d{4})(\d{2})B$/;
const RE_QUARTER = /^(\d{4})(Q|NovQ)([1-4])$/;
const RE_SIX = /^(\d{4})(S|AprilS|NovS)([12])$/;
const RE_YEAR = /^(\d{4})(April|July|Sep|Oct|Nov)?$/;

/**
 * The days a period may cover: years 0001–9999. DHIS2's period patterns take any four digits, but its calendars hold
 * a date valid only when its year is above 0 (`AbstractCalendar.isValid`), and four digits end at 9999. So `0000` is
 * no year, and a period reaching into year 0 (0001NovQ1, 0001SunW1) or past 9999 (9999Nov) is refused too.
 */
const FIRST_DAY = '0001-01-01';
const LAST_DAY = '9999-12-31';

const cache = new Map<string, Period | null>();

/** Parses a DHIS2 ISO period id; null when it is not one (or names an impossible date/week). Cached. */
export function parsePeriod(id: string): Period | null {
  let p = cache.get(id);
  if (p !== undefined) return p;
  p = parseUncached(id);
  if (cache.size > 100_000) cache.clear();
  cache.set(id, p);
  return p;
}

function parseUncached(id: string): Period | null {
  const p = parseAnyYear(id);
  // (a date past 9999 or before year 0 is no longer yyyy-MM-dd: '+010000-…', '-000001-…')
  return p && p.startDate[4] === '-' && p.endDate[4] === '-' && p.startDate >= FIRST_DAY && p.endDate <= LAST_DAY ? p : null;
}

function parseAnyYear(id: string): Period | null {
  let m: RegExpExecArray | null;
  if (id.length === 8 || id.length === 10) {
    if ((m = RE_DAILY.exec(id))) {
      if (id.length === 10 && (id[4] !== '-' || id[7] !== '-')) return null;
      const y = +m[1]!, mo = +m[2]!, d = +m[3]!;
      if (mo < 1 || mo > 12 || d < 1) return null;
      const t = utc(y, mo, d);
      if (new Date(t).getUTCDate() !== d) return null;
      const s = fmt(t);
      return { iso: `${m[1]}${m[2]}${m[3]}`, type: 'Daily', startDate: s, endDate: s };
    }
  }
  if ((m = RE_MONTH.exec(id))) {
    if (id.length === 7 && id[4] !== '-') return null;
    const y = +m[1]!, mo = +m[2]!;
    if (mo < 1 || mo > 12) return null;
    return monthSpan(`${m[1]}${m[2]}`, 'Monthly', y, mo, 1);
  }
  if ((m = RE_YEAR.exec(id))) {
    const y = +m[1]!;
    const f = m[2] ? FINANCIAL[m[2]] : undefined;
    if (!f) return monthSpan(m[1]!, 'Yearly', y, 1, 12);
    return monthSpan(id, f.type, y, f.month, 12);
  }
  if ((m = RE_WEEK.exec(id))) {
    const y = +m[1]!, n = +m[3]!;
    if (n < 1) return null;
    if (m[2] === 'BiW') {
      // bi-week n = ISO weeks 2n-1 and 2n
      const weeks = weeksInYear(y, 1);
      if (2 * n - 1 > weeks) return null;
      const start = weekOneStart(y, 1) + (2 * n - 2) * 7 * DAY;
      return { iso: `${m[1]}BiW${n}`, type: 'BiWeekly', startDate: fmt(start), endDate: fmt(start + 13 * DAY) };
    }
    const w = WEEK_START[m[2]!]!;
    if (n > weeksInYear(y, w.dow)) return null;
    const start = weekOneStart(y, w.dow) + (n - 1) * 7 * DAY;
    return { iso: `${m[1]}${m[2]}${n}`, type: w.type, startDate: fmt(start), endDate: fmt(start + 6 * DAY) };
  }
  if ((m = RE_BIMONTH.exec(id))) {
    const y = +m[1]!, b = +m[2]!;
    if (b < 1 || b > 6) return null;
    return monthSpan(id, 'BiMonthly', y, 2 * b - 1, 2);
  }
  if ((m = RE_QUARTER.exec(id))) {
    const y = +m[1]!, q = +m[3]!;
    if (m[2] === 'Q') return monthSpan(id, 'Quarterly', y, 3 * q - 2, 3);
    // November quarters: Q1 starts in November of the previous year
    const s = addMonths(y - 1, 11, 3 * (q - 1));
    return monthSpan(id, 'QuarterlyNov', s.y, s.m, 3);
  }
  if ((m = RE_SIX.exec(id))) {
    const y = +m[1]!, h = +m[3]!;
    const six = SIX_MONTH_START[m[2]!]!;
    const s = addMonths(six.prevYear ? y - 1 : y, six.month, 6 * (h - 1));
    return monthSpan(id, six.type, s.y, s.m, 6);
  }
  return null;
}

/** Canonical ISO id (e.g. '2024-01' → '202401', '2024-01-05' → '20240105'); null when not a period. */
export function canonicalPeriod(id: string): string | null {
  return parsePeriod(id)?.iso ?? null;
}

/** Weeks that a period type spans, for ADX durations. */
const DURATION: Record<PeriodType, string> = {
  Daily: 'P1D',
  Weekly: 'P7D',
  WeeklyWednesday: 'P7D',
  WeeklyThursday: 'P7D',
  WeeklySaturday: 'P7D',
  WeeklySunday: 'P7D',
  BiWeekly: 'P14D',
  Monthly: 'P1M',
  BiMonthly: 'P2M',
  Quarterly: 'P3M',
  QuarterlyNov: 'P3M',
  SixMonthly: 'P6M',
  SixMonthlyApril: 'P6M',
  SixMonthlyNov: 'P6M',
  Yearly: 'P1Y',
  FinancialApril: 'P1Y',
  FinancialJuly: 'P1Y',
  FinancialSep: 'P1Y',
  FinancialOct: 'P1Y',
  FinancialNov: 'P1Y',
};

/** ISO id → ADX period `yyyy-MM-dd/Pn…` (null when not a period). */
export function periodToAdx(id: string): string | null {
  const p = parsePeriod(id);
  return p ? `${p.startDate}/${DURATION[p.type]}` : null;
}

const RE_ADX = /^(\d{4})-(\d{2})-(\d{2})\/P(\d+)([DWMY])$/;

/** ADX `startDate/duration` → canonical ISO id (null when it names no DHIS2 period). */
export function adxToPeriod(adx: string): string | null {
  const m = RE_ADX.exec(adx.trim());
  if (!m) return null;
  const y = +m[1]!, mo = +m[2]!, d = +m[3]!;
  const n = +m[4]!;
  const unit = m[5]!;
  const start = utc(y, mo, d);
  if (mo < 1 || mo > 12 || new Date(start).getUTCDate() !== d) return null;
  const days = unit === 'D' ? n : unit === 'W' ? 7 * n : 0;
  const months = unit === 'M' ? n : unit === 'Y' ? 12 * n : 0;
  let iso: string | null = null;
  if (days === 1) iso = `${m[1]}${m[2]}${m[3]}`;
  else if (days === 7 || days === 14) {
    const dow = new Date(start).getUTCDay();
    const prefix = days === 14 ? (dow === 1 ? 'BiW' : null) : Object.entries(WEEK_START).find(([, w]) => w.dow === dow)?.[0];
    if (!prefix) return null;
    const dowStart = days === 14 ? 1 : WEEK_START[prefix]!.dow;
    // the week-year may differ from the calendar year of the start date (late December / early January)
    for (const wy of [y + 1, y, y - 1]) {
      const diff = (start - weekOneStart(wy, dowStart)) / DAY;
      if (diff < 0) continue;
      const week = Math.floor(diff / 7) + 1;
      if (days === 14) iso = `${y4(wy)}BiW${Math.floor((week + 1) / 2)}`;
      else iso = `${y4(wy)}${prefix}${week}`;
      break;
    }
  } else if (d === 1 && months > 0) {
    switch (months) {
      case 1:
        iso = `${m[1]}${m[2]}`;
        break;
      case 2:
        iso = mo % 2 === 1 ? `${m[1]}${pad2((mo + 1) / 2)}B` : null;
        break;
      case 3:
        if ((mo - 1) % 3 === 0) iso = `${m[1]}Q${(mo + 2) / 3}`;
        else if (mo === 11) iso = `${y4(y + 1)}NovQ1`;
        else if (mo === 2 || mo === 5 || mo === 8) iso = `${m[1]}NovQ${(mo + 1) / 3 + 1}`;
        break;
      case 6:
        if (mo === 1 || mo === 7) iso = `${m[1]}S${mo === 1 ? 1 : 2}`;
        else if (mo === 4) iso = `${m[1]}AprilS1`;
        else if (mo === 10) iso = `${m[1]}AprilS2`;
        else if (mo === 11) iso = `${y4(y + 1)}NovS1`;
        else if (mo === 5) iso = `${m[1]}NovS2`;
        break;
      case 12: {
        const fin = Object.entries(FINANCIAL).find(([, f]) => f.month === mo)?.[0];
        iso = mo === 1 ? m[1]! : fin ? `${m[1]}${fin}` : null;
        break;
      }
    }
  }
  if (!iso) return null;
  const p = parsePeriod(iso);
  return p && p.startDate === `${m[1]}-${m[2]}-${m[3]}` ? p.iso : null;
}

/** True when a (yyyy-MM-dd) date lies inside the period. */
export function periodContains(p: Period, date: string): boolean {
  return date >= p.startDate && date <= p.endDate;
}

const MONTH_SPANS: Partial<Record<PeriodType, { months: number; anchor: number }>> = {
  Monthly: { months: 1, anchor: 1 },
  BiMonthly: { months: 2, anchor: 1 },
  Quarterly: { months: 3, anchor: 1 },
  QuarterlyNov: { months: 3, anchor: 11 },
  SixMonthly: { months: 6, anchor: 1 },
  SixMonthlyApril: { months: 6, anchor: 4 },
  SixMonthlyNov: { months: 6, anchor: 11 },
  Yearly: { months: 12, anchor: 1 },
  FinancialApril: { months: 12, anchor: 4 },
  FinancialJuly: { months: 12, anchor: 7 },
  FinancialSep: { months: 12, anchor: 9 },
  FinancialOct: { months: 12, anchor: 10 },
  FinancialNov: { months: 12, anchor: 11 },
};
const WEEK_DOW: Partial<Record<PeriodType, number>> = { Weekly: 1, WeeklyWednesday: 3, WeeklyThursday: 4, WeeklySaturday: 6, WeeklySunday: 0 };

/**
 * The period of `type` that contains `date` (yyyy-MM-dd), moved `offset` periods forward (negative: back).
 * Null for an unknown type name.
 */
export function periodOfType(type: string, date: string, offset = 0): Period | null {
  const y = +date.slice(0, 4), mo = +date.slice(5, 7), d = +date.slice(8, 10);
  const t = utc(y, mo, d);
  const span = MONTH_SPANS[type as PeriodType];
  if (span) {
    const idx = y * 12 + (mo - 1);
    const a = span.anchor - 1;
    const start = idx - ((((idx - a) % span.months) + span.months) % span.months) + offset * span.months;
    const sy = Math.floor(start / 12), sm = (start % 12) + 1;
    const dur = span.months === 12 ? 'P1Y' : `P${span.months}M`;
    const iso = adxToPeriod(`${y4(sy)}-${pad2(sm)}-01/${dur}`);
    return iso ? parsePeriod(iso) : null;
  }
  if (type === 'Daily') {
    const s = fmt(t + offset * DAY).replace(/-/g, '');
    return parsePeriod(s);
  }
  const dow = WEEK_DOW[type as PeriodType];
  if (dow !== undefined) {
    const start = t - ((new Date(t).getUTCDay() - dow + 7) % 7) * DAY + offset * 7 * DAY;
    const iso = adxToPeriod(`${fmt(start)}/P7D`);
    return iso ? parsePeriod(iso) : null;
  }
  if (type === 'BiWeekly') {
    // the ISO week of the date, then back to the odd week that starts its bi-week
    const monday = t - ((new Date(t).getUTCDay() + 6) % 7) * DAY;
    const week = adxToPeriod(`${fmt(monday)}/P7D`);
    const m = week ? /^(\d{4})W(\d+)$/.exec(week) : null;
    if (!m) return null;
    let start = +m[2]! % 2 === 0 ? monday - 7 * DAY : monday;
    start += offset * 14 * DAY;
    const iso = adxToPeriod(`${fmt(start)}/P14D`);
    return iso ? parsePeriod(iso) : null;
  }
  return null;
}
