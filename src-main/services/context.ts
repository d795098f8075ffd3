/** Opens a Ferry site: database, job manager and handlers. Used by the Electron app, the CLI and tests. */
import { openDb, type Db } from '../db/open.ts';
import { JobManager } from '../jobs/manager.ts';
import { createHandlers } from '../ipc/handlers.ts';
import type { Handlers } from '../ipc/register.ts';
import { typedPaths, type DialogPort, type FileTransferPort, type PathPolicy } from '../ipc/ports.ts';
import { VERSION } from '../version.ts';

export interface Ferry {
  db: Db;
  dbPath: string;
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
}

const noDialogs: DialogPort = {
  openFiles: async () => [],
  saveFile: async () => null,
  native: false,
};

export function openFerry(o: OpenFerryOptions): Ferry {
  const db = openDb(o.dbPath);
  const jobs = new JobManager({ db, dbPath: o.dbPath, mode: o.mode, workerPath: o.workerPath, user: o.user });
  const paths = o.paths ?? typedPaths();
  const handlers = createHandlers({ db, dbPath: o.dbPath, jobs, dialogs: o.dialogs ?? noDialogs, paths, version: VERSION, transfers: o.transfers });
  return {
    db,
    dbPath: o.dbPath,
    jobs,
    handlers,
    paths,
    async close() {
      await jobs.idle();
      db.close();
    },
  };
}
