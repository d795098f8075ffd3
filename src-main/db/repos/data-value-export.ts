/**
 * The read side of the data value export when it is large: the selected values fetched an (org unit, period) partition
 * at a time instead of a row at a time.
 *
 * Crossing from SQLite to JavaScript costs per row and per column far more than reading the row: 1,000,000 values of
 * a data set × year out of 20,000,000 take about 0.2 s of CPU to count and 1.6 s to fetch as twelve-column rows. One
 * row per partition, its values as a JSON array built by SQLite (json_group_array) and parsed by V8, takes 0.75 s for
 * the same values. The partitions are the table's key order (ou, pe, de, coc, aoc), so the GROUP BY needs no sort and
 * the values come out in exactly the order of the row cursor; memory holds one partition (the values of one org unit
 * and period), never the export.
 *
 * When the query plan would read the values in another order (through data_value_de_pe, or pairs from
 * data_value_change) the GROUP BY would sort the whole selection first: then the row cursor
 * (DataValuesRepo.exportRows) is used as before.
 */
import type { Db } from '../open.ts';
import { Statements } from './statements.ts';
import { DataValuesRepo, whereOf, type DataValueFilter, type ExportRow } from './data-values.ts';

export class DataValueExportRepo {
  private readonly st: Statements;
  private readonly values: DataValuesRepo;

  constructor(private readonly db: Db) {
    this.st = new Statements(db);
    this.values = new DataValuesRepo(db);
  }

  /**
   * The selected values in key order, as DataValuesRepo.exportRows gives them ([de, pe, ou, coc, aoc, value,
   * stored_by, created, last_updated, comment, followup, deleted], stored_by / created / last_updated as their text,
   * created null when `withCreated` is false). The yielded array is the same one each time, rewritten: a caller uses
   * a row before asking for the next.
   */
  exportRows(f: DataValueFilter, withCreated: boolean, limit: number | null): IterableIterator<ExportRow> {
    const { where, params } = whereOf(f, this.values.byPartition(f));
    const sql =
      `SELECT dv.ou, dv.pe, json_group_array(json_array(dv.de, dv.coc, dv.aoc, dv.value, dv.stored_by, ${withCreated ? 'dv.created' : 'NULL'}, ` +
      `dv.last_updated, dv.comment, dv.followup, dv.deleted)) FROM data_value dv ${where} GROUP BY dv.ou, dv.pe`;
    if (!this.inKeyOrder(sql, params)) return this.values.exportRows(f, withCreated, limit);
    const blocks = this.st.raw(sql).iterate(...params) as IterableIterator<[number, number, string]>;
    return partitionRows(blocks, this.texts(), withCreated, limit);
  }

  /** True when SQLite reads the rows of this GROUP BY in key order (no temporary b-tree sorting them first). */
  private inKeyOrder(sql: string, params: unknown[]): boolean {
    const plan = this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
    return !plan.some((p) => /TEMP B-TREE/i.test(p.detail));
  }

  /** data_value_text: id → text (user names and timestamps: a few rows) */
  private texts(): Map<number, string> {
    return new Map(this.st.raw(`SELECT id, text FROM data_value_text`).all() as [number, string][]);
  }
}

/** One JSON value per column of a partition's value: [de, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted] */
type PartValue = [number, number, number, string | null, number | string | null, number | string | null, number | string, string | null, number, number];

function* partitionRows(
  blocks: IterableIterator<[number, number, string]>,
  texts: Map<number, string>,
  withCreated: boolean,
  limit: number | null,
): Generator<ExportRow> {
  const dec = (v: unknown): string | null => (typeof v === 'number' ? (texts.get(v) ?? null) : (v as string | null));
  const r: ExportRow = [0, 0, 0, 0, 0, null, null, null, null, null, 0, 0];
  let left = limit ?? Infinity;
  if (left <= 0) return;
  try {
    for (const [ou, pe, json] of blocks) {
      const vals = JSON.parse(json) as PartValue[];
      r[1] = pe;
      r[2] = ou;
      for (const x of vals) {
        r[0] = x[0];
        r[3] = x[1];
        r[4] = x[2];
        r[5] = x[3];
        r[6] = dec(x[4]);
        const updated = dec(x[6]);
        r[8] = updated;
        r[7] = withCreated ? (x[5] == null ? updated : dec(x[5])) : null;
        r[9] = x[7];
        r[10] = x[8];
        r[11] = x[9];
        yield r;
        if (--left <= 0) return;
      }
    }
  } finally {
    // an export stopped early (limit, cancel, error) ends the statement's cursor now, not when it is collected
    blocks.return?.();
  }
}
