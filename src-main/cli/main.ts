/**
 * Door 2: the `ferry` command. Its flags and --json output are a contract: change them only by adding.
 *   ferry [--db PATH] import FILE... [--kind K] [--format F] [--dry-run] [--strategy S] [--atomic-mode M] [--identifier I] [--skip-validation] [--json] …
 *   ferry [--db PATH] export metadata|dependencies|data --out FILE [--format F] [--compression none|zip|gzip] … [--json]
 *   ferry [--db PATH] export events|tracked-entities --out FILE [--format F] [--compression none|zip|gzip] … [--json]
 *   ferry [--db PATH] info [--json]
 *   ferry [--db PATH] jobs [--json]
 *   ferry [--db PATH] check [--json]
 *   ferry [--db PATH] backup --out FILE [--json]
 *   ferry [--db PATH] vacuum [--json]
 *   ferry formats [--json]
 *   ferry [--db PATH] serve [--port N] [--open] [--static DIR]
 * Exit status: 0 SUCCESS/OK/WARNING, 1 ERROR, 2 bad usage or unreadable file.
 */
import { parseArgs } from './args.ts';
import { exitCodeOf, formatJob, jsonWarnings, unprintedLine } from './format.ts';
import { writeJson, writeJsonArray, type JsonSink } from './json-stream.ts';
import { progressLine } from './progress.ts';
import { defaultDbPath } from '../db/open.ts';
import { openFerry, type Ferry } from '../services/context.ts';
import { invoke } from '../ipc/register.ts';
import { VERSION } from '../version.ts';
import type { Channel, JobRecord, Res } from '../../src-shared/api/contract.ts';
import { AppError, type SerializedError } from '../../src-shared/errors.ts';
import { serve } from '../bridge/serve.ts';
import { typedPaths } from '../ipc/ports.ts';
import { allFormatNames, formatForFileName, formatInfos, formatNames } from '../formats/registry.ts';
import { exporters, importers } from '../jobs/registry.ts';
import type { Exporter } from '../jobs/types.ts';
import { checkCommand } from './check.ts';
import { maintenanceCommand } from './maintenance.ts';
import { sendCommand, siteCommand } from './send.ts';
import { receiveCommand, reconcileCommand } from './receive.ts';
import { IMPORT_KINDS } from '../../src-shared/dhis2/options.ts';
import { CSV_CLASS_KEYS } from '../../src-shared/dhis2/csv-metadata.ts';
import { localTime } from './local-time.ts';

