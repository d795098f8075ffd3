/**
 * The outcome of one valid data value once the stored value of its key is known: DHIS2 2.42's
 * DefaultDataValueSetService.importDataValue and its saveDataValueCreate / saveDataValueUpdate / saveDataValueDelete
 * (spec §1.7), as a pure decision. FileImport writes and counts what it says. The first matching line wins:
 *
 *   strategy                  stored value     the row                                   outcome
 *   any                       none             insignificant zero                        skipped (not counted)
 *   CREATE                    any              insignificant zero                        skipped (not counted)
 *   CREATE_AND_UPDATE, UPDATE live             no value and no comment, deleted=true,
 *                                              or insignificant zero                     deleted (soft: the row stays)
 *   CREATE_AND_UPDATE, UPDATE live             same value, comment and followup          unchanged (counted ignored)
 *   CREATE_AND_UPDATE, UPDATE live             otherwise                                 updated
 *   DELETE                    live             anything                                  deleted
 *   CREATE                    live             anything                                  ignored (listed in rejectedIndexes)
 *   CREATE_AND_UPDATE, CREATE none / deleted   no value and no comment                   unchanged (counted ignored)
 *   CREATE_AND_UPDATE, CREATE none / deleted   otherwise (an insignificant zero too)     new
 *   UPDATE, DELETE            none / deleted   anything                                  ignored (listed)
 *
 * "No value and no comment" is after trimming (an empty or blank value or comment is none). A soft-deleted stored value
 * counts as one for the zero rule: DHIS2 skips a zero only when no row exists, so a zero over a deleted value is stored
 * (CREATE_AND_UPDATE: undeleted, counted imported) or refused (UPDATE, DELETE).
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
  // zero handling: skipped when no row exists (soft-deleted rows count as existing) or the strategy is CREATE
  if (zero && (existing === null || strategy === 'CREATE')) return 'skipped';
  if (live) {
    if (strategy === 'CREATE_AND_UPDATE' || strategy === 'UPDATE') {
      if (nullValue || deleted === true || zero) return 'deleted';
      if (existing[0] === value && existing[1] === comment && existing[2] === followupOf(followup, existing)) return 'unchanged';
      return 'updated';
    }
    return strategy === 'DELETE' ? 'deleted' : 'ignored';
  }
  // not existing (or soft-deleted)
  if (strategy === 'CREATE_AND_UPDATE' || strategy === 'CREATE') return nullValue ? 'unchanged' : 'new';
  return 'ignored';
}
