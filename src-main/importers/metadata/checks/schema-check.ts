/**
 * SchemaCheck — E4000 (required property missing) and E4001 (string too long), on the object and on its embedded
 * objects (with a dotted property). An object with any of these errors is removed once all are reported.
 */
import type { Bundle, Item } from '../bundle.ts';
import { isObj, listOf, shapeOf } from '../objects.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';

function checkLength(b: Bundle, it: Item, prop: string, v: unknown, max: number): void {
  if (typeof v === 'string' && v.length > max) {
    b.error(it, 'E4001', `Maximum length of property \`${prop}\`is ${max}, but given length was ${v.length}`, {
      errorProperty: prop, args: [prop, String(max), String(v.length)], value: v.length > 60 ? v.slice(0, 57) + '...' : v,
    }, false);
  }
}

export const schemaCheck: MetadataCheck = {
  name: 'SchemaCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    for (const it of b.live()) {
      for (const p of it.spec.required ?? []) {
        const v = it.obj[p];
        if (v === null || v === undefined) b.error(it, 'E4000', `Missing required property \`${p}\``, { errorProperty: p, args: [p] }, false);
      }
      for (const [p, max] of shapeOf(it.type).maxLengths) checkLength(b, it, p, it.obj[p], max);
      for (const [p, e] of Object.entries(it.spec.embedded ?? {})) {
        for (const x of listOf(it.obj[p])) {
          if (!isObj(x)) continue;
          for (const q of e.required ?? []) {
            if (x[q] == null) b.error(it, 'E4000', `Missing required property \`${p}.${q}\``, { errorProperty: `${p}.${q}`, args: [`${p}.${q}`] }, false);
          }
          for (const [q, max] of Object.entries(e.maxLengths ?? {})) checkLength(b, it, `${p}.${q}`, x[q], max);
        }
      }
      if (it.errors.length) it.removed = true;
    }
  },
};
