/**
 * Data bench child. Modes:
 *   template <metadata.json> <db>           create a database holding the bench metadata and periods
 *   import <file> <db> [dry] [inline|worker] import (or dry-run) a file through openFerry + import:start
 *   floor <file> <db> <format>               bare parser over the same file, then the same rows inserted with one
 *                                            prepared statement in one transaction (the floor Ferry is compared to)
 *   parse <file> <format> <parser>           only a parser over the file (decompression included), records counted
 *                                            and nothing stored: Ferry's own (ferry) or the library it replaces —
 *                                            papaparse (csv), saxes (xml), streamparser or json-parse (json)
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { SaxesParser } from 'saxes';
import { JSONParser } from '@streamparser/json';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { openDb } from '../../src-main/db/open.ts';
import { openInput } from '../../src-main/io/input.ts';
import { readCsvRecords } from '../../src-main/formats/csv-data/reader.ts';
import { readXmlDataValues } from '../../src-main/formats/dxf2-xml/data-reader.ts';
import { readJsonDataValues } from '../../src-main/formats/dxf2-json/data-reader.ts';
import type { ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import { report } from './measure.ts';
import { writeTemplate } from './template-db.ts';
import { COC_UIDS, PERIODS, deUid, forEachValue, ouUid } from './data-generate.ts';

const [mode, ...args] = process.argv.slice(2);

if (mode === 'template') {
  const [metadata, dbPath] = args as [string, string];
  const payload = JSON.parse(fs.readFileSync(metadata, 'utf8')) as Record<string, Record<string, unknown>[]>;
  writeTemplate(dbPath, payload);
  report({ seconds: 0, count: 0 });
} else if (mode === 'import') {
  const [file, dbPath, dry, jobMode] = args as [string, string, string | undefined, string | undefined];
  const ferry = openFerry({ dbPath, mode: jobMode === 'worker' ? 'worker' : 'inline', workerPath: process.env.FERRY_WORKER_PATH || undefined });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await invoke(ferry.handlers, 'import:start', { files: [file], options: { dryRun: dry === 'dry' } });
  if (!r.ok) throw new Error(r.error.message);
  const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (job.error) throw new Error(job.error.message);
  const s = job.summary as ImportSummary;
  await ferry.close();
  // verification through a small-cache connection, so that counting does not inflate the peak RSS being measured
  const check = openDb(dbPath, { migrate: false });
  check.pragma('cache_size = -1024');
  const stored = check.prepare(`SELECT count(*) FROM data_value WHERE deleted = 0`).pluck().get() as number;
  check.close();
  const c = s.importCount;
  report({ seconds, cpuSeconds, count: c.imported + c.updated + c.ignored + c.deleted, status: s.status, ...c, conflicts: s.conflicts.length, stored });
} else if (mode === 'floor') {
  const [file, dbPath, format] = args as [string, string, string];
  // 1. the bare parser over the same bytes (decompression included for zip files)
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  // Ferry's own readers are the bare parser here (they yield rows; nothing is resolved or validated)
  const parsed = await parseWith(file, format, 'ferry');
  const parseSeconds = (performance.now() - t0) / 1000;
  const cpuParse = process.cpuUsage(cpu0);
  // 2. the same rows, one prepared statement, one transaction
  const db = openDb(dbPath);
  const ids = (type: string): Map<string, number> =>
    new Map((db.prepare(`SELECT uid, id FROM metadata_object WHERE type = ?`).raw().all(type) as [string, number][]).map(([u, i]) => [u, i]));
  const de = ids('dataElements'), ou = ids('organisationUnits'), coc = ids('categoryOptionCombos');
  const pe = new Map((db.prepare(`SELECT iso, id FROM period`).raw().all() as [string, number][]).map(([u, i]) => [u, i]));
  const deIds = Array.from({ length: 200 }, (_, i) => de.get(deUid(i))!);
  const ouIds = Array.from({ length: 1000 }, (_, i) => ou.get(ouUid(i))!);
  const cocIds = COC_UIDS.map((u) => coc.get(u)!);
  const peIds = PERIODS.map((p) => pe.get(p)!);
  const aoc = cocIds[0]!;
  const now = new Date().toISOString();
  const t1 = performance.now();
  const cpu1 = process.cpuUsage();
  // the row Ferry stores (migration 0006): user name and timestamp as data_value_text ids, created NULL
  const ins = db.prepare(
    `INSERT INTO data_value (de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted, source_file_id)
     VALUES (?, ?, ?, ?, ?, ?, CAST(? AS INTEGER), NULL, CAST(? AS INTEGER), ?, ?, ?, ?)`,
  );
  const textId = (t: string): number => {
    db.prepare(`INSERT OR IGNORE INTO data_value_text (text) VALUES (?)`).run(t);
    return db.prepare(`SELECT id FROM data_value_text WHERE text = ?`).pluck().get(t) as number;
  };
  let inserted = 0;
  db.transaction(() => {
    const by = textId('bench');
    const at = textId(now);
    inserted = forEachValue((o, p, d, c, value, comment) => {
      ins.run(deIds[d], peIds[p], ouIds[o], cocIds[c], aoc, value, by, at, comment, 0, 0, null);
    });
  })();
  const insertSeconds = (performance.now() - t1) / 1000;
  const cpuInsert = process.cpuUsage(cpu1);
  db.close();
  const cpuSeconds = (cpuParse.user + cpuParse.system + cpuInsert.user + cpuInsert.system) / 1e6;
  report({ seconds: parseSeconds + insertSeconds, cpuSeconds, count: inserted, parsed, parseSeconds, insertSeconds });
} else if (mode === 'parse') {
  const [file, format, parser] = args as [string, string, string];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const parsed = await parseWith(file, format, parser);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  report({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, count: parsed });
} else {
  throw new Error(`unknown mode ${mode}`);
}

/**
 * Parses the file (decompressed as an import opens it) with Ferry's reader or a library, counting data values (CSV:
 * records after the header) and keeping nothing. The libraries are those Ferry's hand-written readers replace.
 */
