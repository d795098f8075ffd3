/** Opens a Ferry site: database, job manager and handlers. Used by the Electron app, the CLI and tests. */
import { openSite, reasonParams, type Db } from '../db/open.ts';
import { DbChecker } from './check.ts';
import { JobManager } from '../jobs/manager.ts';
import { createHandlers } from '../ipc/handlers.ts';
import type { Handlers } from '../ipc/register.ts';
import { typedPaths, type DialogPort, type FileTransferPort, type PathPolicy } from '../ipc/ports.ts';
import { VERSION } from '../version.ts';
import { Maintenance, maintainAfterJob } from './maintenance.ts';

export interface Ferry {
  db: Db;
  dbPath: string;
  /**
   * Why the database cannot be written (a write-protected USB key, a CD, a read-only folder or file), else null. Ferry
   * then works on a private copy (deleted by close()): info, jobs, exports and dry runs; imports are refused.
   */
  readOnly: string | null;
  /** the database check (db:check, `ferry check`) */
  checker: DbChecker;
  /** backup and compaction (db:backup, db:vacuum, `ferry backup`, `ferry vacuum`) */
  maintenance: Maintenance;
  jobs: JobManager;
  handlers: Handlers;
  /** the door's path policy (the Electron app registers dropped files in it) */
  paths: PathPolicy;
  close(): Promise<void>;
}

export interface OpenFerryOptions {
  dbPath: string;
  dialogs?: DialogPort;
  /**
   * Which paths the handlers may read (files:stat) and write (export:start, files:writeText). Default: typedPaths(),
   * for the CLI and code that opens Ferry itself. A door that serves a page (the Electron app, the HTTP bridge) must
   * pass pickedPaths(): only what the user picked in a dialog (or dropped, in Electron).
   */
  paths?: PathPolicy;
  /** the bridge of `ferry serve`: files reach the page by upload and download (src-main/bridge/transfers.ts) */
  transfers?: FileTransferPort;
  mode?: 'worker' | 'inline';
  workerPath?: string;
  user?: string;
  /** where the statistics and checkpoint after a large job run: a worker (default) or this thread (the CLI) */
  maintenance?: 'worker' | 'same-thread';
  /** a cancel flag set from outside (the `ferry` command's Ctrl+C, cli/job-host.ts): see JobManagerOptions.cancelFlag */
  cancelFlag?: Int32Array;
}

const noDialogs: DialogPort = {
  openFiles: async () => [],
  saveFile: async () => null,
  native: false,
};

export function openFerry(o: OpenFerryOptions): Ferry {
  const site = openSite(o.dbPath);
  const db = site.db;
  const readOnly = site.readOnly ? { key: 'request.dbReadOnly' as const, params: { db: o.dbPath, ...reasonParams(site.readOnly) } } : undefined;
  // every connection of the session (job workers, the check) opens site.path: the database, or its private copy
  // a large import is followed by the planner's statistics and a WAL checkpoint (services/maintenance.ts)
  const afterJob = site.readOnly ? undefined : (job: Parameters<typeof maintainAfterJob>[0]) => maintainAfterJob(job, site.path, { sameThread: o.maintenance === 'same-thread' ? db : undefined });
  const jobs = new JobManager({ db, dbPath: site.path, mode: o.mode, workerPath: o.workerPath, user: o.user, readOnly, afterJob, cancelFlag: o.cancelFlag });
  const checker = new DbChecker({ dbPath: site.path, displayName: o.dbPath, mode: o.mode, workerPath: o.workerPath, readOnly: site.readOnly, jobsBusy: () => jobs.busy() });
  const maintenance = new Maintenance({ db, dbPath: site.path, displayName: o.dbPath, readOnly: site.readOnly, jobsBusy: () => jobs.busy() });
  const paths = o.paths ?? typedPaths();
  const handlers = createHandlers({ db, dbPath: o.dbPath, jobs, dialogs: o.dialogs ?? noDialogs, paths, version: VERSION, transfers: o.transfers, checker, maintenance, readOnly: site.readOnly });
  return {
    db,
    dbPath: o.dbPath,
    readOnly: site.readOnly,
    checker,
    maintenance,
    jobs,
    handlers,
    paths,
    async close() {
      await jobs.idle();
      await checker.idle();
      await maintenance.idle();
      site.close();
    },
  };
}