/** 'a, b and c' */
function wordList(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** One line per format of the registry: what Ferry reads and writes in it. */
function formatLines(): string {
  return formatInfos()
    .map((f) => {
      const can = [f.reads.length ? `imports ${f.reads.join(', ')}` : '', f.writes.length ? `exports ${f.writes.join(', ')}` : ''].filter(Boolean).join('; ');
      return `      ${f.format.padEnd(8)} ${f.label} (.${f.extensions.join(', .')}): ${can || f.note || 'recognised'}`;
    })
    .join('\n');
}

/** The class keys, three to a line, indented under --class-key. */
function classKeyLines(): string {
  const lines: string[] = [];
  for (let i = 0; i < CSV_CLASS_KEYS.length; i += 3) lines.push('                                    ' + CSV_CLASS_KEYS.slice(i, i + 3).join(', '));
  return lines.join(',\n');
}

export const USAGE = `ferry ${VERSION} — offline DHIS2 import/export

Usage:
  ferry [--db PATH] import FILE... [options] [--json]
      --kind ${IMPORT_KINDS.join('|')}   (detected when not given; today Ferry imports ${wordList(Object.keys(importers))}; pdf: filled forms, as data)
      --format ${allFormatNames().join('|')}                   (detected when not given)
      --dry-run                     validate and report, change nothing
      --strategy CREATE_AND_UPDATE|CREATE|UPDATE|DELETE   (also NEW_AND_UPDATES, NEW, UPDATES)
      --atomic-mode ALL|NONE        metadata: all or nothing (ALL), or import the valid objects (NONE)
      --identifier UID|CODE         metadata: how objects and references are matched
      --class-key K                 CSV metadata (--kind csv-metadata, implied by --class-key): the file's DHIS2 class key,
${classKeyLines()};
                                    --first-row-is-header false when the file has no header row (DHIS2's default: true)
      --skip-validation             metadata: import objects with missing references and list them
      --kind geometry               coordinates and boundaries of EXISTING org units (never creates any), --format gml|geojson:
                                    GML 2/3: matched by uid, else code, else name; GeoJSON: the feature id is the org unit uid,
                                    or --geo-json-id false --geo-json-property P --org-unit-property ID|CODE|NAME;
                                    --attribute-id UID stores the GeoJSON in that GEOJSON attribute instead of the geometry;
                                    GML: one feature without org unit fails the file (DHIS2), --atomic-mode NONE imports the rest
      --kind dhis14                 a DHIS 1.4 Access database (FILE.mdb) or 1.4 XML export (zip with RoutineData.txt):
                                    --mode analyse|preview|import (default import; analyse: integrity report, writes nothing;
                                    preview: what would be created, updated or left alone — a dry run)
                                    --last-updated DATE  only values added or edited after DATE (incremental import)
                                    --levels 1-8  --user NAME --password PW (protected .mdb)  --data-values false (metadata only)
      --kind events                 event and tracker data: tracker JSON/CSV (2.36+) and the old events JSON/XML/CSV (≤ 2.40);
                                    --import-mode COMMIT|VALIDATE (VALIDATE = --dry-run), --strategy (default CREATE_AND_UPDATE),
                                    --atomic-mode ALL|OBJECT (ALL: one error imports nothing — tracker files' default; OBJECT:
                                    import the valid objects — old events files' default), --validation-mode FULL|FAIL_FAST|SKIP,
                                    --program-id-scheme, --program-stage-id-scheme, --category-option-id-scheme (with the ones
                                    below), --skip-first false for a CSV without header row (DHIS2's default: true)
                                    --skip-expiry-check: import as a user with DHIS2's F_EDIT_EXPIRED authority (no E1043 for
                                    completed events past the program's completeEventsExpiryDays; E1047 stays: DHIS2 checks
                                    expired periods for every user); --skip-rule-engine: no program rules (E1300–E1317)
      --force                       data: DHIS2's superuser switch — skip the data sets' expiry days, open future periods and
                                    data input periods (E7640, E7641, E7643, E7644), which are enforced without it
      --overlap stop|first|newer|last  data, several files carrying the same value keys: stop (default: the import is
                                    refused when their values differ; a dry run lists them), keep the first, the newer or the last file's
      --id-scheme, --data-element-id-scheme, --org-unit-id-scheme, --category-option-combo-id-scheme UID|CODE|NAME|ATTRIBUTE:uid
      any other DHIS2 import parameter as --kebab-case (e.g. --skip-existing-check, --strict-periods, --first-row-is-header false)
  ferry [--db PATH] export metadata|dependencies|data --out FILE [--format ${formatNames('data', 'write').join('|')}] [--compression none|zip|gzip] [options] [--json]
      formats:       data as ${formatNames('data', 'write').join(', ')}; metadata and dependencies as ${formatNames('metadata', 'write').join(', ')}
                     without --format (--compression) the file name decides: jan.csv.zip is CSV in a zip; else JSON
      xlsx:          metadata: a Contents sheet, then one sheet per type (references as "name [uid]"); data: one row per
                     value with names beside the ids, further sheets past 1,048,575 rows; already a zip: compression none
      metadata:      --types dataElements,indicators (default: every stored type)  --skip-sharing  --defaults INCLUDE|EXCLUDE
      dependencies:  --object-type dataSets|programs|categoryCombos|dashboards|dataElementGroups|optionSets --object-id UID  --skip-sharing
      data:          --org-unit UID (repeatable) with --children (and its direct children) or --descendants (whole subtree: DHIS2's children=true)
                     --org-unit-group, --data-set, --data-element-group, --data-element (repeatable)
                     --start-date yyyy-MM-dd --end-date yyyy-MM-dd | --period ISO (repeatable)   --last-updated DATE
                     --include-deleted  --attribute-option-combo  --limit N
                     --id-scheme, --data-element-id-scheme, --org-unit-id-scheme, --category-option-combo-id-scheme,
                     --attribute-option-combo-id-scheme, --data-set-id-scheme UID|CODE|NAME|ATTRIBUTE:uid (ADX default CODE)
                     with no filter every stored value is exported
  ferry [--db PATH] export csv-metadata --class-key K --out FILE.csv [--json]
                     the stored objects of a DHIS2 class key as DHIS2's CSV metadata; imports back with
                     ferry import FILE.csv --class-key K
  ferry [--db PATH] export pdf-form --data-set UID [--org-unit UID] [--period ISO] --out FILE.pdf [--json]
                     an offline data entry form (DHIS2's field names) for a data set; the org unit is then pre-filled
                     and locked, the period pre-selected. Filled forms import as data: ferry import FORM.pdf [FORM2.pdf …]
  ferry [--db PATH] export dhis14-metadata|dhis14-detailed-metadata|dhis14-data --out FILE.zip [options] [--json]
                     a DHIS 1.4 XML export (the zip 1.4 reads: MetaData.xml + RoutineData.txt, ISO-8859-1)
      dhis14-metadata:           everything 1.4 holds (data elements, indicators and types, groups, data sets,
                                 org units and hierarchy, org unit groups and group sets, periods)
      dhis14-detailed-metadata:  --data-element ID, --indicator ID (repeatable; uid, code or name): those, with
                                 the indicators' types and the data elements their formulas use
      dhis14-data:               values as 1.4 RoutineData: --org-unit UID (repeatable) [--children|--descendants]
                                 --org-unit-group, --data-set, --data-element-group, --data-element (repeatable)
                                 --start-date yyyy-MM-dd --end-date yyyy-MM-dd | --period ISO   --last-updated DATE
                                 (1.4 has no disaggregation and no other period types: such values are left out, counted)
  ferry [--db PATH] export events|tracked-entities --out FILE [--format F] [--compression none|zip|gzip] [options] [--json]
      formats:       json (tracker JSON, 2.36+), csv (tracker event CSV), and for servers on 2.40 or older: xml, events-json,
                     events-csv (the old events API's names); tracked entities: json (enrollments and events nested) or csv;
                     without --format (--compression) the file name decides (events.csv.zip); any event file Ferry reads
                     can be exported in any of them (conversion between generations)
      events:        --program P [--program-stage S] (uid, code or name; default every program and stage)
                     --org-unit OU [--org-unit-mode selected|children|descendants]  --start-date --end-date yyyy-MM-dd
                     --last-updated-start-date DATE  --include-deleted  --header false (CSV without header row)
                     --id-scheme UID|CODE|NAME|ATTRIBUTE:uid (default UID) and --data-element-id-scheme, --org-unit-id-scheme,
                     --program-id-scheme, --program-stage-id-scheme, --category-option-combo-id-scheme,
                     --category-option-id-scheme; objects without a code (CODE) are left out, with a warning
      tracked-entities: --program P | --tracked-entity-type T, --org-unit OU [--org-unit-mode …], --last-updated-start-date,
                     --include-deleted, the id schemes above and --tracked-entity-attribute-id-scheme
  ferry [--db PATH] receive FILE… [--dry-run] [--json]   transfer packages from other sites (ferry send): each verified
                                        whole before anything is written (a damaged one is refused: exit 2), received once
                                        (a package received before is a no-op), in sequence order per sender; says which
                                        packages of a sender have not arrived and which totals do not reconcile
  ferry [--db PATH] reconcile [--json]  the received packages' control totals (per sender, org unit, data set, period)
                                        against what the database holds now; --json lists every cell
  ferry [--db PATH] send --to NAME --out FILE [--json]   a transfer package for another site (DHIS2 imports it as it is:
                                        its first entry is a data value set): everything changed since the last package
                                        to NAME (new, updated and deleted values, events), checksummed, written as
                                        FILE.part, read back, then renamed; an empty one still advances the sequence
      --metadata changed|all        also the metadata changed in the range (or all of it), for sites below
      --from-sequence N | --since-package ID|K   another start: changes after N (after package K's range)
      --resend K                    re-make lost package K: same sequence and range, new package id
      --site-name NAME              set this site's name first (see ferry site)
  ferry [--db PATH] site [--name NAME] [--org-unit OU] [--json]   this site's name and org unit as packages give them
                                        (default: the one org unit holding data at the deepest level, else the host
                                        name), and the sites it sends to
  ferry [--db PATH] undo JOB|--last [--cascade] [--dry-run] [--json]   restores exactly the state before an import
                                        (data, events, metadata, geometry, csv-metadata, dhis14, received packages);
                                        itself a job in the history. Refused (exit 1, naming them) when later jobs
                                        changed the same rows, unless --cascade: those are undone too, newest first
  ferry [--db PATH] info [--json]       what the database holds
  ferry [--db PATH] jobs [--json]       the job history
  ferry [--db PATH] check [--json]      SQLite's integrity check of the database (exit 1 when damaged: restore the backup)
  ferry [--db PATH] backup --out FILE [--json]   a consistent copy of the database, also while Ferry runs (SQLite's
                                        online backup); written as FILE.part, checked, then renamed to FILE
  ferry [--db PATH] vacuum [--json]     compacts the database (gives back the space of deleted values; needs about the
                                        database's size free on disk for a while); refused while a job writes
  ferry formats [--json]                the formats Ferry recognises, reads and writes
  ferry [--db PATH] serve [--port N] [--open]   Ferry's screens and API for a browser on this computer (127.0.0.1 only);
                                        prints the address with its access token (--open: opens it); Ctrl+C stops

Formats (--format; every file may also be .zip or .gz):
${formatLines()}

The database is --db PATH, else $FERRY_DB, else ${defaultDbPath()}.
Exit status: 0 success or warnings, 1 import errors, 2 bad usage or unreadable file.`;

export interface CliIo {
  /** false: the reader is behind (then `drain` says when to go on); throws when the output is gone */
  stdout: (s: string) => void | boolean;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** resolves when stdout has room again (large --json output is written with backpressure) */
  drain?: () => Promise<void>;
}

/** an error of stdout (EPIPE when the reader went away): later writes throw it instead of crashing the process */
let stdoutError: Error | null = null;

const defaultIo: CliIo = {
  stdout: (s) => {
    if (stdoutError) throw stdoutError;
    if (!process.stdout.listenerCount('error')) process.stdout.on('error', (e) => void (stdoutError = e));
    return process.stdout.write(s);
  },
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stderr.isTTY),
  env: process.env,
  drain: () =>
    new Promise<void>((resolve, reject) => {
      const done = (e?: Error): void => {
        process.stdout.off('drain', ok);
        process.stdout.off('error', done);
        process.stdout.off('close', closed);
        if (e) reject(e);
        else resolve();
      };
      const ok = (): void => done();
      const closed = (): void => done(stdoutError ?? new Error('the output was closed'));
      process.stdout.once('drain', ok);
      process.stdout.once('error', done);
      process.stdout.once('close', closed);
    }),
};

