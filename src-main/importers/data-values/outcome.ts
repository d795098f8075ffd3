/**
 * The outcome of one valid data value once the stored value of its key is known: DHIS2 2.42's table (spec §1.7),
 * as a pure decision. FileImport writes and counts what it says. The first matching line wins:
 *
 *   strategy                  stored value     the row                                   outcome
 *   CREATE_AND_UPDATE, UPDATE live             insignificant zero                        deleted
 *   DELETE                    live             anything                                  deleted
 *   any                       any              insignificant zero                        skipped (not counted)
 *   DELETE                    none / deleted   anything                                  ignored (listed in rejectedIndexes)
 *   CREATE                    live             anything                                  ignored (listed)
 *   CREATE_AND_UPDATE, UPDATE live             no value and no comment, or deleted=true  deleted (soft: the row stays)
 *   CREATE_AND_UPDATE, UPDATE live             same value, comment and followup          unchanged (counted ignored)
 *   CREATE_AND_UPDATE, UPDATE live             otherwise                                 updated
 *   UPDATE                    none / deleted   anything                                  ignored (listed)
 *   CREATE_AND_UPDATE, CREATE none / deleted   no value and no comment                   unchanged (counted ignored)
 *   CREATE_AND_UPDATE, CREATE none / deleted   otherwise                                 new
 *
 * "new" over a soft-deleted row replaces it (undelete); a row with deleted=true is stored deleted. With
 * skipExistingCheck no stored value is looked up: every key counts as holding none.
 */
import type { ImportStrategy } from '../../../src-shared/dhis2/options.ts';
import { isZero } from '../../../src-shared/dhis2/value-types.ts';
import type { ExistingRow } from '../../db/repos/data-values.ts';
import type { DeInfo } from './lookups.ts';

/**
 * new: insert (count imported) · updated: update (count updated) · deleted: soft delete (count deleted) ·
 * unchanged: count ignored · ignored: count ignored and list the row in rejectedIndexes · skipped: nothing
 */
export type Outcome = 'new' | 'updated' | 'deleted' | 'unchanged' | 'ignored' | 'skipped';

/**
 * True for a zero DHIS2 does not store: a numeric data element whose zeros are not significant, unless it is
 * averaged (an average needs its zeros).
 */
export function isInsignificantZero(de: Pick<DeInfo, 'numeric' | 'zeroIsSignificant' | 'aggregationType'>, value: string | null): boolean {
  return value !== null && de.numeric && !de.zeroIsSignificant && isZero(value) && de.aggregationType !== 'AVERAGE' && de.aggregationType !== 'AVERAGE_SUM_ORG_UNIT';
}

/**
 * True when a row whose key holds no value would be inserted as a plain new value: then an insert can be tried before
 * any lookup (the import's fast path on empty partitions).
 */
export function insertsWhenAbsent(strategy: ImportStrategy, zero: boolean, nullValue: boolean, deleted: boolean | undefined): boolean {
  return !zero && !nullValue && deleted !== true && (strategy === 'CREATE_AND_UPDATE' || strategy === 'CREATE');
}

/** The followup flag an update writes: the row's when given, else the stored one. */
export function followupOf(followup: number | undefined, existing: ExistingRow): number {
  return followup === undefined ? existing[2] : followup;
}

/**
 * The outcome table. `existing` is the stored row of the key (null when there is none, or when the existing-value
 * check is skipped); `zero` is isInsignificantZero; `nullValue` means neither value nor comment; `deleted` is the
 * row's deleted flag. Arguments are positional: this runs once per value.
 */
export function decideOutcome(
  strategy: ImportStrategy,
  existing: ExistingRow | null,
  value: string | null,
  comment: string | null,
  followup: number | undefined,
  zero: boolean,
  nullValue: boolean,
  deleted: boolean | undefined,
): Outcome {
  const live = existing !== null && existing[3] === 0;
  // zero handling: an insignificant zero deletes a live value (CREATE_AND_UPDATE / UPDATE) or is skipped silently
  if (zero) {
    if (live && (strategy === 'CREATE_AND_UPDATE' || strategy === 'UPDATE')) return 'deleted';
    if (!(live && strategy === 'DELETE')) return 'skipped';
  }
  if (strategy === 'DELETE') return live ? 'deleted' : 'ignored';
  if (live) {
    if (strategy === 'CREATE') return 'ignored';
    if (nullValue || deleted === true) return 'deleted';
    if (existing[0] === value && existing[1] === comment && existing[2] === followupOf(followup, existing)) return 'unchanged';
    return 'updated';
  }
  // not existing (or soft-deleted)
  if (strategy === 'UPDATE') return 'ignored';
  if (nullValue) return 'unchanged';
  return 'new';
}
