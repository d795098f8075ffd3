/**
 * Prepared statements of one repo instance, prepared on first use and reused for the life of the repo (a repo built
 * per job or per request therefore prepares each query at most once). One map per result mode, since better-sqlite3
 * statements carry their mode (`pluck`, `raw`) as state.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../open.ts';

export class Statements {
  private readonly objects = new Map<string, Statement>();
  private readonly plucked = new Map<string, Statement>();
  private readonly raws = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  /** rows as objects keyed by column name */
  rows(sql: string): Statement {
    let s = this.objects.get(sql);
    if (!s) this.objects.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  /** the first column of each row only */
  pluck(sql: string): Statement {
    let s = this.plucked.get(sql);
    if (!s) this.plucked.set(sql, (s = this.db.prepare(sql).pluck()));
    return s;
  }

  /** rows as arrays of column values (the cheapest form for large scans) */
  raw(sql: string): Statement {
    let s = this.raws.get(sql);
    if (!s) this.raws.set(sql, (s = this.db.prepare(sql).raw(true)));
    return s;
  }
}
