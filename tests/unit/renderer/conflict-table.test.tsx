/** The conflict table pages its rows and groups them by code and object (issue 15, "Big results stay fast"). */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { ConflictTable, groupRows, type Column } from '../../../src-renderer/components/ConflictTable.tsx';
import type { ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import { DataImportSummaryView } from '../../../src-renderer/components/ImportSummaryView.tsx';

afterEach(cleanup);

interface Row {
  errorCode: string;
  object: string;
  value: string;
  line: number;
}
const COLUMNS: Column<Row>[] = [
  { key: 'errorCode', label: 'Error code', text: (r) => r.errorCode },
  { key: 'value', label: 'Message', text: (r) => r.value },
  { key: 'object', label: 'Object', text: (r) => r.object },
  { key: 'line', label: 'Where', text: (r) => `line ${r.line}` },
];
/** 120 conflicts: E7619 on DeA (lines 1–80, every other one) and DeB, E7610 on DeZ (the rest) */
const ROWS: Row[] = Array.from({ length: 120 }, (_, i) =>
  i < 80 ? { errorCode: 'E7619', object: i % 2 ? 'DeB' : 'DeA', value: `not a number: x${i}`, line: i + 2 } : { errorCode: 'E7610', object: 'DeZ', value: `Data element not found: DeZ (${i})`, line: i + 2 },
);

const bodyRows = (el: HTMLElement): HTMLElement[] => within(el).getAllByRole('row').slice(1);

describe('ConflictTable', () => {
  it('groups by code and object by default when there is more than a page, with each group’s count', () => {
    render(<ConflictTable title="Conflicts" rows={ROWS} columns={COLUMNS} pageSize={20} />);
    const groups = screen.getByTestId('conflict-groups');
    const rows = bodyRows(groups);
    expect(rows.map((r) => [r.getAttribute('data-code'), r.querySelector('[data-col="count"]')!.textContent])).toEqual([
      ['E7619', '40'],
      ['E7619', '40'],
      ['E7610', '40'],
    ]);
    expect(rows[0]!.textContent).toContain('DeA');
    expect(rows[0]!.textContent).toContain('not a number: x0');
    expect(rows[2]!.textContent).toContain('DeZ');
    expect(screen.getByTestId('conflict-page').textContent).toBe('Groups 1–3 of 3.');
    expect(screen.queryByTestId('conflict-next')).toBeNull();
    expect(screen.getByTestId('conflict-view-grouped').getAttribute('aria-pressed')).toBe('true');
  });

  it('pages each conflict: 20 rows drawn of 120, Next and Previous move by a page', () => {
    const { container } = render(<ConflictTable title="Conflicts" rows={ROWS} columns={COLUMNS} pageSize={20} />);
    fireEvent.click(screen.getByTestId('conflict-view-rows'));
    const table = (): HTMLElement => container.querySelector('table')!;
    expect(bodyRows(table())).toHaveLength(20);
    expect(bodyRows(table())[0]!.textContent).toContain('line 2');
    expect(screen.getByTestId('conflict-page').textContent).toBe('Rows 1–20 of 120.');
    expect((screen.getByTestId('conflict-prev') as HTMLButtonElement).disabled).toBe(true);
    for (let i = 0; i < 5; i++) fireEvent.click(screen.getByTestId('conflict-next'));
    expect(screen.getByTestId('conflict-page').textContent).toBe('Rows 101–120 of 120.');
    expect(bodyRows(table())[19]!.textContent).toContain('line 121');
    expect((screen.getByTestId('conflict-next') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('conflict-prev'));
    expect(screen.getByTestId('conflict-page').textContent).toBe('Rows 81–100 of 120.');
    expect(bodyRows(table())[0]!.textContent).toContain('E7610');
  });

  it('a filter goes back to the first page and counts what matches', () => {
    const { container } = render(<ConflictTable title="Conflicts" rows={ROWS} columns={COLUMNS} pageSize={20} />);
    fireEvent.click(screen.getByTestId('conflict-view-rows'));
    fireEvent.click(screen.getByTestId('conflict-next'));
    fireEvent.change(screen.getByTestId('conflict-filter'), { target: { value: 'E7610' } });
    expect(screen.getByTestId('conflict-page').textContent).toBe('Rows 1–20 of 40. 40 of 120 match the filter.');
    expect(bodyRows(container.querySelector('table')!).every((r) => r.textContent!.includes('E7610'))).toBe(true);
    fireEvent.click(screen.getByTestId('conflict-view-grouped'));
    expect(bodyRows(screen.getByTestId('conflict-groups'))).toHaveLength(1);
    fireEvent.change(screen.getByTestId('conflict-filter'), { target: { value: 'nothing like this' } });
    expect(screen.getByTestId('conflict-page').textContent).toBe('Nothing matches the filter.');
  });

  it('a short list shows each conflict, no pager; a table without code and object offers no grouping', () => {
    render(<ConflictTable title="Conflicts" rows={ROWS.slice(0, 3)} columns={COLUMNS} />);
    expect(screen.queryByTestId('conflict-groups')).toBeNull();
    expect(screen.getByTestId('conflict-page').textContent).toBe('Rows 1–3 of 3.');
    expect(screen.queryByTestId('conflict-next')).toBeNull();
    cleanup();
    render(<ConflictTable title="Warnings" rows={ROWS} columns={COLUMNS.filter((c) => c.key !== 'object')} />);
    expect(screen.queryByTestId('conflict-view-grouped')).toBeNull();
    expect(screen.getByTestId('conflict-page').textContent).toBe('Rows 1–50 of 120.');
  });

  it('groupRows keeps the first appearance order and counts exactly', () => {
    const g = groupRows(ROWS, COLUMNS[0]!, COLUMNS[2]!);
    expect(g.map((x) => [x.first.object, x.count])).toEqual([
      ['DeA', 40],
      ['DeB', 40],
      ['DeZ', 40],
    ]);
  });

  it('a data summary with 500 listed conflicts draws one page of groups, not 500 rows', () => {
    const conflicts = Array.from({ length: 500 }, (_, i) => ({
      object: `De${String(i % 7).padStart(9, '0')}`,
      objects: { dataElement: `De${String(i % 7).padStart(9, '0')}` },
      value: `Value must match value type: x${i}`,
      errorCode: 'E7619',
      property: 'value',
      indexes: [i],
      lines: [i + 2],
    }));
    const summary: ImportSummary = {
      responseType: 'ImportSummary',
      status: 'WARNING',
      description: 'Import process completed successfully',
      importCount: { imported: 0, updated: 0, ignored: 100_000, deleted: 0 },
      conflicts,
      rejectedIndexes: [],
      moreConflicts: { E7619: { conflicts: 99_500, rows: 99_500 } },
    };
    render(<DataImportSummaryView summary={summary} dryRun={false} />);
    const table = screen.getByTestId('conflict-table');
    expect(within(table).getByRole('heading').textContent).toBe('Conflicts (100,000)');
    expect(bodyRows(within(table).getByTestId('conflict-groups'))).toHaveLength(7);
    expect(table.querySelectorAll('tr').length).toBe(8);
    fireEvent.click(within(table).getByTestId('conflict-view-rows'));
    expect(table.querySelectorAll('tbody tr').length).toBe(50);
    expect(within(table).getByTestId('conflict-page').textContent).toBe('Rows 1–50 of 500.');
  });
});

describe('ConflictTable printed', () => {
  it('holds every listed line while the page prints (beforeprint … afterprint)', () => {
    const { container } = render(<ConflictTable title="Conflicts" rows={ROWS} columns={COLUMNS} pageSize={20} />);
    fireEvent.click(screen.getByTestId('conflict-view-rows'));
    fireEvent.click(screen.getByTestId('conflict-next'));
    expect(bodyRows(container.querySelector('table')!)).toHaveLength(20);
    act(() => void window.dispatchEvent(new Event('beforeprint')));
    expect(bodyRows(container.querySelector('table')!)).toHaveLength(120);
    act(() => void window.dispatchEvent(new Event('afterprint')));
    expect(bodyRows(container.querySelector('table')!)).toHaveLength(20);
    expect(screen.getByTestId('conflict-page').textContent).toBe('Rows 21–40 of 120.');
  });
});
