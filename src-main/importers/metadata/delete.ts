/**
 * importStrategy DELETE: match each payload object with the stored one, run the DELETE checks (DeletionCheck), then
 * DHIS2's deletion vetoes (E4030: data recorded against the object, or objects that stay still referencing it), and
 * delete what is left.
 */
import type { ImportReport } from '../../../src-shared/dhis2/import-summary.ts';
import type { Bundle } from './bundle.ts';
import { runChecks } from './checks/registry.ts';
import { describe } from './objects.ts';

/** Refuses objects with data recorded against them (values, completions, events): data is never deleted with them. */
function vetoDataUsage(b: Bundle): void {
  for (const it of b.live()) {
    const usage = b.repo.dataUsage(it.type, it.existing!.id);
    if (!usage) continue;
    const d = describe(it.type, it.obj);
    b.error(it, 'E4030', `Object could not be deleted because it is associated with another object: ${usage.count} ${usage.what} (${d})`, {
      errorProperty: 'id', args: [d], value: String(usage.count),
    });
  }
}

/**
 * Refuses objects still referenced by objects that stay (a child's parent, a data set's data element …), so no
 * reference is left dangling; repeated until stable, as a refusal can keep a referrer of another object.
 */
function vetoReferenced(b: Bundle): void {
  for (let changed = true; changed; ) {
    changed = false;
    const deleting = new Set(b.live().map((i) => i.existing!.id));
    for (const it of b.live()) {
      const blocking = b.repo.referrers(it.existing!.id).filter((r) => !deleting.has(r.id));
      if (!blocking.length) continue;
      const d = describe(it.type, it.obj);
      const list = blocking.slice(0, 3).map((r) => `${describe(r.type, { id: r.uid })} via ${r.property}`).join(', ');
      b.error(it, 'E4030', `Object could not be deleted because it is associated with another object: ${list}${blocking.length > 3 ? ` and ${blocking.length - 3} more` : ''}`, {
        errorProperty: 'id', args: [d, list], value: String(blocking.length),
      });
      changed = true;
    }
  }
}

/** Runs a DELETE import over a preheated bundle; returns the report status and whether anything may be committed. */
export function runDelete(b: Bundle): { status: ImportReport['status']; failAll: boolean } {
  for (const it of b.items) {
    it.existing = b.findStored(it.type, it.obj);
    if (it.existing) it.obj.id = it.existing.uid;
  }
  runChecks(b);
  vetoDataUsage(b);
  vetoReferenced(b);
  const hasErrors = b.hasErrors();
  const failAll = hasErrors && b.opts.atomicMode === 'ALL';
  if (!failAll) {
    let ou = false;
    for (const it of b.live()) {
      b.repo.delete(it.existing!.id);
      if (it.type === 'organisationUnits') ou = true;
    }
    if (ou) b.repo.rebuildOrgUnitPaths();
  }
  return { status: failAll ? 'ERROR' : hasErrors ? 'WARNING' : 'OK', failAll };
}
