/**
 * Export bench child. Modes:
 *   build <db>                                      a database holding the data bench's metadata, 12 periods and its
 *                                                   1,000,000 generated values (plain INSERTs, not measured)
 *   export <db> <out> <format> <compression> [inline|worker]
 *                                                   one data export through openFerry + export:start + jobs.wait
 */
import fs from 'node:fs';
import { openDb } from '../../src-main/db/open.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { parsePeriod } from '../../src-shared/dhis2/period.ts';
import type { ExportSummary } from '../../src-shared/api/contract.ts';
import { report } from './measure.ts';
import { COC_UIDS, PERIODS, deUid, forEachValue, metadataPayload, ouUid } from './data-generate.ts';

const [mode, ...args] = process.argv.slice(2);

if (mode === 'build') {
  const [dbPath] = args as [string];
  for (const s of ['', '-wal', '-shm']) fs.rmSync(dbPath + s, { force: true });
  const db = openDb(dbPath);
  const repo = new MetadataRepo(db);
  const t0 = performance.now();
  let n = 0;
  db.transaction(() => {
    for (const [type, list] of Object.entries(metadataPayload())) for (const o of list as Record<string, unknown>[]) repo.upsert(type, o);
    repo.rebuildOrgUnitPaths();
    const insP = db.prepare(`INSERT OR IGNORE INTO period (iso, type, start_date, end_date) VALUES (?, ?, ?, ?)`);
    for (const iso of PERIODS) {
      const p = parsePeriod(iso)!;
      insP.run(p.iso, p.type, p.startDate, p.endDate);
    }
    const id = db.prepare(`SELECT id FROM metadata_object WHERE uid = ?`).pluck();
    const ous = new Map<number, number>();
    const des = new Map<number, number>();
    const cocs = COC_UIDS.map((u) => id.get(u) as number);
    const pes = PERIODS.map((iso) => db.prepare(`SELECT id FROM period WHERE iso = ?`).pluck().get(iso) as number);
    // the row an import stores (migration 0006): user name and timestamp as data_value_text ids, created NULL
    const ins = db.prepare(
      `INSERT OR IGNORE INTO data_value (de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted)
       VALUES (?,?,?,?,?,?,CAST(? AS INTEGER),NULL,CAST(? AS INTEGER),?,0,0)`,
    );
    const textId = (t: string): number => {
      db.prepare(`INSERT OR IGNORE INTO data_value_text (text) VALUES (?)`).run(t);
      return db.prepare(`SELECT id FROM data_value_text WHERE text = ?`).pluck().get(t) as number;
    };
    const by = textId('bench');
    const at = textId('2024-05-01T10:00:00.000Z');
    const change = db.prepare(`INSERT OR IGNORE INTO data_value_change (last_updated, ou, pe) VALUES (?, ?, ?)`);
    const aoc = cocs[0]!;
    n = forEachValue((ou, pe, de, coc, value, comment) => {
      let o = ous.get(ou);
      if (o === undefined) ous.set(ou, (o = id.get(ouUid(ou)) as number));
      let d = des.get(de);
      if (d === undefined) des.set(de, (d = id.get(deUid(de)) as number));
      change.run(at, o, pes[pe]);
      ins.run(d, pes[pe], o, cocs[coc], aoc, value, by, at, comment);
    });
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  report({ seconds: (performance.now() - t0) / 1000, count: n });
} else if (mode === 'export') {
  const [dbPath, out, format, compression, jobMode] = args as [string, string, 'csv' | 'json' | 'xml' | 'adx', 'none' | 'zip' | 'gzip', string | undefined];
  const ferry = openFerry({ dbPath, mode: jobMode === 'worker' ? 'worker' : 'inline' });
  const t0 = performance.now();
  const r = await invoke(ferry.handlers, 'export:start', { kind: 'data', out, format, compression, options: {} });
  if (!r.ok) throw new Error(r.error.message);
  const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
  const seconds = (performance.now() - t0) / 1000;
  await ferry.close();
  if (job.error) throw new Error(`${job.error.code}: ${job.error.message}`);
  const s = job.summary as ExportSummary;
  report({ seconds, count: s.counts.dataValues ?? 0, bytes: s.bytes });
} else {
  console.error('usage: export-child.ts build <db> | export <db> <out> <format> <compression> [inline|worker]');
  process.exit(2);
}
