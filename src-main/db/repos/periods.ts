/**
 * The period table: one row per ISO period id (202401, 2024Q1, 2024W5, …) with its type and start and end dates.
 * Data values and completions refer to periods by integer id; rows are created on first use.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../open.ts';
import type { Period } from '../../../src-shared/dhis2/period.ts';

export class PeriodsRepo {
  private readonly st: { all: Statement; idByIso: Statement };
  /** prepared on first use: most users only read */
  private insert: Statement | null = null;

  constructor(private readonly db: Db) {
    this.st = {
      all: db.prepare(`SELECT id, iso, start_date, end_date FROM period`).raw(true),
      idByIso: db.prepare(`SELECT id FROM period WHERE iso = ?`).pluck(),
    };
  }

  /** Every stored period as [id, iso, start date, end date]. */
  all(): IterableIterator<[number, string, string, string]> {
    return this.st.all.iterate() as IterableIterator<[number, string, string, string]>;
  }

  /** period.id → ISO id, as an array indexed by id (O(1) per exported value). */
  isoById(): string[] {
    const arr: string[] = [];
    for (const [id, iso] of this.all()) arr[id] = iso;
    return arr;
  }

  /** ISO id → period.id for every stored period. */
  idsByIso(): Map<string, number> {
    const m = new Map<string, number>();
    for (const [id, iso] of this.all()) m.set(iso, id);
    return m;
  }

  /** The id of a stored period, or undefined. */
  idOf(iso: string): number | undefined {
    return this.st.idByIso.get(iso) as number | undefined;
  }

  /** The id of a period, creating its row when it does not exist yet. */
  ensure(p: Period): number {
    this.insert ??= this.db.prepare(`INSERT OR IGNORE INTO period (iso, type, start_date, end_date) VALUES (?, ?, ?, ?)`);
    this.insert.run(p.iso, p.type, p.startDate, p.endDate);
    return this.st.idByIso.get(p.iso) as number;
  }
}
