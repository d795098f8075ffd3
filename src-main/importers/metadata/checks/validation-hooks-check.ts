/**
 * ValidationHooksCheck (dhis2-core): every object bundle hook's `validate` runs second in the chain (right after
 * DuplicateIdsCheck) and marks the objects it reports on; DHIS2 removes them from the bundle once the whole chain has
 * run. Ferry's hook checks (one file per family: category-option-combos-, options-, org-units-, data-elements-,
 * data-sets-, tracked-entities-, programs-, program-rules-, aggregate-data-exchanges-check) are registered second and
 * record their errors through `hookError`; this check, registered last, adds them to the objects and removes them.
 */
import type { ErrorReport } from '../../../../src-shared/dhis2/import-summary.ts';
import type { Bundle, Item } from '../bundle.ts';
import { str } from '../objects.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';

const pending = new WeakMap<Bundle, Map<Item, ErrorReport[]>>();

/**
 * Records an error DHIS2 reports with `new ErrorReport(Klass.class, code, args…)` (`mainKlass` is that class). As in
 * DHIS2 (ValidationContext.markForRemoval), the object stays in the import for the rest of the chain, so the later
 * checks see it and report on it too; at the end of the chain (validationHooksCheck) the hook errors are put first
 * in its error list (the hooks run second in DHIS2's chain) and the object is removed. They are held aside until
 * then so that the checks that remove objects with errors of their own do not take them for theirs.
 */
export function hookError(b: Bundle, it: Item, mainKlass: string, code: string, message: string, args: unknown[], extra: Partial<ErrorReport> = {}): void {
  let m = pending.get(b);
  if (!m) pending.set(b, (m = new Map()));
  let list = m.get(it);
  if (!list) m.set(it, (list = []));
  list.push({ message, mainKlass, mainId: str(it.obj.id), errorCode: code, args: args.map((a) => (a == null ? 'null' : String(a))), ...extra });
}

/** The end of DHIS2's validation chain for the hooks: the objects a hook marked get its errors and are removed. */
export const validationHooksCheck: MetadataCheck = {
  name: 'ValidationHooksCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    for (const [it, errors] of pending.get(b) ?? []) {
      it.errors.unshift(...errors);
      it.removed = true;
    }
    pending.delete(b);
  },
};
