import { describe, expect, it } from 'vitest';
import { PERIOD_TYPES, adxToPeriod, canonicalPeriod, parsePeriod, periodOfType, periodToAdx } from '../../../src-shared/dhis2/period.ts';

describe('parsePeriod: every DHIS2 ISO period type (spec §1.10)', () => {
  const cases: [string, string, string, string, string][] = [
    // id, type, start, end, canonical
    ['20240105', 'Daily', '2024-01-05', '2024-01-05', '20240105'],
    ['2024-02-29', 'Daily', '2024-02-29', '2024-02-29', '20240229'],
    ['2024W1', 'Weekly', '2024-01-01', '2024-01-07', '2024W1'],
    ['2020W53', 'Weekly', '2020-12-28', '2021-01-03', '2020W53'],
    ['2021W1', 'Weekly', '2021-01-04', '2021-01-10', '2021W1'],
    ['2024WedW1', 'WeeklyWednesday', '2024-01-03', '2024-01-09', '2024WedW1'],
    ['2024ThuW1', 'WeeklyThursday', '2024-01-04', '2024-01-10', '2024ThuW1'],
    ['2024SatW1', 'WeeklySaturday', '2023-12-30', '2024-01-05', '2024SatW1'],
    ['2024SunW1', 'WeeklySunday', '2023-12-31', '2024-01-06', '2024SunW1'],
    ['2024BiW1', 'BiWeekly', '2024-01-01', '2024-01-14', '2024BiW1'],
    ['2024BiW2', 'BiWeekly', '2024-01-15', '2024-01-28', '2024BiW2'],
    ['202402', 'Monthly', '2024-02-01', '2024-02-29', '202402'],
    ['2023-02', 'Monthly', '2023-02-01', '2023-02-28', '202302'],
    ['202401B', 'BiMonthly', '2024-01-01', '2024-02-29', '202401B'],
    ['202406B', 'BiMonthly', '2024-11-01', '2024-12-31', '202406B'],
    ['2024Q1', 'Quarterly', '2024-01-01', '2024-03-31', '2024Q1'],
    ['2024Q4', 'Quarterly', '2024-10-01', '2024-12-31', '2024Q4'],
    ['2024NovQ1', 'QuarterlyNov', '2023-11-01', '2024-01-31', '2024NovQ1'],
    ['2024NovQ4', 'QuarterlyNov', '2024-08-01', '2024-10-31', '2024NovQ4'],
    ['2024S1', 'SixMonthly', '2024-01-01', '2024-06-30', '2024S1'],
    ['2024S2', 'SixMonthly', '2024-07-01', '2024-12-31', '2024S2'],
    ['2024AprilS1', 'SixMonthlyApril', '2024-04-01', '2024-09-30', '2024AprilS1'],
    ['2024AprilS2', 'SixMonthlyApril', '2024-10-01', '2025-03-31', '2024AprilS2'],
    ['2024NovS1', 'SixMonthlyNov', '2023-11-01', '2024-04-30', '2024NovS1'],
    ['2024NovS2', 'SixMonthlyNov', '2024-05-01', '2024-10-31', '2024NovS2'],
    ['2024', 'Yearly', '2024-01-01', '2024-12-31', '2024'],
    ['2024April', 'FinancialApril', '2024-04-01', '2025-03-31', '2024April'],
    ['2024July', 'FinancialJuly', '2024-07-01', '2025-06-30', '2024July'],
    ['2024Sep', 'FinancialSep', '2024-09-01', '2025-08-31', '2024Sep'],
    ['2024Oct', 'FinancialOct', '2024-10-01', '2025-09-30', '2024Oct'],
    ['2024Nov', 'FinancialNov', '2024-11-01', '2025-10-31', '2024Nov'],
  ];
  for (const [id, type, start, end, iso] of cases) {
    it(`${id} → ${type} ${start}..${end}`, () => {
      expect(parsePeriod(id)).toEqual({ iso, type, startDate: start, endDate: end });
      expect(canonicalPeriod(id)).toBe(iso);
    });
  }

  it('covers all 20 period types', () => {
    expect(new Set(cases.map((c) => c[1]))).toEqual(new Set(PERIOD_TYPES));
  });

  it('rejects impossible or malformed ids', () => {
    for (const bad of ['', '2024-13', '202413', '20230229', '2023-02-30', '2024W54', '2021W53', '2024W0', '2024Q5', '2024S3', '202407B', '2024BiW28', '24', '2024-1-1', 'abc', '2024March', '2024-0101']) {
      expect(parsePeriod(bad), bad).toBeNull();
    }
  });
});