/** stdout as a sink for the streaming JSON writer */
function sinkOf(io: CliIo): JsonSink {
  return { write: (s) => io.stdout(s), drain: io.drain };
}

class UsageError extends Error {}

async function call<C extends Channel>(f: Ferry, channel: C, req: unknown): Promise<Res<C>> {
  const r = await invoke(f.handlers, channel, req);
  if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
  return r.value as Res<C>;
}

const NON_OPTION_FLAGS = new Set(['db', 'json', 'kind', 'format', 'out', 'compression', 'help', 'version', 'port', 'static', 'limit', 'open']);

function optionsFrom(flags: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flags)) {
    if (NON_OPTION_FLAGS.has(k)) continue;
    if (k === 'strategy') o.importStrategy = v;
    else if (k === 'importMode') o.dryRun = String(v).toUpperCase() === 'VALIDATE';
    else o[k] = v;
  }
  return o;
}

/**
 * Where the built code finds what sits beside it (bin/ferry.mjs and the app's --cli pass them: a bundle's chunks are
 * not where the sources are). Absent: the sources' defaults (jobs/worker.ts through tsx, the repository's out/).
 */
export interface BuiltPaths {
  /** the built job worker (out/main/worker.js) */
  workerPath?: string;
  /** the screens `ferry serve` serves when --static is not given */
  staticDir?: string;
}

