/**
 * DHIS 1.4 bench child. Modes:
 *   import <file> <db>   import an .mdb or 1.4 XML zip into <db> through openFerry + import:start (inline job)
 *   floor <file.mdb>     mdb-reader alone reading the same RoutineData rows (the columns the import reads, the same
 *                        chunks), nothing else: the floor the .mdb import is compared to
 */
import fs from 'node:fs';
import MDBReader from 'mdb-reader';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { openDb } from '../../src-main/db/open.ts';
import { mdbChunkRows } from '../../src-main/formats/dhis14-mdb/reader.ts';
import type { Dhis14ImportSummary } from '../../src-shared/dhis14-report.ts';
import { report } from './measure.ts';

const [mode, ...args] = process.argv.slice(2);

if (mode === 'import') {
  const [file, dbPath] = args as [string, string];
  const ferry = openFerry({ dbPath, mode: 'inline' });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await invoke(ferry.handlers, 'import:start', { files: [file], kind: 'dhis14', options: {} });
  if (!r.ok) throw new Error(r.error.message);
  const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (job.error) throw new Error(job.error.message);
  const s = job.summary as Dhis14ImportSummary;
  await ferry.close();
  const check = openDb(dbPath, { migrate: false });
  check.pragma('cache_size = -1024');
  const stored = check.prepare(`SELECT count(*) FROM data_value`).pluck().get() as number;
  check.close();
  report({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, count: s.dhis14.values.read, ...s.dhis14.values, stored });
} else if (mode === 'floor') {
  const [file] = args as [string];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const reader = new MDBReader(fs.readFileSync(file));
  const t = reader.getTable('RoutineData');
  const columns = ['OrgUnitID', 'DataElementID', 'DataPeriodID', 'EntryText', 'EntryYesNo', 'EntryNumber', 'EntryDate', 'EntryMemo', 'Deleted', 'Comment', 'LastUserID', 'LastUpdated'];
  let n = 0;
  const chunk = mdbChunkRows(t.rowCount);
  for (let off = 0; off < t.rowCount; off += chunk) n += t.getData({ columns, rowOffset: off, rowLimit: chunk }).length;
  const cpu = process.cpuUsage(cpu0);
  report({ seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, count: n });
} else {
  throw new Error(`unknown mode ${mode}`);
}
