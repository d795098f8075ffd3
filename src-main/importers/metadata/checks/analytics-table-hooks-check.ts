/**
 * Analytics table hooks (dhis2-core master AnalyticsTableHookObjectBundleHook): E6400 a hook equal to a STORED one
 * (another uid) — same phase, resource table type, analytics table type and SQL. As in DHIS2, the stored candidates
 * are those found by phase and resource table type (`h.phase = :phase and h.resourceTableType = :resourceTableType`),
 * so a hook without a phase or without a resource table type (an analytics-table hook) is never a duplicate, and
 * neither are two new hooks of one payload. A hook without SQL is left to the other checks (DHIS2 cannot compare it).
 */
import type { Bundle } from '../bundle.ts';
import { str } from '../objects.ts';
import type { Obj } from '../types.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';
import { fmt, hookError, klassOf } from './hook-support.ts';

const E6400 = 'Analytics table hook `{0}` is a duplicate of `{1}`';

function analyticsTableHooksHook(b: Bundle): void {
  const items = b.live('analyticsTableHooks');
  if (!items.length) return;
  const K = klassOf('analyticsTableHooks');
  const stored: Obj[] = [...b.repo.iterate('analyticsTableHooks')].map((s) => ({ ...s.json, id: s.uid }));
  for (const it of items) {
    const o = it.obj;
    const phase = str(o.phase);
    const resourceTableType = str(o.resourceTableType);
    if (!phase || !resourceTableType || typeof o.sql !== 'string') continue;
    for (const s of stored) {
      if (str(s.phase) !== phase || str(s.resourceTableType) !== resourceTableType || s.id === str(o.id)) continue;
      if ((str(s.analyticsTableType) ?? null) !== (str(o.analyticsTableType) ?? null) || s.sql !== o.sql) continue;
      const args = [str(o.name) ?? null, str(s.name) ?? null];
      hookError(b, it, K, 'E6400', fmt(E6400, ...args), args);
    }
  }
}

export const analyticsTableHooksCheck: MetadataCheck = {
  name: 'AnalyticsTableHooksCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run: analyticsTableHooksHook,
};
