/** Opens a Ferry site: database, job manager and handlers. Used by the Electron app, the CLI and tests. */
import { openDb, type Db } from '../db/open.ts';
import { JobManager } from '../jobs/manager.ts';
import { createHandlers } from '../ipc/handlers.ts';
import type { Handlers } from '../ipc/register.ts';
import type { DialogPort } from '../ipc/ports.ts';
import { VERSION } from '../version.ts';

export interface Ferry {
  db: Db;
  dbPath: string;
  jobs: JobManager;
  handlers: Handlers;
  close(): Promise<void>;
}

export interface OpenFerryOptions {
  dbPath: string;
  dialogs?: DialogPort;
  mode?: 'worker' | 'inline';
  workerPath?: string;
  user?: string;
}

const noDialogs: DialogPort = {
  openFiles: async () => [],
  saveFile: async () => null,
};

export function openFerry(o: OpenFerryOptions): Ferry {
  const db = openDb(o.dbPath);
  const jobs = new JobManager({ db, dbPath: o.dbPath, mode: o.mode, workerPath: o.workerPath, user: o.user });
  const handlers = createHandlers({ db, dbPath: o.dbPath, jobs, dialogs: o.dialogs ?? noDialogs, version: VERSION });
  return {
    db,
    dbPath: o.dbPath,
    jobs,
    handlers,
    async close() {
      await jobs.idle();
      db.close();
    },
  };
}