async function parseWith(file: string, format: string, parser: string): Promise<number> {
  const input = await openInput(file);
  let parsed = 0;
  const text = async function* (): AsyncGenerator<string> {
    const dec = new TextDecoder('utf-8', { fatal: true });
    for await (const c of input.chunks()) {
      const s = dec.decode(c, { stream: true });
      if (s) yield s;
    }
    const tail = dec.decode();
    if (tail) yield tail;
  };
  const key = `${format}:${parser}`;
  if (key === 'csv:ferry') {
    for await (const recs of readCsvRecords(input.chunks(), file)) parsed += recs.length;
    parsed -= 1; // header
  } else if (key === 'csv:papaparse') {
    // papaparse streaming over decoded text (its own decoding would cut multi-byte characters at chunk ends)
    await new Promise<void>((resolve, reject) => {
      Papa.parse<string[]>(Readable.from(text()), {
        delimiter: ',',
        skipEmptyLines: true,
        chunk: (res) => void (parsed += res.data.length),
        complete: () => resolve(),
        error: (e: Error) => reject(e),
      });
    });
    parsed -= 1; // header
  } else if (key === 'xml:ferry') {
    for await (const b of readXmlDataValues(input.chunks(), { fileName: file })) parsed += b.rows.length;
  } else if (key === 'xml:saxes') {
    // saxes, the general-purpose parser Ferry used before its own scanner (start tags counted, no rows built)
    const p = new SaxesParser({ xmlns: false, position: true });
    p.on('opentag', (t) => {
      if (t.name === 'dataValue' && t.attributes.value !== undefined) parsed++;
    });
    for await (const s of text()) p.write(s);
    p.close();
  } else if (key === 'json:ferry') {
    for await (const b of readJsonDataValues(input.chunks(), { fileName: file })) parsed += b.rows.length;
  } else if (key === 'json:streamparser') {
    // @streamparser/json, the streaming parser Ferry used before its own scanner (each value built as an object)
    const p = new JSONParser({ paths: ['$.dataValues.*'], keepStack: false });
    p.onValue = () => void parsed++;
    for await (const c of input.chunks()) p.write(c);
  } else if (key === 'json:json-parse') {
    // JSON.parse of the whole text: V8's native parser, not streaming (memory grows with the file)
    const parts: string[] = [];
    for await (const s of text()) parts.push(s);
    const doc = JSON.parse(parts.join('')) as { dataValues: unknown[] };
    parsed = doc.dataValues.length;
  } else throw new Error(`no parser ${parser} for ${format}`);
  return parsed;
}
