/**
 * Door 2: the `ferry` command. Its flags and --json output are a contract: change them only by adding.
 *   ferry [--db PATH] import FILE... [--kind K] [--format F] [--dry-run] [--strategy S] [--atomic-mode M] [--identifier I] [--skip-validation] [--json] …
 *   ferry [--db PATH] export metadata|dependencies|data --out FILE [--format F] [--compression none|zip|gzip] … [--json]
 *   ferry [--db PATH] export events|tracked-entities --out FILE [--format F] [--compression none|zip|gzip] … [--json]
 *   ferry [--db PATH] info [--json]
 *   ferry [--db PATH] jobs [--json]
 *   ferry [--db PATH] check [--repair] [--json]
 *   ferry [--db PATH] backup --out FILE [--json]
 *   ferry [--db PATH] vacuum [--json]
 *   ferry formats [--json]
 *   ferry [--db PATH] serve [--port N] [--open] [--static DIR]
 * Exit status: 0 SUCCESS/OK/WARNING, 1 ERROR, 2 bad usage or unreadable file.
 */
import { parseArgs, UsageError } from './args.ts';
import { usage } from './usage.ts';
import { errorMessage, flagLanguage, languageChoices, loadErrorMessages, systemLanguage, usageError, useLanguage } from './i18n.ts';
import { defaultDbPath } from '../db/default-path.ts';
import { VERSION } from '../version.ts';
import { AppError, type SerializedError } from '../../src-shared/errors.ts';

/*
 * This module is what every start loads: argument parsing and the usage text. Each command loads what it needs by
 * dynamic import (info: SQLite and the counts; import/export and the rest: the engine through services/context.ts),
 * so `ferry --help` and `ferry info` never load the job engine, the format readers and writers or the registries; nor
 * does `ferry import`, whose job worker does the engine's work (cli/job-client.ts).
 */

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

/**
 * Where the built code finds what sits beside it (bin/ferry.mjs and the app's --cli pass them: a bundle's chunks are
 * not where the sources are). Absent: the sources' defaults (jobs/worker.ts through tsx, the repository's out/).
 */
export interface BuiltPaths {
  /** the built job worker (out/main/worker.js) */
  workerPath?: string;
  /** the screens `ferry serve` serves when --static is not given */
  staticDir?: string;
  /**
   * The built job worker, started by bin/ferry.mjs for what looks like `ferry import` before this module was loaded
   * (workerData { cli: null }: it loads the engine while this thread loads the CLI, then waits for its request).
   * Unref'd: unused (a usage error, --help, another command), it never keeps the process alive.
   */
  jobWorker?: import('node:worker_threads').Worker;
}

const COMMANDS = ['import', 'export', 'info', 'jobs', 'serve', 'formats', 'check', 'backup', 'vacuum', 'receive', 'reconcile', 'send', 'site', 'undo'];

export async function runCli(argv: string[], io: CliIo = defaultIo, built: BuiltPaths = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    io.stderr(`${(e as Error).message}\n`);
    return 2;
  }
  const { positionals, flags } = parsed;
  // the language of the text (never of --json output): --lang, else FERRY_LANG, else the system's, else English
  const chosen = flags.lang === undefined ? systemLanguage(io.env) : flagLanguage(flags.lang);
  await useLanguage(chosen ?? systemLanguage(io.env), { errors: false });
  if (!chosen) {
    const e = usageError('error.unknownLanguage', { value: String(flags.lang), choices: languageChoices() });
    if (flags.json === true) io.stdout(JSON.stringify({ status: 'ERROR', error: { code: 'BAD_REQUEST', message: e.message, details: {} } }, null, 2) + '\n');
    io.stderr(`ferry: ${e.text}\n`);
    return 2;
  }
  if (flags.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (!command || flags.help || command === 'help') {
    (command ? io.stdout : io.stderr)(usage() + '\n');
    return command || flags.help ? 0 : 2;
  }
  // a command from here: the engine's messages in the run's language (--help and usage errors above need none)
  await loadErrorMessages();
  const json = flags.json === true;
  const dbPath = typeof flags.db === 'string' ? flags.db : defaultDbPath(io.env);
  const fail = (err: SerializedError, code: number): number => {
    try {
      if (json) io.stdout(JSON.stringify({ status: 'ERROR', error: err }, null, 2) + '\n');
      else io.stderr(`ferry: ${errorMessage(err)}\n`);
    } catch {
      // the output is gone: the exit status still tells
    }
    return code;
  };
  try {
    if (!COMMANDS.includes(command)) throw usageError('error.unknownCommand', { command });
    if (command === 'info') return await (await import('./info.ts')).infoCommand(dbPath, json, io);
    if (command === 'check') return await (await import('./check.ts')).checkCommand(dbPath, json, io, built.workerPath, flags.repair === true);
    if (command === 'backup' || command === 'vacuum') {
      if (command === 'backup' && typeof flags.out !== 'string') throw usageError('error.backupNeedsOut');
      return await (await import('./maintenance.ts')).maintenanceCommand(command, dbPath, typeof flags.out === 'string' ? flags.out : undefined, json, io);
    }
    if (command === 'serve') {
      // takes the database (one server per database) before opening it; the page may only use picked or uploaded files
      const port = typeof flags.port === 'string' ? Number(flags.port) : undefined;
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) throw usageError('error.portNumber');
      const { serve } = await import('../bridge/serve.ts');
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
    // an import's job worker does all of the engine's work: this thread loads only the job client
    if (command === 'import' && io.env.FERRY_INLINE_JOBS !== '1') return await (await import('./job-client.ts')).importCommand({ rest, flags, json, dbPath, io, built });
    return await (await import('./commands.ts')).ferryCommand({ command, rest, flags, json, dbPath, io, built, fail });
  } catch (e) {
    if (e instanceof UsageError) {
      if (json) io.stdout(JSON.stringify({ status: 'ERROR', error: { code: 'BAD_REQUEST', message: e.message, details: {} } }, null, 2) + '\n');
      io.stderr(`ferry: ${e.text}\n`);
      return 2;
    }
    const err = e instanceof AppError ? e.toJSON() : { code: 'INTERNAL' as const, message: String((e as Error)?.message ?? e), details: {} };
    return fail(err, err.code === 'INTERNAL' ? 1 : 2);
  }
}
