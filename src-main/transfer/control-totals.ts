/**
 * Control totals (src-shared/transfer.ts ControlTotal): per org unit × data set × period, the number of live values
 * stored and the sum of the numeric ones. The sender writes them for every cell its package touches; the receiver
 * (reconcile) computes the same figures over its own database with the same code, so both sides agree to the last bit:
 *  - a value counts under every data set its data element belongs to, and under dataSet null when it belongs to none;
 *  - numeric = the data element's value type is numeric (NUMBER, INTEGER…, PERCENTAGE, UNIT_INTERVAL); a stored text
 *    that does not parse as a finite number adds nothing to the sum (it is still counted in `values`);
 *  - the sum is taken in key order (data element, category option combo, attribute option combo) and rounded to
 *    6 decimals (roundSum), so that floating-point noise never shows as a mismatch.
 */
import type { Db } from '../db/open.ts';
import { ControlTotalsRepo } from '../db/repos/transfer-sites.ts';
import { MetadataLookupRepo } from '../db/repos/metadata-lookups.ts';
import { isNumericType } from '../../src-shared/dhis2/value-types.ts';

export function roundSum(sum: number): number {
  const r = Math.round(sum * 1e6) / 1e6;
  return Object.is(r, -0) ? 0 : r;
}

export interface CellTotal {
  /** metadata_object id of the data set, null: data elements in no data set */
  dataSet: number | null;
  values: number;
  sum: number;
}

/** Data set membership and numeric value types, read once; totals of one org unit × period at a time. */
export class ControlTotaller {
  private readonly dataSetsOfDe = new Map<number, number[]>();
  private readonly numeric = new Set<number>();
  private readonly repo: ControlTotalsRepo;

  constructor(db: Db) {
    const meta = new MetadataLookupRepo(db);
    this.repo = new ControlTotalsRepo(db);
    for (const ds of meta.dataSetIdsByName()) {
      for (const uid of meta.dataSetElementUids(ds)) {
        const de = meta.idByUid('dataElements', uid);
        if (de === undefined) continue;
        let list = this.dataSetsOfDe.get(de);
        if (!list) this.dataSetsOfDe.set(de, (list = []));
        if (!list.includes(ds)) list.push(ds);
      }
    }
    for (const [id, vt] of meta.dataElementValueTypes()) if (vt != null && isNumericType(vt)) this.numeric.add(id);
  }

  /** The data sets a data element's values count under ([null]: none). */
  dataSetsOf(de: number): readonly (number | null)[] {
    return this.dataSetsOfDe.get(de) ?? NONE;
  }

  /** Whether a data element's values are summed (numeric value type). */
  isNumeric(de: number): boolean {
    return this.numeric.has(de);
  }

  /** Totals of the live values stored for one org unit and period, per data set (only those in `only`, when given). */
  cell(ou: number, pe: number, only?: ReadonlySet<number | null>): CellTotal[] {
    const acc = new Map<number | null, { values: number; sum: number }>();
    if (only) for (const ds of only) acc.set(ds, { values: 0, sum: 0 });
    for (const [de, value] of this.repo.liveValues(ou, pe)) {
      const num = this.numeric.has(de) && value != null ? Number(value) : NaN;
      for (const ds of this.dataSetsOf(de)) {
        let a = acc.get(ds);
        if (!a) {
          if (only) continue;
          acc.set(ds, (a = { values: 0, sum: 0 }));
        }
        a.values++;
        if (Number.isFinite(num)) a.sum += num;
      }
    }
    return [...acc].map(([dataSet, a]) => ({ dataSet, values: a.values, sum: roundSum(a.sum) }));
  }
}

const NONE: readonly (number | null)[] = [null];
