/**
 * The benches' template database: the bench metadata stored through the metadata repo (org unit paths rebuilt) and the
 * data bench's periods, checkpointed so that copies of the file start whole. Used by data-child.ts and scale-child.ts.
 */
import { openDb } from '../../src-main/db/open.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import { parsePeriod } from '../../src-shared/dhis2/period.ts';
import { PERIODS } from './data-generate.ts';

export function writeTemplate(dbPath: string, payload: Record<string, Record<string, unknown>[]>): void {
  const db = openDb(dbPath);
  const repo = new MetadataRepo(db);
  db.transaction(() => {
    for (const [type, list] of Object.entries(payload)) for (const o of list) repo.upsert(type, o);
    repo.rebuildOrgUnitPaths();
    const ins = db.prepare(`INSERT OR IGNORE INTO period (iso, type, start_date, end_date) VALUES (?, ?, ?, ?)`);
    for (const iso of PERIODS) {
      const p = parsePeriod(iso)!;
      ins.run(p.iso, p.type, p.startDate, p.endDate);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
