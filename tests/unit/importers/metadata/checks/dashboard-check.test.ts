import { describe, expect, it } from 'vitest';
import { dashboardCheck } from '../../../../../src-main/importers/metadata/checks/dashboard-check.ts';
import { bundleOf, errorsOf, runEngine, useMemoryDb } from '../harness.ts';

const t = useMemoryDb();

describe('DashboardCheck', () => {
  it('E4070 when a layout has more than 60 columns (removed)', () => {
    const dash = (id: string, n: number): Record<string, unknown> => ({ id, name: id, layout: { columns: Array.from({ length: n }, (_, i) => ({ index: i })) } });
    const b = bundleOf(t.db, { dashboards: [dash('DashGood001', 60), dash('DashBad0001', 61)] });
    dashboardCheck.run(b);
    expect(errorsOf(b)).toEqual([['E4070', 'DashBad0001']]);
    expect(b.items[1]!.errors[0]!.message).toBe('Dashboard `DashBad0001` has a layout with more than 60 columns. `61` columns found');
    expect(b.items.map((i) => i.removed)).toEqual([false, true]);
  });

  it('E4061 when an updated dashboard\'s item names an object that is found nowhere (the dashboard is not removed)', () => {
    const dash = (items: Record<string, unknown>[]): Record<string, unknown> => ({ id: 'Dashboard01', name: 'D', dashboardItems: items });
    runEngine(t.db, { dashboards: [dash([])] });
    const b = bundleOf(t.db, { dashboards: [dash([{ id: 'DashItem001', type: 'VISUALIZATION', visualization: { id: 'Visualiz999' } }, { id: 'DashItem002', reports: [{ id: 'Report99999' }] }])] });
    dashboardCheck.run(b);
    expect(b.items[0]!.errors.map((e) => [e.errorCode, e.mainKlass, e.message])).toEqual([
      ['E4061', 'org.hisp.dhis.dashboard.DashboardItem', 'DashboardItem `DashItem001` object reference `VISUALIZATION` with id `Visualiz999` not found'],
      ['E4061', 'org.hisp.dhis.dashboard.DashboardItem', 'DashboardItem `DashItem002` object reference `REPORTS` with id `Report99999` not found'],
    ]);
    expect(b.items[0]!.removed).toBe(false);
  });
});
