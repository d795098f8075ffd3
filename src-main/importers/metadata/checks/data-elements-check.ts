/**
 * DataElementObjectBundleHook.validate — E1121: an update that changes a data element's value type while data values
 * are stored for it (the stored value types are read in one query; data values counted only for the changed ones).
 * Before it, E4019: a field mask that is not a valid TextPattern TEXT segment.
 */
import type { MetadataCheck } from './check.ts';
import { WRITE_STRATEGIES } from './check.ts';
import { fmt, hookError, klassOf } from './hook-support.ts';
import { isTextSegment } from './text-pattern.ts';

const E4019 = 'Failed to parse pattern `{0}` {1}';
const E1121 = 'Data element `{0}` value type cannot be changed as it has associated data values';

export const dataElementsCheck: MetadataCheck = {
  name: 'DataElementsCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    for (const it of b.live('dataElements')) {
      const mask = it.obj.fieldMask;
      if (typeof mask === 'string' && !isTextSegment(mask)) {
        hookError(b, it, klassOf('dataElements'), 'E4019', fmt(E4019, mask, "Not a valid TextPattern 'TEXT' segment"), [mask, "Not a valid TextPattern 'TEXT' segment"], { errorProperty: 'fieldMask' });
      }
    }
    const updates = b.live('dataElements').filter((it) => it.existing);
    if (!updates.length) return;
    const storedTypes = new Map<string, unknown>();
    for (const r of b.repo.propertyValues('dataElements', 'valueType')) storedTypes.set(r.uid, r.v);
    for (const it of updates) {
      const uid = it.obj.id as string;
      const before = storedTypes.get(uid) ?? null;
      const after = it.obj.valueType ?? null;
      if (before === after) continue;
      if (!b.repo.dataUsage('dataElements', it.existing!.id)) continue;
      hookError(b, it, klassOf('dataElements'), 'E1121', fmt(E1121, uid), [uid], { errorProperty: 'valueType', value: String(after) });
    }
  },
};