describe('ADX periods (startDate/duration)', () => {
  const pairs: [string, string][] = [
    ['2020-01-01/P1M', '202001'],
    ['2021-01-01/P3M', '2021Q1'],
    ['2024-01-05/P1D', '20240105'],
    ['2024-01-01/P7D', '2024W1'],
    ['2024-01-03/P7D', '2024WedW1'],
    ['2024-01-04/P7D', '2024ThuW1'],
    ['2023-12-28/P7D', '2023ThuW53'],
    ['2023-12-30/P7D', '2024SatW1'],
    ['2023-12-31/P7D', '2024SunW1'],
    ['2024-01-15/P14D', '2024BiW2'],
    ['2024-03-01/P2M', '202402B'],
    ['2023-11-01/P3M', '2024NovQ1'],
    ['2024-07-01/P6M', '2024S2'],
    ['2024-04-01/P6M', '2024AprilS1'],
    ['2023-11-01/P6M', '2024NovS1'],
    ['2024-01-01/P1Y', '2024'],
    ['2024-04-01/P1Y', '2024April'],
    ['2024-07-01/P1Y', '2024July'],
    ['2024-10-01/P1Y', '2024Oct'],
  ];
  for (const [adx, iso] of pairs) {
    it(`${adx} ↔ ${iso}`, () => {
      expect(adxToPeriod(adx)).toBe(iso);
      expect(periodToAdx(iso)).toBe(adx);
    });
  }
  it('rejects durations that name no DHIS2 period', () => {
    expect(adxToPeriod('2024-01-02/P1M')).toBeNull();
    expect(adxToPeriod('2024-02-01/P3M')).toBe('2024NovQ2');
    expect(adxToPeriod('2024-03-01/P3M')).toBeNull();
    expect(adxToPeriod('2024-01-02/P7D')).toBeNull(); // a Tuesday
    expect(adxToPeriod('202401')).toBeNull();
  });
});

describe('periodOfType: the period of a type containing a date, and its neighbours', () => {
  it('finds the current and future periods of every kind of type', () => {
    expect(periodOfType('Monthly', '2024-02-15')?.iso).toBe('202402');
    expect(periodOfType('Monthly', '2024-12-15', 2)?.iso).toBe('202502');
    expect(periodOfType('Quarterly', '2024-05-01', 1)?.iso).toBe('2024Q3');
    expect(periodOfType('QuarterlyNov', '2024-12-01')?.iso).toBe('2025NovQ1');
    expect(periodOfType('SixMonthlyApril', '2024-02-01')?.iso).toBe('2023AprilS2');
    expect(periodOfType('FinancialJuly', '2024-03-01')?.iso).toBe('2023July');
    expect(periodOfType('Yearly', '2024-03-01', -1)?.iso).toBe('2023');
    expect(periodOfType('Daily', '2024-02-28', 2)?.iso).toBe('20240301');
    expect(periodOfType('Weekly', '2024-01-03')?.iso).toBe('2024W1');
    expect(periodOfType('WeeklySunday', '2024-01-03', 1)?.iso).toBe('2024SunW2');
    expect(periodOfType('BiWeekly', '2024-01-10')?.iso).toBe('2024BiW1');
    expect(periodOfType('BiWeekly', '2024-01-10', 1)?.iso).toBe('2024BiW2');
    expect(periodOfType('Nonsense', '2024-01-10')).toBeNull();
  });
});
