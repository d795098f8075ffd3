/**
 * The commands that open Ferry whole (services/context.ts: the database, the job manager, the handlers): export, jobs,
 * formats, undo, receive, send, site, reconcile, and import when its jobs run on this thread (FERRY_INLINE_JOBS=1;
 * otherwise cli/job-client.ts). Loaded by main.ts when one of them is run, never for --help or info.
 */
import { writeJsonArray } from './json-stream.ts';
import { finishJob, optionsFrom, sinkOf } from './job-client.ts';
import { openFerry, type Ferry } from '../services/context.ts';
import { invoke } from '../ipc/register.ts';
import type { Channel, Res } from '../../src-shared/api/contract.ts';
import { AppError, type SerializedError } from '../../src-shared/errors.ts';
import { typedPaths } from '../ipc/ports.ts';
import { formatForFileName } from '../formats/registry.ts';
import { exporters } from '../jobs/registry.ts';
import type { Exporter } from '../jobs/types.ts';
import { sendCommand, siteCommand } from './send.ts';
import { receiveCommand, reconcileCommand } from './receive.ts';
import { localTime } from './local-time.ts';
import type { ParsedArgs } from './args.ts';
import { t, usageError } from './i18n.ts';
import { formatLines } from './usage.ts';
import type { BuiltPaths, CliIo } from './main.ts';

async function call<C extends Channel>(f: Ferry, channel: C, req: unknown): Promise<Res<C>> {
  const r = await invoke(f.handlers, channel, req);
  if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
  return r.value as Res<C>;
}

export interface CommandRun {
  command: string;
  rest: string[];
  flags: ParsedArgs['flags'];
  json: boolean;
  dbPath: string;
  io: CliIo;
  built: BuiltPaths;
  /** writes the error (JSON or text) and gives the exit status */
  fail: (err: SerializedError, code: number) => number;
}

export async function ferryCommand(run: CommandRun): Promise<number> {
  const { command, rest, flags, json, dbPath, io, built, fail } = run;
  // paths typed on the command line are the user's
  const paths = typedPaths();
  const ferry = openFerry({ dbPath, mode: io.env.FERRY_INLINE_JOBS === '1' ? 'inline' : 'worker', workerPath: built.workerPath, user: io.env.FERRY_USER, paths, maintenance: 'same-thread' });
  try {
    switch (command) {
      case 'formats': {
        const list = await call(ferry, 'formats:list', {});
        if (json) io.stdout(JSON.stringify(list, null, 2) + '\n');
        else io.stdout(formatLines(list) + '\n');
        return 0;
      }
      case 'jobs': {
        // validated as the jobs:list channel validates it; the records are read straight from the job history: one
        // summary at a time, streamed (--json), or none at all (the text lines do not show summaries)
        const limit = typeof flags.limit === 'string' ? Number(flags.limit) : 200;
        if (!Number.isInteger(limit) || limit < 1 || limit > 10000) throw usageError('error.limitJobs');
        if (json) await writeJsonArray(sinkOf(io), ferry.jobs.jobs.iterate(limit));
        else
          for (const j of ferry.jobs.jobs.iterate(limit, { summaries: false }))
            io.stdout(
              `#${j.id} ${localTime(j.createdAt)} ${j.direction} ${j.kind}${j.dryRun ? ` (${t('jobs.dryRun')})` : ''} ${j.status}${j.resultStatus ? ' ' + j.resultStatus : ''} — ${j.files.map((f) => f.name + (f.sha256 ? ' ' + f.sha256.slice(0, 12) : '')).join(', ')}\n`,
            );
        return 0;
      }
      case 'undo': {
        const n = rest[0];
        if (n === undefined && flags.last !== true) throw usageError('error.undoNeedsJob');
        if (n !== undefined && !/^[1-9]\d*$/.test(n)) throw usageError('error.undoJobNumber', { value: n });
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
        if (!rest.length) throw usageError('error.receiveNeedsFile');
        return await receiveCommand(ferry, rest, flags.dryRun === true, json, io);
      }
      case 'send': {
        if (typeof flags.to !== 'string') throw usageError('error.sendNeedsTo');
        if (typeof flags.out !== 'string') throw usageError('error.sendNeedsOut');
        return await sendCommand(ferry, flags, json, io);
      }
      case 'site':
        return await siteCommand(ferry, flags, json, io);
      case 'reconcile':
        return await reconcileCommand(ferry, json, io);
      case 'import': {
        if (!rest.length) throw usageError('error.importNeedsFile');
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
        if (!kind) throw usageError('error.exportNeedsKind');
        if (typeof flags.out !== 'string') throw usageError('error.exportNeedsOut');
        // no --format (or --compression): the file name says what it should hold (jan.csv.zip), else JSON as always
        const namedBy = (exporters as Partial<Record<string, Exporter>>)[kind]?.namedBy;
        const named = namedBy ? formatForFileName(namedBy, flags.out) : null;
        const nameFormat = flags.format === undefined ? named?.format : undefined;
        const nameCompression = flags.compression === undefined && named && (flags.format === undefined || flags.format === named.format) ? named.compression : undefined;
        const format = flags.format ?? nameFormat ?? 'json';
        const compression = flags.compression ?? nameCompression ?? 'none';
        if (!json && (nameFormat !== undefined || (nameCompression !== undefined && nameCompression !== 'none')))
          io.stderr(`ferry: ${compression !== 'none' ? t('export.namedByCompressed', { format, compression }) : t('export.namedBy', { format })}\n`);
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
    throw usageError('error.unknownCommand', { command });
  } finally {
    await ferry.close();
  }
}
