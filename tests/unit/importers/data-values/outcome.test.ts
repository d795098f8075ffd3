/**
 * The data value outcome table (src-main/importers/data-values/outcome.ts), DHIS2 2.42 (spec §1.7): every strategy
 * against every state of the stored value, zero handling, soft delete and undelete.
 */
import { describe, expect, it } from 'vitest';
import { decideOutcome, followupOf, insertsWhenAbsent, isInsignificantZero, type Outcome } from '../../../../src-main/importers/data-values/outcome.ts';
import type { ExistingRow } from '../../../../src-main/db/repos/data-values.ts';
import type { ImportStrategy } from '../../../../src-shared/dhis2/options.ts';

const STRATEGIES: ImportStrategy[] = ['CREATE_AND_UPDATE', 'CREATE', 'UPDATE', 'DELETE'];
/** [value, comment, followup, deleted] */
const LIVE: ExistingRow = ['5', 'note', 0, 0];
const SOFT_DELETED: ExistingRow = ['5', 'note', 0, 1];

interface Row {
  value?: string | null;
  comment?: string | null;
  followup?: number;
  zero?: boolean;
  deleted?: boolean;
}

function decide(strategy: ImportStrategy, existing: ExistingRow | null, r: Row = {}): Outcome {
  const value = r.value === undefined ? '7' : r.value;
  const comment = r.comment === undefined ? null : r.comment;
  return decideOutcome(strategy, existing, value, comment, r.followup, r.zero ?? false, value === null && comment === null, r.deleted);
}

const each = (fn: (s: ImportStrategy) => Outcome): Record<string, Outcome> => Object.fromEntries(STRATEGIES.map((s) => [s, fn(s)]));

describe('decideOutcome: a value for a key that holds none', () => {
  it('is new for CREATE_AND_UPDATE and CREATE, ignored (listed) for UPDATE and DELETE', () => {
    expect(each((s) => decide(s, null))).toEqual({ CREATE_AND_UPDATE: 'new', CREATE: 'new', UPDATE: 'ignored', DELETE: 'ignored' });
  });

  it('treats a soft-deleted row as none: a new value replaces it (undelete)', () => {
    expect(each((s) => decide(s, SOFT_DELETED))).toEqual({ CREATE_AND_UPDATE: 'new', CREATE: 'new', UPDATE: 'ignored', DELETE: 'ignored' });
  });

  it('counts a row with neither value nor comment as unchanged (nothing to store), except where the strategy refuses it', () => {
    expect(each((s) => decide(s, null, { value: null }))).toEqual({ CREATE_AND_UPDATE: 'unchanged', CREATE: 'unchanged', UPDATE: 'ignored', DELETE: 'ignored' });
  });

  it('stores a comment without a value', () => {
    expect(decide('CREATE_AND_UPDATE', null, { value: null, comment: 'only a comment' })).toBe('new');
  });

  it('stores a row marked deleted=true as a new (deleted) row', () => {
    expect(decide('CREATE_AND_UPDATE', null, { deleted: true })).toBe('new');
  });
});

describe('decideOutcome: a value for a key that holds a live value', () => {
  it('updates a different value (CREATE_AND_UPDATE, UPDATE), ignores it for CREATE, deletes it for DELETE', () => {
    expect(each((s) => decide(s, LIVE, { value: '6', comment: 'note' }))).toEqual({ CREATE_AND_UPDATE: 'updated', CREATE: 'ignored', UPDATE: 'updated', DELETE: 'deleted' });
  });

  it('is unchanged when value, comment and followup are all the same', () => {
    expect(decide('CREATE_AND_UPDATE', LIVE, { value: '5', comment: 'note' })).toBe('unchanged');
    expect(decide('UPDATE', LIVE, { value: '5', comment: 'note', followup: 0 })).toBe('unchanged');
  });

  it('updates when only the comment or the followup flag differs (decideOutcome keeps the stored flag for an absent one; FileImport always passes 0 or 1, DHIS2 reads an absent followup as false)', () => {
    expect(decide('CREATE_AND_UPDATE', LIVE, { value: '5', comment: 'other' })).toBe('updated');
    expect(decide('CREATE_AND_UPDATE', LIVE, { value: '5', comment: 'note', followup: 1 })).toBe('updated');
    expect(decide('CREATE_AND_UPDATE', LIVE, { value: '5', comment: 'note', followup: undefined })).toBe('unchanged');
  });

  it('soft-deletes on an empty value (no value, no comment) or deleted=true', () => {
    expect(decide('CREATE_AND_UPDATE', LIVE, { value: null })).toBe('deleted');
    expect(decide('UPDATE', LIVE, { value: null })).toBe('deleted');
    expect(decide('CREATE_AND_UPDATE', LIVE, { deleted: true })).toBe('deleted');
    expect(decide('CREATE', LIVE, { value: null })).toBe('ignored');
  });
});

