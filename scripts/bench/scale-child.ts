/**
 * Scale bench child. Modes:
 *   template <db>                           the data bench's metadata with its 1,000 facilities in 10 districts of 100
 *                                           (under one region), its data set and the 2024 months
 *   yearfile <src.csv> <out.csv> <year>...   the data bench's 1,000,000-value CSV (12 months of 2024) written again
 *                                           once per year given, its periods moved to that year (years in the order
 *                                           given, each a whole pass: like yearly files put together); not measured
 *   upgrade <db>                            opens a cached database with this code (its migrations applied) and checkpoints it
 *   stats <db>                              bytes per value: file size (and -wal) over live values, page count, depth
 *   export <db> <out> <json options>        one data export (CSV, worker job, built worker when FERRY_WORKER_PATH is
 *                                           set) with the given DHIS2 options, timed from export:start to its end
 *   select <db> <seconds>                   a long read in this process: SELECTs over data_value, repeated for at least
 *                                           the given seconds (the reader a backup runs beside); prints rows read
 *   check <db> [count]                      PRAGMA integrity_check (unless `count`) and the live value count of a database
 */
import fs from 'node:fs';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { ExportSummary } from '../../src-shared/api/contract.ts';
import { openDb } from '../../src-main/db/open.ts';
import { report } from './measure.ts';
import { writeTemplate } from './template-db.ts';
import { metadataPayload } from './data-generate.ts';

export const districtUid = (k: number): string => `Dsub${String(k).padStart(7, '0')}`;

const [mode, ...args] = process.argv.slice(2);

if (mode === 'template') {
  const [dbPath] = args as [string];
  for (const x of ['', '-wal', '-shm']) fs.rmSync(dbPath + x, { force: true });
  const payload = metadataPayload() as Record<string, Record<string, unknown>[]>;
  const [root, ...facilities] = payload.organisationUnits!;
  root!.name = 'Region';
  root!.shortName = 'Region';
  const districts = Array.from({ length: 10 }, (_, k) => ({
    id: districtUid(k),
    name: `District ${k}`,
    shortName: `District ${k}`,
    code: `DSUB_${k}`,
    openingDate: '1990-01-01',
    parent: { id: root!.id },
  }));
  facilities.forEach((f, i) => (f.parent = { id: districtUid(Math.floor(i / 100)) }));
  payload.organisationUnits = [root!, ...districts, ...facilities];
  writeTemplate(dbPath, payload);
  report({ seconds: 0, count: payload.organisationUnits.length });
} else if (mode === 'upgrade') {
  // opens a cached database with this code (migrations applied, as the first start of Ferry on it would) and
  // checkpoints it, so that its copies start at this code's schema
  const [dbPath] = args as [string];
  const before = new Database(dbPath, { readonly: true });
  const from = before.pragma('user_version', { simple: true }) as number;
  before.close();
  const t0 = performance.now();
  const db = openDb(dbPath);
  const to = db.pragma('user_version', { simple: true }) as number;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  report({ seconds: (performance.now() - t0) / 1000, count: 0, from, to });
} else if (mode === 'yearfile') {
  const [src, out, ...years] = args as [string, string, ...string[]];
  const t0 = performance.now();
  const fd = fs.openSync(out + '.tmp', 'w');
  let n = 0;
  for (const [k, year] of years.entries()) {
    if (!/^\d{4}$/.test(year)) throw new Error(`not a year: ${year}`);
    const rl = readline.createInterface({ input: fs.createReadStream(src, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
    let first = true;
    let buf: string[] = [];
    // the period is the second column, always a 2024 month in the source: `<de>,2024MM,<ou>,…`
    const re = /^([^,]*),2024(\d\d),/;
    for await (const line of rl) {
      if (first) {
        first = false;
        if (k === 0) buf.push(line);
        continue;
      }
      const m = re.exec(line);
      if (m) {
        buf.push(`${m[1]},${year}${m[2]},${line.slice(m[0].length)}`);
        n++;
      } else buf.push(line); // the second line of a quoted comment
      if (buf.length >= 20_000) {
        fs.writeSync(fd, buf.join('\n') + '\n');
        buf = [];
      }
    }
    if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
  }
  fs.closeSync(fd);
  fs.renameSync(out + '.tmp', out);
  report({ seconds: (performance.now() - t0) / 1000, count: n });
} else if (mode === 'stats') {
  const [dbPath] = args as [string];
  const db = new Database(dbPath, { readonly: true });
  db.pragma('cache_size = -2048');
  const t0 = performance.now();
  const rows = db.prepare(`SELECT count(*) FROM data_value WHERE deleted = 0`).pluck().get() as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.close();
  const size = fs.statSync(dbPath).size + (fs.existsSync(`${dbPath}-wal`) ? fs.statSync(`${dbPath}-wal`).size : 0);
  report({ seconds: (performance.now() - t0) / 1000, count: rows, bytes: size, bytesPerValue: rows ? size / rows : 0, pageSize, pages });
} else if (mode === 'export') {
  const [dbPath, out, opts] = args as [string, string, string];
  const ferry = openFerry({ dbPath, mode: 'worker', workerPath: process.env.FERRY_WORKER_PATH || undefined });
  const t0 = performance.now();
  const r = await invoke(ferry.handlers, 'export:start', { kind: 'data', out, format: 'csv', compression: 'none', options: JSON.parse(opts) as Record<string, unknown> });
  if (!r.ok) throw new Error(r.error.message);
  const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
  const seconds = (performance.now() - t0) / 1000;
  await ferry.close();
  if (job.error) throw new Error(`${job.error.code}: ${job.error.message}`);
  const s = job.summary as ExportSummary;
  report({ seconds, count: s.counts.dataValues ?? 0, bytes: s.bytes });
} else if (mode === 'select') {
  const [dbPath, secs] = args as [string, string];
  const db = new Database(dbPath, { readonly: true });
  db.pragma('cache_size = -8192');
  const t0 = performance.now();
  let rows = 0;
  let passes = 0;
  // one read transaction held all along (a snapshot the backup must not disturb), reading the whole table
  db.exec('BEGIN');
  db.prepare(`SELECT count(*) FROM (SELECT 1 FROM data_value LIMIT 1)`).pluck().get(); // the snapshot is taken here
  process.stderr.write('reading\n');
  const it = db.prepare(`SELECT ou, pe, de, coc, aoc, value FROM data_value`).raw();
  while ((performance.now() - t0) / 1000 < Number(secs)) {
    for (const _ of it.iterate()) {
      rows++;
      if ((rows & 0xffff) === 0 && (performance.now() - t0) / 1000 >= Number(secs)) break;
    }
    passes++;
  }
  db.exec('COMMIT');
  db.close();
  report({ seconds: (performance.now() - t0) / 1000, count: rows, passes });
} else if (mode === 'check') {
  const [dbPath, what] = args as [string, string | undefined];
  const t0 = performance.now();
  const db = new Database(dbPath, { readonly: true });
  db.pragma('cache_size = -8192');
  const integrity = what === 'count' ? 'not checked' : ((db.pragma('integrity_check', { simple: true }) as string) ?? '');
  const rows = db.prepare(`SELECT count(*) FROM data_value WHERE deleted = 0`).pluck().get() as number;
  db.close();
  report({ seconds: (performance.now() - t0) / 1000, count: rows, integrity });
} else {
  console.error('usage: scale-child.ts yearfile <src> <out> <year>… | stats <db> | export <db> <out> <json> | select <db> <s> | check <db>');
  process.exit(2);
}
