/**
 * period-rules.ts against DHIS2 2.42's definitions: DataSet.isLocked (expired ⟺ now > last day 00:00 + 1 day +
 * expiryDays, fractions truncated to milliseconds as DateUtils.addDays does), PeriodType.getRewindedDate(date, -n) for
 * CategoryOption.getAdjustedEndDate, DataSet.isDataInputPeriodAndDateAllowed (days, both ends inclusive).
 */
import { describe, expect, it } from 'vitest';
import { expiryCutoff, inputAllowed, isExpired, isExpiredBy, periodsAfter } from '../../src-main/importers/data-values/period-rules.ts';
import { parsePeriod } from '../../src-shared/dhis2/period.ts';

const DAY = 86_400_000;
const direct = (exp: number, endDate: string, now: number): boolean => exp !== 0 && now > Date.parse(endDate + 'T00:00:00Z') + DAY + Math.trunc(exp * DAY);

describe('expiry (DataSet.isLocked)', () => {
  it('the per-data-set cutoff day decides exactly as the formula, at and around midnight, for fractional and negative expiry days', () => {
    const nows = ['2024-03-01T00:00:00Z', '2024-03-01T00:00:00.001Z', '2024-03-02T13:30:00Z', '2024-02-15T23:59:59Z'].map(Date.parse);
    let checked = 0;
    for (const now of nows)
      for (const exp of [0, 1, 0.5, 10, 29, 30, 31, 1.25, -3])
        for (const iso of ['20240101', '20240131', '202401', '202402', '2024Q1', '2024', '2024W5', '2024W9']) {
          const p = parsePeriod(iso)!;
          expect(isExpiredBy(expiryCutoff(exp, now), p)).toBe(direct(exp, p.endDate, now));
          expect(isExpired(exp, p, now)).toBe(direct(exp, p.endDate, now));
          checked++;
        }
    expect(checked).toBe(288);
  });
  it('January with 10 expiry days closes at the end of 10 February', () => {
    const jan = parsePeriod('202401')!;
    expect(isExpired(10, jan, Date.parse('2024-02-11T00:00:00Z'))).toBe(false);
    expect(isExpired(10, jan, Date.parse('2024-02-11T00:00:00.001Z'))).toBe(true);
    expect(isExpired(0, jan, Date.parse('2030-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('periodsAfter (PeriodType.getRewindedDate with a negative count)', () => {
  it('moves by the period type, clamping to the month end as Joda does', () => {
    expect(periodsAfter('Monthly', '2024-01-31', 1)).toBe('2024-02-29');
    expect(periodsAfter('Monthly', '2024-03-10', 2)).toBe('2024-05-10');
    expect(periodsAfter('BiMonthly', '2024-03-10', 1)).toBe('2024-05-10');
    expect(periodsAfter('Quarterly', '2024-11-30', 1)).toBe('2025-02-28');
    expect(periodsAfter('SixMonthlyApril', '2024-03-10', 1)).toBe('2024-09-10');
    expect(periodsAfter('FinancialJuly', '2024-02-29', 1)).toBe('2025-02-28');
    expect(periodsAfter('Weekly', '2024-12-30', 1)).toBe('2025-01-06');
    expect(periodsAfter('BiWeekly', '2024-01-01', 2)).toBe('2024-01-29');
    expect(periodsAfter('Daily', '2024-02-28', 2)).toBe('2024-03-01');
    expect(periodsAfter('Monthly', '2024-03-10', 0)).toBe('2024-03-10');
  });
});

describe('inputAllowed (DataSet.isDataInputPeriodAndDateAllowed)', () => {
  const ds = { inputPeriods: new Map([['202401', [{ opening: '2024-02-01', closing: '2024-02-10' }]], ['202402', [{ opening: null, closing: null }]]]) };
  it('needs an input period for the period whose days hold today (inclusive); none at all allows everything', () => {
    const jan = parsePeriod('202401')!;
    expect(['2024-01-31', '2024-02-01', '2024-02-10', '2024-02-11'].map((d) => inputAllowed(ds, jan, d))).toEqual([false, true, true, false]);
    expect(inputAllowed(ds, parsePeriod('202402')!, '2030-01-01')).toBe(true);
    expect(inputAllowed(ds, parsePeriod('202403')!, '2024-02-05')).toBe(false);
    expect(inputAllowed({ inputPeriods: null }, jan, '1999-01-01')).toBe(true);
  });
});
