/**
 * The periods a data entry form offers (DHIS2's PDF form range rules, spec §8): from the period holding 1 January of
 * last year up to the period holding 1 January of the year after next (while a period starts before that period's
 * end); for Quarterly, SixMonthly, SixMonthlyApril, Yearly and the financial years, from five years back to six ahead.
 * Labels: "<period name> - <start> - <end>" as DHIS2 writes them.
 */
import { periodOfType, type Period } from '../../../src-shared/dhis2/period.ts';

const LONG_RANGE = new Set(['Quarterly', 'SixMonthly', 'SixMonthlyApril', 'Yearly', 'FinancialApril', 'FinancialJuly', 'FinancialOct', 'FinancialNov']);
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `today` is yyyy-MM-dd (the job's clock); an unknown period type gives no periods. */
export function formPeriods(periodType: string, today: string): Period[] {
  const year = Number(today.slice(0, 4));
  const long = LONG_RANGE.has(periodType);
  const startYear = year - (long ? 5 : 1);
  const endYear = year + (long ? 6 : 2);
  const first = periodOfType(periodType, `${String(startYear).padStart(4, '0')}-01-01`);
  const last = periodOfType(periodType, `${String(endYear).padStart(4, '0')}-01-01`);
  if (!first || !last) return [];
  const out: Period[] = [];
  for (let p: Period | null = first; p && p.startDate < last.endDate && out.length < 5000; ) {
    out.push(p);
    // the period after: the one holding the next day (a day further when the calendar has no id for it)
    let next: Period | null = null;
    for (let d = 1; d <= 14 && !next; d++) {
      const c = periodOfType(periodType, addDays(p.endDate, d));
      if (c && c.startDate > p.endDate) next = c;
    }
    p = next;
  }
  return out;
}

function addDays(date: string, n: number): string {
  const t = new Date(date + 'T00:00:00Z');
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

/** DHIS2's name of a period ("January 2026", "2026Q1", …), then its first and last day. */
export function periodLabel(p: Period): string {
  return `${periodName(p)} - ${p.startDate} - ${p.endDate}`;
}

function periodName(p: Period): string {
  const y = p.startDate.slice(0, 4);
  const m = Number(p.startDate.slice(5, 7));
  const endM = Number(p.endDate.slice(5, 7));
  const endY = p.endDate.slice(0, 4);
  switch (p.type) {
    case 'Daily':
      return p.startDate;
    case 'Monthly':
      return `${MONTHS[m - 1]} ${y}`;
    case 'BiMonthly':
    case 'Quarterly':
    case 'QuarterlyNov':
    case 'SixMonthly':
    case 'SixMonthlyApril':
    case 'SixMonthlyNov':
      return `${MONTHS[m - 1]} ${y === endY ? '' : y + ' '}- ${MONTHS[endM - 1]} ${endY}`.replace('  ', ' ');
    case 'Yearly':
      return y;
    default:
      if (p.type.startsWith('Financial')) return `${MONTHS[m - 1]} ${y} - ${MONTHS[endM - 1]} ${endY}`;
      return p.iso; // weeks: 2026W1, 2026BiW1, 2026WedW1 …
  }
}
