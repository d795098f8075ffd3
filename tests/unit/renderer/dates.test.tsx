/** Dates are shown and typed as yyyy-MM-dd whatever the system language (DHIS2's convention). */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { DateField } from '../../../src-renderer/components/Fields.tsx';
import { dateProblem, fmtDate, fmtDateTime, fmtDay } from '../../../src-renderer/components/format.ts';
import { useDataExport } from '../../../src-renderer/stores/exports.ts';
import { setApi } from '../../../src-renderer/api.ts';
import { fakeApi } from './fake-api.ts';

afterEach(() => {
  cleanup();
  setApi(null);
});

function Harness(p: { initial: string; seen: string[] }) {
  const [v, setV] = useState(p.initial);
  return (
    <DateField
      label="Start date"
      value={v}
      onChange={(x) => {
        p.seen.push(x);
        setV(x);
      }}
    />
  );
}

describe('yyyy-MM-dd dates', () => {
  it('validates typed dates', () => {
    expect(dateProblem('')).toBeNull();
    expect(dateProblem('2024-02-29')).toBeNull();
    expect(dateProblem('2023-02-29')).toBe('2023-02-29 is not a day of the calendar.');
    expect(dateProblem('2024-13-01')).toBe('2024-13-01 is not a day of the calendar.');
    expect(dateProblem('31/03/2024')).toBe('Type the date as yyyy-MM-dd, e.g. 2024-03-31 (not "31/03/2024").');
    expect(dateProblem('2024-3-1')).toBe('Type the date as yyyy-MM-dd, e.g. 2024-03-31 (not "2024-3-1").');
  });

  it('shows dates and times as yyyy-MM-dd (local time), not in the system language', () => {
    expect(fmtDate(new Date(2024, 2, 5))).toBe('2024-03-05');
    expect(fmtDateTime(new Date(2024, 11, 31, 9, 7).toISOString())).toBe('2024-12-31 09:07');
  });

  it('the date field is a text input in yyyy-MM-dd, not the browser date input', () => {
    const seen: string[] = [];
    render(<Harness initial="2024-01-01" seen={seen} />);
    const input = screen.getByLabelText('Start date') as HTMLInputElement;
    expect(input.type).toBe('text');
    expect(input.placeholder).toBe('yyyy-MM-dd');
    expect(input.value).toBe('2024-01-01');
    expect(document.querySelector('input[type="date"]')).toBeNull();
    expect(input.getAttribute('aria-invalid')).toBeNull();
    fireEvent.change(input, { target: { value: ' 2024-04-31 ' } });
    expect(seen).toEqual(['2024-04-31']);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const problem = screen.getByTestId('date-problem');
    expect(problem.textContent).toBe('2024-04-31 is not a day of the calendar.');
    expect(input.getAttribute('aria-describedby')).toBe(problem.id);
    fireEvent.change(input, { target: { value: '2024-04-30' } });
    expect(screen.queryByTestId('date-problem')).toBeNull();
  });

  it('says nothing while a date is being typed, and explains after leaving the field', () => {
    render(<Harness initial="" seen={[]} />);
    const input = screen.getByLabelText('Start date');
    fireEvent.change(input, { target: { value: '03/04' } });
    expect(screen.queryByTestId('date-problem')).toBeNull();
    fireEvent.blur(input);
    expect(screen.getByTestId('date-problem').textContent).toBe('Type the date as yyyy-MM-dd, e.g. 2024-03-31 (not "03/04").');
  });

  it('an export with a date that is no day stops before the save dialog, saying why', async () => {
    const api = fakeApi({ 'dialog:saveFile': () => ({ path: '/out/x.json' }) });
    setApi(api);
    const s = useDataExport.getState();
    s.reset();
    s.setOption('startDate', '2024-02-30');
    expect(await useDataExport.getState().start()).toBe(false);
    expect(useDataExport.getState().formError).toBe('2024-02-30 is not a day of the calendar.');
    expect(api.callsTo('dialog:saveFile')).toHaveLength(0);
  });
});

describe('stored timestamps shown as local yyyy-MM-dd', () => {
  it('fmtDay gives the local day of a timestamp', () => {
    const utc = '2026-12-01T23:30:00.000Z';
    const d = new Date(utc);
    expect(fmtDay(utc)).toBe(`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`);
    expect(fmtDay(null)).toBe('—');
    expect(fmtDay('yesterday')).toBe('yesterday');
  });

  it('no screen slices a stored UTC timestamp for display (they go through format.ts, in local time)', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const root = path.resolve(import.meta.dirname, '../../../src-renderer');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.tsx')) {
          const text = fs.readFileSync(p, 'utf8');
          if (/At\.slice\(0, 1[06]\)|type="date"|toLocaleDateString|toLocaleTimeString/.test(text)) offenders.push(path.relative(root, p));
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});

describe('the export forms’ default dates', () => {
  it('are days on the local clock', async () => {
    const { today, monthsAgo } = await import('../../../src-renderer/stores/exports.ts');
    const lateEvening = new Date(2026, 11, 31, 23, 30); // local time, whatever the zone
    expect(today(lateEvening)).toBe('2026-12-31');
    expect(monthsAgo(3, lateEvening)).toBe('2026-10-01'); // 31 September rolls over to 1 October, as Date does
    expect(monthsAgo(12, new Date(2026, 1, 15, 0, 10))).toBe('2025-02-15');
  });
});