/** 1,234 MB */
function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024)).toLocaleString('en')} MB`;
}

export async function runCli(argv: string[], io: CliIo = defaultIo, built: BuiltPaths = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    io.stderr(`${(e as Error).message}\n`);
    return 2;
  }
  const { positionals, flags } = parsed;
  if (flags.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (!command || flags.help || command === 'help') {
    (command ? io.stdout : io.stderr)(USAGE + '\n');
    return command || flags.help ? 0 : 2;
  }
  const json = flags.json === true;
  const dbPath = typeof flags.db === 'string' ? flags.db : defaultDbPath(io.env);
  let ferry: Ferry | null = null;
  const fail = (err: SerializedError, code: number): number => {
    try {
      if (json) io.stdout(JSON.stringify({ status: 'ERROR', error: err }, null, 2) + '\n');
      else io.stderr(`ferry: ${err.message}\n`);
    } catch {
      // the output is gone: the exit status still tells
    }
    return code;
  };
  try {
    if (!['import', 'export', 'info', 'jobs', 'serve', 'formats', 'check', 'backup', 'vacuum', 'receive', 'reconcile', 'send', 'site', 'undo'].includes(command)) throw new UsageError(`unknown command '${command}' (see ferry --help)`);
    if (command === 'check') return await checkCommand(dbPath, json, io, built.workerPath);
    if (command === 'backup' || command === 'vacuum') {
      if (command === 'backup' && typeof flags.out !== 'string') throw new UsageError('backup needs --out FILE (where the copy goes: another folder or a USB key)');
      return await maintenanceCommand(command, dbPath, typeof flags.out === 'string' ? flags.out : undefined, json, io);
    }
    if (command === 'serve') {
      // takes the database (one server per database) before opening it; the page may only use picked or uploaded files
      const port = typeof flags.port === 'string' ? Number(flags.port) : undefined;
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) throw new UsageError('--port needs a port number (0-65535)');
      return await serve({
        dbPath,
        port,
        open: flags.open === true || flags.open === 'true',
        staticDir: typeof flags.static === 'string' ? flags.static : built.staticDir,
        mode: io.env.FERRY_INLINE_JOBS === '1' ? 'inline' : 'worker',
        workerPath: built.workerPath,
        user: io.env.FERRY_USER,
        io,
      });
    }
    // paths typed on the command line are the user's
    const paths = typedPaths();
    ferry = openFerry({ dbPath, mode: io.env.FERRY_INLINE_JOBS === '1' ? 'inline' : 'worker', workerPath: built.workerPath, user: io.env.FERRY_USER, paths, maintenance: 'same-thread' });
    switch (command) {
      case 'formats': {
        const list = await call(ferry, 'formats:list', {});
        if (json) io.stdout(JSON.stringify(list, null, 2) + '\n');
        else io.stdout(formatLines() + '\n');
        return 0;
      }
      case 'info': {
        const info = await call(ferry, 'db:info', {});
        if (json) io.stdout(JSON.stringify(info, null, 2) + '\n');
        else {
          io.stdout(`Database: ${dbPath}\n`);
          const types = Object.entries(info.metadata);
          io.stdout(types.length ? types.map(([k, v]) => `  ${k}: ${v}`).join('\n') + '\n' : '  no metadata\n');
          io.stdout(`  data values: ${info.dataValues}\n  events: ${info.events}\n`);
          const free = info.freeSpace;
          if (free?.worthCompacting)
            io.stdout(
              `${megabytes(free.freeBytes)} of the file's ${megabytes(free.fileBytes)} (${Math.round((free.freeBytes / free.fileBytes) * 100)}%) is free space: \`ferry vacuum\` gives it back\n`,
            );
        }
        return 0;
      }
      case 'jobs': {
        // validated as the jobs:list channel validates it; the records are read straight from the job history: one
        // summary at a time, streamed (--json), or none at all (the text lines do not show summaries)
        const limit = typeof flags.limit === 'string' ? Number(flags.limit) : 200;
        if (!Number.isInteger(limit) || limit < 1 || limit > 10000) throw new UsageError('--limit needs a number of jobs (1-10000)');
        if (json) await writeJsonArray(sinkOf(io), ferry.jobs.jobs.iterate(limit));
        else
          for (const j of ferry.jobs.jobs.iterate(limit, { summaries: false }))
            io.stdout(
              `#${j.id} ${localTime(j.createdAt)} ${j.direction} ${j.kind}${j.dryRun ? ' (dry run)' : ''} ${j.status}${j.resultStatus ? ' ' + j.resultStatus : ''} — ${j.files.map((f) => f.name + (f.sha256 ? ' ' + f.sha256.slice(0, 12) : '')).join(', ')}\n`,
            );
        return 0;
      }
      case 'undo': {
        const n = rest[0];
        if (n === undefined && flags.last !== true) throw new UsageError('undo needs a JOB number (ferry jobs lists them) or --last');
        if (n !== undefined && !/^[1-9]\d*$/.test(n)) throw new UsageError(`undo needs a job number (ferry jobs lists them), not '${n}'`);
        let jobId: number;
        try {
          ({ jobId } = await call(ferry, 'jobs:undo', {
            job: n === undefined ? undefined : Number(n), last: flags.last === true, cascade: flags.cascade === true, dryRun: flags.dryRun === true,
          }));
        } catch (e) {
          // refused (already undone, later jobs changed the same rows, a kind without journal…): exit 1 with the reason
          if (e instanceof AppError && e.details.refused === true) return fail(e.toJSON(), 1);
          throw e;
        }
        return await finishJob(ferry, jobId, json, io);
      }
      case 'receive': {
        if (!rest.length) throw new UsageError('receive needs at least one transfer package FILE');
        return await receiveCommand(ferry, rest, flags.dryRun === true, json, io);
      }
      case 'send': {
        if (typeof flags.to !== 'string') throw new UsageError('send needs --to NAME: the site the package is for (e.g. --to "District B")');
        if (typeof flags.out !== 'string') throw new UsageError('send needs --out FILE: where the package goes (e.g. a USB key)');
        return await sendCommand(ferry, flags, json, io);
      }
      case 'site':
        return await siteCommand(ferry, flags, json, io);
      case 'reconcile':
        return await reconcileCommand(ferry, json, io);
      case 'import': {
        if (!rest.length) throw new UsageError('import needs at least one FILE');
        const { jobId } = await call(ferry, 'import:start', {
          files: rest,
          kind: flags.kind,
          format: flags.format,
          options: optionsFrom(flags),
        });
        return await finishJob(ferry, jobId, json, io);
      }
      case 'export': {
        const kind = rest[0];
        if (!kind) throw new UsageError('export needs what to export: metadata, dependencies or data');
        if (typeof flags.out !== 'string') throw new UsageError('export needs --out FILE');
        // no --format (or --compression): the file name says what it should hold (jan.csv.zip), else JSON as always
        const namedBy = (exporters as Partial<Record<string, Exporter>>)[kind]?.namedBy;
        const named = namedBy ? formatForFileName(namedBy, flags.out) : null;
        const nameFormat = flags.format === undefined ? named?.format : undefined;
        const nameCompression = flags.compression === undefined && named && (flags.format === undefined || flags.format === named.format) ? named.compression : undefined;
        const format = flags.format ?? nameFormat ?? 'json';
        const compression = flags.compression ?? nameCompression ?? 'none';
        if (!json && (nameFormat !== undefined || (nameCompression !== undefined && nameCompression !== 'none')))
          io.stderr(`ferry: writing ${format}${compression !== 'none' ? ' in ' + compression : ''}, as the file name says (--format and --compression choose otherwise)\n`);
        const { jobId } = await call(ferry, 'export:start', {
          kind,
          out: flags.out,
          format,
          compression,
          options: optionsFrom(flags),
        });
        return await finishJob(ferry, jobId, json, io);
      }
    }
    return 2;
  } catch (e) {
    if (e instanceof UsageError) {
      if (json) io.stdout(JSON.stringify({ status: 'ERROR', error: { code: 'BAD_REQUEST', message: e.message, details: {} } }, null, 2) + '\n');
      io.stderr(`ferry: ${e.message}\n`);
      return 2;
    }
    const err = e instanceof AppError ? e.toJSON() : { code: 'INTERNAL' as const, message: String((e as Error)?.message ?? e), details: {} };
    return fail(err, err.code === 'INTERNAL' ? 1 : 2);
  } finally {
    await ferry?.close();
  }
}

