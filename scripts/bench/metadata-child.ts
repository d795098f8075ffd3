/** Bench child: imports a metadata payload into an empty database through openFerry in worker mode. */
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { ImportReport } from '../../src-shared/dhis2/import-summary.ts';
import { report } from './measure.ts';

const [payload, dbPath] = process.argv.slice(2) as [string, string];
const ferry = openFerry({ dbPath, mode: 'worker' });
const t0 = performance.now();
const r = await invoke(ferry.handlers, 'import:start', { files: [payload], kind: 'metadata', options: {} });
if (!r.ok) throw new Error(r.error.message);
const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
const seconds = (performance.now() - t0) / 1000;
if (job.error) throw new Error(job.error.message);
const summary = job.summary as ImportReport;
const stored = ferry.db.prepare(`SELECT count(*) FROM metadata_object`).pluck().get() as number;
await ferry.close();
report({ seconds, count: summary.stats.total, status: summary.status, created: summary.stats.created, updated: summary.stats.updated, ignored: summary.stats.ignored, stored });
