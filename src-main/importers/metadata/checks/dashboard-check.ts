/** DashboardCheck — E4069: a dashboard layout where a column index appears more than once. */
import { isObj } from '../objects.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';

export const dashboardCheck: MetadataCheck = {
  name: 'DashboardCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    for (const it of b.live('dashboards')) {
      const layout = it.obj.layout;
      if (!isObj(layout) || !Array.isArray(layout.columns)) continue;
      const seen = new Set<unknown>();
      for (const c of layout.columns) {
        const idx = isObj(c) ? c.index : undefined;
        if (seen.has(idx)) {
          b.error(it, 'E4069', `Dashboard layout is invalid: column index ${String(idx)} appears more than once`, { errorProperty: 'layout', value: String(idx) });
          break;
        }
        seen.add(idx);
      }
    }
  },
};
