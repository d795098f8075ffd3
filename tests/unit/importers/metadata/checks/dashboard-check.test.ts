import { describe, expect, it } from 'vitest';
import { dashboardCheck } from '../../../../../src-main/importers/metadata/checks/dashboard-check.ts';
import { bundleOf, errorsOf, useMemoryDb } from '../harness.ts';

const t = useMemoryDb();

describe('DashboardCheck', () => {
  it('E4069 when a layout column index appears twice', () => {
    const dash = (id: string, indexes: number[]): Record<string, unknown> => ({ id, name: id, layout: { columns: indexes.map((index) => ({ index })) } });
    const b = bundleOf(t.db, { dashboards: [dash('DashGood001', [0, 1]), dash('DashBad0001', [0, 1, 1])] });
    dashboardCheck.run(b);
    expect(errorsOf(b)).toEqual([['E4069', 'DashBad0001']]);
    expect(b.items[1]!.errors[0]!.message).toBe('Dashboard layout is invalid: column index 1 appears more than once');
  });
});
