/**
 * The period rules of DHIS2 2.42's data value import that depend on the data sets of a value and on today
 * (DataValueSetImportValidator, in its order after E7639):
 *
 *   E7640 checkDataValueDataSetIsNotLocked        the data set's expiry days are past (DataSet.isLocked) and no lock
 *                                                 exception applies — Ferry stores no lock exceptions, so as in a
 *                                                 DHIS2 database without any (`skipLockExceptionCheck =
 *                                                 !lockExceptionStore.anyExists()`) expiry alone decides
 *   E7641 checkDataValueNotAfterLatestOpenFuturePeriod  the period starts after the data set's latest open future period
 *   E7642 checkDataValueNotAlreadyApproved        not checked: approvals are data Ferry does not hold
 *   E7643 checkDataValuePeriodIsOpenNow           the data set has data input periods and none is this period, open today
 *   E7644 checkDataValueConformsToOpenPeriodsOfAssociatedDataSets  no data set of the data element accepts the period today
 *
 * E7640, E7641 and E7643 check the "target data sets" (the file's data set, else the data element's data sets assigned
 * to the org unit whose category combo holds the attribute option combo) and are strict, as DHIS2's settings
 * keyDataImportStrictDataSetLocking / …InputPeriods default to true and E7641 always is: every target data set must pass,
 * one conflict per failing data set. `force` (ImportOptions.force, honoured for superusers) skips all four.
 *
 * Also here: the adjusted end date of a category option (openPeriodsAfterCoEndDate) used by E7638.
 * Everything is computed from yyyy-MM-dd strings in UTC, per data set and period, and cached by the caller.
 */
import type { Period } from '../../../src-shared/dhis2/period.ts';
import type { DataSetInfo } from './lookups.ts';

const DAY_MS = 86_400_000;

function dayMs(date: string): number {
  return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10));
}

function fmt(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** yyyy-MM-dd plus `n` months, the day kept but clamped to the month's last day (Joda's plusMonths). */
function plusMonths(date: string, n: number): string {
  const y = +date.slice(0, 4), m = +date.slice(5, 7) - 1 + n, d = +date.slice(8, 10);
  const ty = y + Math.floor(m / 12), tm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return fmt(Date.UTC(ty, tm, Math.min(d, last)));
}

/**
 * DHIS2 `PeriodType.getRewindedDate(date, -n)`: `date` moved `n` periods of `periodType` forward (days, weeks, two weeks,
 * months, two, three or six months, years). Unknown types leave the date as it is.
 */
export function periodsAfter(periodType: string, date: string, n: number): string {
  if (n === 0) return date;
  switch (periodType) {
    case 'Daily':
      return fmt(dayMs(date) + n * DAY_MS);
    case 'Weekly': case 'WeeklyWednesday': case 'WeeklyThursday': case 'WeeklySaturday': case 'WeeklySunday':
      return fmt(dayMs(date) + n * 7 * DAY_MS);
    case 'BiWeekly':
      return fmt(dayMs(date) + n * 14 * DAY_MS);
    case 'Monthly':
      return plusMonths(date, n);
    case 'BiMonthly':
      return plusMonths(date, 2 * n);
    case 'Quarterly': case 'QuarterlyNov':
      return plusMonths(date, 3 * n);
    case 'SixMonthly': case 'SixMonthlyApril': case 'SixMonthlyNov':
      return plusMonths(date, 6 * n);
    case 'Yearly': case 'FinancialApril': case 'FinancialJuly': case 'FinancialSep': case 'FinancialOct': case 'FinancialNov':
      return plusMonths(date, 12 * n);
    case 'TwoYearly':
      return plusMonths(date, 24 * n);
    default:
      return date;
  }
}

/**
 * DHIS2 `CategoryOption.getAdjustedEndDate(dataSet)`: the option's end date moved the data set's
 * openPeriodsAfterCoEndDate periods forward.
 */
export function adjustedEndDate(endDate: string, ds: Pick<DataSetInfo, 'periodType' | 'openPeriodsAfterCoEndDate'>): string {
  return ds.openPeriodsAfterCoEndDate === 0 ? endDate : periodsAfter(ds.periodType, endDate, ds.openPeriodsAfterCoEndDate);
}

/**
 * DHIS2 `DataSet.isLocked(user, period, now)` for a user without F_EDIT_EXPIRED: with expiry days set, data entry for a
 * period closes `expiryDays` days (fractions count) after the day after its last day.
 */
export function isExpired(expiryDays: number, period: Period, nowMs: number): boolean {
  return isExpiredBy(expiryCutoff(expiryDays, nowMs), period);
}

/** isExpired as a comparison of the period's last day with a day computed once per data set and job. */
export interface ExpiryCutoff {
  /** yyyy-MM-dd; null = never expired (no expiry days) */
  day: string | null;
  /** a period ending on `day` itself is expired too */
  orEqual: boolean;
}

export function expiryCutoff(expiryDays: number, nowMs: number): ExpiryCutoff {
  if (expiryDays === 0) return { day: null, orEqual: false };
  // expired ⟺ nowMs > lastDayMs + DAY + expiry ⟺ lastDayMs < cut
  const cut = nowMs - DAY_MS - Math.trunc(expiryDays * DAY_MS);
  const dayStart = Math.floor(cut / DAY_MS) * DAY_MS;
  return { day: fmt(dayStart), orEqual: cut > dayStart };
}

export function isExpiredBy(c: ExpiryCutoff, period: Period): boolean {
  return c.day !== null && (period.endDate < c.day || (c.orEqual && period.endDate === c.day));
}

/**
 * DHIS2 `DataSet.isDataInputPeriodAndDateAllowed(period, now)`: no input periods, or one for this period whose opening
 * and closing days (inclusive, either may be absent) hold today.
 */
export function inputAllowed(ds: Pick<DataSetInfo, 'inputPeriods'>, period: Period, today: string): boolean {
  if (ds.inputPeriods === null) return true;
  const list = ds.inputPeriods.get(period.iso);
  if (!list) return false;
  for (const ip of list) if ((ip.opening === null || today >= ip.opening) && (ip.closing === null || today <= ip.closing)) return true;
  return false;
}