describe('decideOutcome: insignificant zeros', () => {
  it('delete a live value (CREATE_AND_UPDATE, UPDATE, DELETE), are skipped without being counted when no row exists, and undelete a deleted row', () => {
    expect(each((s) => decide(s, LIVE, { value: '0', zero: true }))).toEqual({ CREATE_AND_UPDATE: 'deleted', CREATE: 'skipped', UPDATE: 'deleted', DELETE: 'deleted' });
    expect(each((s) => decide(s, null, { value: '0', zero: true }))).toEqual({ CREATE_AND_UPDATE: 'skipped', CREATE: 'skipped', UPDATE: 'skipped', DELETE: 'skipped' });
    // DHIS2 2.42 skips a zero only when findObject found no row (`existingValue == null || strategy.isCreate()`), and
    // findObject finds soft-deleted rows too: a zero over a deleted value is undeleted (imported) or refused
    expect(each((s) => decide(s, SOFT_DELETED, { value: '0', zero: true }))).toEqual({ CREATE_AND_UPDATE: 'new', CREATE: 'skipped', UPDATE: 'ignored', DELETE: 'ignored' });
  });
});

describe('isInsignificantZero', () => {
  const de = { numeric: true, zeroIsSignificant: false, aggregationType: 'SUM' };
  it('is a zero of a numeric data element whose zeros are not significant', () => {
    for (const v of ['0', '0.0', '0.000']) expect(isInsignificantZero(de, v), v).toBe(true);
    for (const v of ['1', '0.1', '10']) expect(isInsignificantZero(de, v), v).toBe(false);
    expect(isInsignificantZero(de, null)).toBe(false);
  });
  it('is never one when zeros are significant, the element is not numeric, or it is averaged', () => {
    expect(isInsignificantZero({ ...de, zeroIsSignificant: true }, '0')).toBe(false);
    expect(isInsignificantZero({ ...de, numeric: false }, '0')).toBe(false);
    expect(isInsignificantZero({ ...de, aggregationType: 'AVERAGE' }, '0')).toBe(false);
    expect(isInsignificantZero({ ...de, aggregationType: 'AVERAGE_SUM_ORG_UNIT' }, '0')).toBe(false);
  });
});

describe('insertsWhenAbsent (the fast path on empty partitions) agrees with the table', () => {
  it('is true exactly when a key holding nothing makes the row a plain new live value', () => {
    for (const s of STRATEGIES)
      for (const zero of [false, true])
        for (const value of ['7', null])
          for (const deleted of [undefined, false, true]) {
            const nullValue = value === null;
            const fast = insertsWhenAbsent(s, zero, nullValue, deleted);
            const table = decideOutcome(s, null, value, null, undefined, zero, nullValue, deleted);
            // the fast path never changes the outcome: when it applies, the table says new (and not a deleted row)
            if (fast) expect(table, `${s} zero=${zero} value=${value} deleted=${deleted}`).toBe('new');
            else if (table === 'new') expect(deleted).toBe(true);
          }
  });
});

describe('followupOf', () => {
  it('takes the row flag when given, else the stored one', () => {
    expect(followupOf(undefined, ['5', null, 1, 0])).toBe(1);
    expect(followupOf(0, ['5', null, 1, 0])).toBe(0);
  });
});
