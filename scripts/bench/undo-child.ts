/**
 * Undo bench child. Modes:
 *   undo <db> <job|last>          undo a job through openFerry + jobs:undo (inline job), timed; counts after
 *   update-file <csv> <out>       the bench CSV with every value changed (numbers + 1, texts suffixed): an update import
 *   digest <db>                   a sha256 over every data_value row in key order (typed), to compare before and after
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { openDb } from '../../src-main/db/open.ts';
import type { UndoSummary } from '../../src-shared/undo.ts';
import { report } from './measure.ts';

const [mode, ...args] = process.argv.slice(2);

function digest(dbPath: string): { rows: number; sha256: string } {
  const db = openDb(dbPath, { migrate: false });
  db.pragma('cache_size = -1024');
  const h = crypto.createHash('sha256');
  let rows = 0;
  const cols = (db.prepare(`SELECT name FROM pragma_table_info('data_value')`).pluck().all() as string[]).map((c) => `quote(${c})`).join(` || '|' || `);
  for (const line of db.prepare(`SELECT ${cols} FROM data_value ORDER BY ou, pe, de, coc, aoc`).pluck().iterate() as IterableIterator<string>) {
    h.update(line).update('\n');
    rows++;
  }
  db.close();
  return { rows, sha256: h.digest('hex') };
}

if (mode === 'undo') {
  const [dbPath, which] = args as [string, string];
  const ferry = openFerry({ dbPath, mode: 'inline' });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await invoke(ferry.handlers, 'jobs:undo', which === 'last' ? { last: true } : { job: Number(which) });
  if (!r.ok) throw new Error(r.error.message);
  const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (job.error) throw new Error(job.error.message);
  await ferry.close();
  const s = job.summary as UndoSummary;
  report({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, count: s.dataValues.removed + s.dataValues.restored, ...s.dataValues });
} else if (mode === 'update-file') {
  const [csv, out] = args as [string, string];
  const w = fs.createWriteStream(out);
  let n = 0;
  for await (const line of readline.createInterface({ input: fs.createReadStream(csv) })) {
    if (n++ === 0) {
      w.write(line + '\n');
      continue;
    }
    const f = line.split(',');
    // value is the 6th column; the bench values hold no commas
    f[5] = /^-?\d+$/.test(f[5]!) ? String(Number(f[5]) + 1) : `${f[5]}x`;
    if (!w.write(f.join(',') + '\n')) await new Promise<void>((r) => w.once('drain', () => r()));
  }
  await new Promise<void>((r) => w.end(() => r()));
  report({ seconds: 0, count: n - 1 });
} else if (mode === 'digest') {
  const t0 = performance.now();
  const d = digest(args[0]!);
  report({ seconds: (performance.now() - t0) / 1000, count: d.rows, sha256: d.sha256 });
}
