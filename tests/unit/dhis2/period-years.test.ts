/**
 * Which years a period may name (issue 16, defect 7: `0000` was accepted as a year). DHIS2's period patterns take any
 * four digits, but its calendars hold a date valid only when its year is above 0 (AbstractCalendar.isValid), and a
 * period id has four digits: Ferry takes periods whose every day lies in 0001–9999, and computes their dates right
 * (Date.UTC read years 0–99 as 1900–1999).
 */
import { describe, expect, it } from 'vitest';
import { adxToPeriod, parsePeriod, periodOfType, periodToAdx } from '../../../src-shared/dhis2/period.ts';

describe('period years', () => {
  it('refuses year 0000 in every period type', () => {
    for (const id of ['0000', '00000101', '0000-01-01', '0000W1', '0000BiW1', '000001', '0000-01', '000001B', '0000Q1', '0000NovQ2', '0000S1', '0000AprilS1', '0000NovS2', '0000April', '0000July', '0000Sep', '0000Oct', '0000Nov', '0000WedW2', '0000SunW2']) {
      expect(parsePeriod(id), id).toBeNull();
    }
  });

  it('refuses periods that reach into year 0 or past 9999', () => {
    for (const id of ['0001NovQ1', '0001NovS1', '0001SunW1', '0001SatW1', '9999Nov', '9999Oct', '9999W52', '9999AprilS2']) expect(parsePeriod(id), id).toBeNull();
  });

  it('takes years 0001–0999 with their real dates and four-digit ids', () => {
    expect(parsePeriod('0001')).toEqual({ iso: '0001', type: 'Yearly', startDate: '0001-01-01', endDate: '0001-12-31' });
    expect(parsePeriod('0099')).toEqual({ iso: '0099', type: 'Yearly', startDate: '0099-01-01', endDate: '0099-12-31' });
    expect(parsePeriod('0050-02')).toEqual({ iso: '005002', type: 'Monthly', startDate: '0050-02-01', endDate: '0050-02-28' });
    expect(parsePeriod('0001W1')).toEqual({ iso: '0001W1', type: 'Weekly', startDate: '0001-01-01', endDate: '0001-01-07' });
    expect(parsePeriod('0001BiW1')?.iso).toBe('0001BiW1');
    expect(parsePeriod('0999Q4')?.endDate).toBe('0999-12-31');
    expect(periodToAdx('0099')).toBe('0099-01-01/P1Y');
    expect(adxToPeriod('0099-01-01/P1Y')).toBe('0099');
    expect(adxToPeriod('0099-04-01/P6M')).toBe('0099AprilS1');
    expect(adxToPeriod('0098-11-01/P3M')).toBe('0099NovQ1');
    expect(periodOfType('Monthly', '0050-05-03')?.iso).toBe('005005');
    expect(periodOfType('Weekly', '0001-01-03')?.iso).toBe('0001W1');
  });

  it('still takes the last days of 9999 and every period of ordinary years', () => {
    expect(parsePeriod('9999')?.endDate).toBe('9999-12-31');
    expect(parsePeriod('99991231')?.startDate).toBe('9999-12-31');
    expect(parsePeriod('9999NovS1')?.endDate).toBe('9999-04-30');
    expect(parsePeriod('2024')?.startDate).toBe('2024-01-01');
    expect(parsePeriod('1900')?.startDate).toBe('1900-01-01');
  });
});
