/**
 * Events bench child. Modes:
 *   generate <dir>                    the bench metadata (DXF2 JSON) and 100,000 events × 10 values as tracker JSON and
 *                                     tracker CSV (written once)
 *   template <metadata.json> <db>     a database holding the metadata, imported through the metadata import
 *   import <file> <db> [dry]          import (or dry-run) an event file through openFerry + import:start (inline job)
 *   floor <file> <db> <format>        Ferry's bare event reader over the file, each event and its values inserted as
 *                                     they are read with one prepared statement each, in one transaction (the floor)
 *   export <db> <out> <format>        export every event through openFerry + export:start (inline job)
 */
import fs from 'node:fs';
import path from 'node:path';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { openDb } from '../../src-main/db/open.ts';
import { openInput } from '../../src-main/io/input.ts';
import { eventsReaderFor } from '../../src-main/formats/registry.ts';
import type { TrackerEvent, TrackerImportReport } from '../../src-shared/dhis2/tracker.ts';
import type { ExportSummary } from '../../src-shared/api/contract.ts';
import { report } from './measure.ts';

export const EVENTS = 100_000;
export const VALUES = 10;
export const ORG_UNITS = 1_000;
const pad = (n: number, w: number): string => String(n).padStart(w, '0');
export const ouUid = (i: number): string => `OuBench${pad(i, 4)}`;
export const deUid = (i: number): string => `DeBench${pad(i, 4)}`;
const PROGRAM = 'PrBench0001';
const STAGE = 'PsBench0001';
const DEFAULT_CC = 'bjDvmb4bfuf';

const [mode, ...args] = process.argv.slice(2);

function metadata(): Record<string, unknown[]> {
  const ous = Array.from({ length: ORG_UNITS }, (_, i) => ({
    id: ouUid(i), name: `Facility ${i}`, shortName: `Facility ${i}`, openingDate: '1970-01-01T00:00:00.000', ...(i ? { parent: { id: ouUid(0) } } : {}),
  }));
  const des = Array.from({ length: VALUES }, (_, i) => ({
    id: deUid(i), name: `Bench element ${i}`, shortName: `Bench element ${i}`, valueType: i < 5 ? 'INTEGER' : 'TEXT', domainType: 'TRACKER', aggregationType: 'NONE',
    categoryCombo: { id: DEFAULT_CC },
  }));
  return {
    organisationUnits: ous,
    dataElements: des,
    programs: [{ id: PROGRAM, name: 'Bench program', shortName: 'Bench program', programType: 'WITHOUT_REGISTRATION', categoryCombo: { id: DEFAULT_CC }, organisationUnits: ous.map((o) => ({ id: o.id })), programStages: [{ id: STAGE }] }],
    programStages: [{ id: STAGE, name: 'Bench stage', program: { id: PROGRAM }, programStageDataElements: des.map((d, i) => ({ id: `PsdeBench${pad(i, 2)}`, dataElement: { id: d.id }, compulsory: false })) }],
  };
}

function eventAt(i: number): TrackerEvent {
  const day = new Date(Date.UTC(2024, 0, 1) + (i % 366) * 86_400_000).toISOString().slice(0, 10);
  return {
    event: `Ev${pad(i, 9)}`, status: 'COMPLETED', program: PROGRAM, programStage: STAGE, orgUnit: ouUid(i % ORG_UNITS), occurredAt: `${day}T00:00:00.000`,
    dataValues: Array.from({ length: VALUES }, (_, d) => ({ dataElement: deUid(d), value: d < 5 ? String((i * 7 + d) % 1000) : `text ${(i + d) % 97}` })),
    notes: [],
  };
}

async function writeLines(file: string, head: string, line: (i: number) => string, tail: string): Promise<void> {
  const out = fs.createWriteStream(file);
  const write = (s: string): Promise<void> | void => (out.write(s) ? undefined : new Promise((r) => out.once('drain', () => r())));
  await write(head);
  let buf = '';
  for (let i = 0; i < EVENTS; i++) {
    buf += line(i);
    if (buf.length > 1 << 16) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf + tail);
  await new Promise<void>((r) => out.end(() => r()));
}