async function finishJob(ferry: Ferry, jobId: number, json: boolean, io: CliIo): Promise<number> {
  let lastLen = 0;
  const off = io.isTTY && !json
    ? ferry.jobs.on('job:progress', (e) => {
        if (e.jobId !== jobId) return;
        const line = progressLine(e);
        io.stderr('\r' + line.padEnd(lastLen, ' '));
        lastLen = line.length;
      })
    : () => undefined;
  const cancel = (): void => void ferry.jobs.cancel(jobId);
  process.once('SIGINT', cancel);
  let job: JobRecord;
  try {
    job = await ferry.jobs.wait(jobId);
  } finally {
    off();
    process.off('SIGINT', cancel);
    if (lastLen) io.stderr('\r' + ' '.repeat(lastLen) + '\r');
  }
  // the job record is the truth: the exit status says what was stored, even when the output below fails
  const code = exitCodeOf(job);
  try {
    if (job.error) {
      if (json) await writeJson(sinkOf(io), { status: 'ERROR', error: job.error });
      else io.stderr(formatJob(job) + '\n');
    } else if (json) {
      await writeJson(sinkOf(io), job.summary);
      // stdout is the one JSON document: overlapping files are also said on stderr
      for (const w of jsonWarnings(job)) io.stderr(w + '\n');
    } else io.stdout(formatJob(job) + '\n');
  } catch (e) {
    try {
      io.stderr(unprintedLine(job, e) + '\n');
    } catch {
      /* stderr is gone too: the exit status still tells */
    }
  }
  return code;
}
