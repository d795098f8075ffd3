/**
 * The DXF2 metadata import engine (spec §2), in DHIS2's steps: preheat (match by UID or CODE, assign UIDs) →
 * validate (checks/registry.ts: DHIS2's checks in DHIS2's order) → write through MetadataRepo → ImportReport.
 * Works on a payload held in memory (as DHIS2 does); every database lookup is a batch query or a map built once per
 * import. The state lives in a Bundle (bundle.ts); each step is its own module.
 */
import type { Db } from '../../db/open.ts';
import { Bundle } from './bundle.ts';
import { runChecks } from './checks/registry.ts';
import { runDelete } from './delete.ts';
import { connectDefaults, dropDefaults, legacyCoordinates, match, preheat } from './preheat.ts';
import { buildReport } from './report.ts';
import type { EngineHooks, EngineOptions, EngineResult, PayloadRecord } from './types.ts';
import { write } from './write.ts';

export type { EngineHooks, EngineOptions, EngineResult, Obj, PayloadRecord } from './types.ts';
export { mergeReports } from './report.ts';

export class MetadataEngine {
  private readonly bundle: Bundle;

  constructor(db: Db, opts: EngineOptions, hooks: EngineHooks = {}) {
    this.bundle = new Bundle(db, opts, hooks);
  }

  /** Notes a top-level key of the payload (arrays or not), so unknown keys are reported. */
  noteKey(key: string, count: number): void {
    this.bundle.noteKey(key, count);
  }

  add(rec: PayloadRecord): void {
    this.bundle.add(rec);
  }

  hasMetadata(): boolean {
    return this.bundle.items.length > 0 || this.bundle.knownKeys > 0;
  }

  run(): EngineResult {
    const b = this.bundle;
    const o = b.opts;
    dropDefaults(b);
    preheat(b);
    b.hooks.throwIfCancelled?.();
    if (o.importStrategy === 'DELETE') {
      const { status, failAll } = runDelete(b);
      return { report: buildReport(b, status, failAll), commit: !failAll };
    }
    match(b);
    connectDefaults(b);
    legacyCoordinates(b);
    b.hooks.progress?.('validating', 0, b.items.length);
    runChecks(b);
    b.hooks.throwIfCancelled?.();
    const hasErrors = b.hasErrors();
    const failAll = hasErrors && o.atomicMode === 'ALL' && !o.lenient;
    if (!failAll) write(b);
    return { report: buildReport(b, failAll ? 'ERROR' : hasErrors ? 'WARNING' : 'OK', failAll), commit: !failAll };
  }
}