if (mode === 'generate') {
  const [dir] = args as [string];
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify(metadata()));
  const json = (i: number): string => {
    const e = eventAt(i);
    const { notes: _n, ...rest } = e;
    return (i ? ',\n' : '\n') + JSON.stringify(rest);
  };
  await writeLines(path.join(dir, 'events.json'), '{"events":[', json, '\n]}\n');
  const header = 'event,status,program,programStage,enrollment,orgUnit,occurredAt,scheduledAt,geometry,latitude,longitude,followUp,deleted,createdAt,createdAtClient,updatedAt,updatedAtClient,completedBy,completedAt,updatedBy,attributeOptionCombo,attributeCategoryOptions,assignedUser,dataElement,value,providedElsewhere,updatedAtDataValue,createdAtDataValue\n';
  const csv = (i: number): string => {
    const e = eventAt(i);
    const head = `${e.event},COMPLETED,${PROGRAM},${STAGE},,${e.orgUnit},${e.occurredAt},,,,,false,false,,,,,,,,,,`;
    return e.dataValues.map((d) => `${head},${d.dataElement},${d.value},false,,\n`).join('');
  };
  await writeLines(path.join(dir, 'events.csv'), header, csv, '');
  report({ seconds: 0, count: EVENTS });
} else if (mode === 'template') {
  const [meta, dbPath] = args as [string, string];
  const ferry = openFerry({ dbPath, mode: 'inline' });
  const r = await invoke(ferry.handlers, 'import:start', { files: [meta], kind: 'metadata', options: {} });
  if (!r.ok) throw new Error(r.error.message);
  const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
  if (job.error || job.resultStatus === 'ERROR') throw new Error(`bench metadata import failed: ${JSON.stringify(job.error ?? job.summary).slice(0, 2000)}`);
  await ferry.close();
  report({ seconds: 0, count: 0 });
} else if (mode === 'import') {
  const [file, dbPath, dry] = args as [string, string, string | undefined];
  const ferry = openFerry({ dbPath, mode: 'inline' });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await invoke(ferry.handlers, 'import:start', { files: [file], kind: 'events', options: { dryRun: dry === 'dry' } });
  if (!r.ok) throw new Error(r.error.message);
  const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (job.error) throw new Error(job.error.message);
  const s = job.summary as TrackerImportReport;
  await ferry.close();
  const check = openDb(dbPath, { migrate: false });
  check.pragma('cache_size = -1024');
  const stored = check.prepare(`SELECT count(*) FROM event WHERE deleted = 0`).pluck().get() as number;
  const values = check.prepare(`SELECT count(*) FROM event_data_value`).pluck().get() as number;
  check.close();
  // a dry run answers as DHIS2's importMode VALIDATE (zero counts) with what the import would do in `wouldBe`
  const stats = dry === 'dry' && s.wouldBe ? s.wouldBe.stats : s.stats;
  report({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, count: stats.total, status: s.status, ...stats, errors: s.validationReport.errorReports.length, firstError: s.validationReport.errorReports[0]?.message, stored, values });
} else if (mode === 'floor') {
  // streaming, as the import reads: each event inserted as the reader hands it over, all in one transaction
  const [file, dbPath, format] = args as [string, string, string];
  const db = openDb(dbPath);
  const ids = (type: string): Map<string, number> =>
    new Map((db.prepare(`SELECT uid, id FROM metadata_object WHERE type = ?`).raw().all(type) as [string, number][]).map(([u, i]) => [u, i]));
  const ou = ids('organisationUnits'), de = ids('dataElements'), pr = ids('programs'), ps = ids('programStages'), coc = ids('categoryOptionCombos');
  const aoc = coc.get('HllvX50cXC0') ?? null;
  const now = new Date().toISOString();
  const insEvent = db.prepare(
    `INSERT INTO event (uid, program, program_stage, ou, status, occurred_at, aoc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insValue = db.prepare(`INSERT INTO event_data_value (event, de, value, provided_elsewhere, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)`);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let insertMs = 0;
  let events = 0;
  let values = 0;
  db.exec('BEGIN');
  const input = await openInput(file);
  for await (const rec of eventsReaderFor(format)(input.chunks(), { fileName: file })) {
    if (rec.type !== 'EVENT') continue;
    const e = rec.value;
    const t = performance.now();
    const id = Number(insEvent.run(e.event, pr.get(e.program!), ps.get(e.programStage!), ou.get(e.orgUnit!), e.status ?? 'ACTIVE', e.occurredAt, aoc, now, now).lastInsertRowid);
    for (const d of e.dataValues) {
      insValue.run(id, de.get(d.dataElement), d.value, now, now);
      values++;
    }
    events++;
    insertMs += performance.now() - t;
  }
  const tc = performance.now();
  db.exec('COMMIT');
  insertMs += performance.now() - tc;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  db.close();
  report({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, count: events, values, parseSeconds: seconds - insertMs / 1000, insertSeconds: insertMs / 1000 });
} else if (mode === 'export') {
  const [dbPath, out, format] = args as [string, string, string];
  fs.rmSync(out, { force: true });
  const ferry = openFerry({ dbPath, mode: 'inline' });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await invoke(ferry.handlers, 'export:start', { kind: 'events', out, format, compression: 'none', options: {} });
  if (!r.ok) throw new Error(r.error.message);
  const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
  const seconds = (performance.now() - t0) / 1000;
  if (job.error) throw new Error(job.error.message);
  const s = job.summary as ExportSummary;
  await ferry.close();
  const cpu = process.cpuUsage(cpu0);
  report({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, count: s.counts.events ?? 0, values: s.counts.eventValues ?? 0, bytes: s.bytes });
} else {
  throw new Error(`unknown mode ${mode}`);
}
