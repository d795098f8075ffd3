/** The handlers behind every channel of the contract. Pure Node: no Electron here. */
import fs from 'node:fs';
import path from 'node:path';
import { reasonParams, type Db } from '../db/open.ts';
import type { JobManager } from '../jobs/manager.ts';
import type { DialogPort, FileTransferPort, PathPolicy } from './ports.ts';
import type { Handlers } from './register.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import { startImport } from '../services/import.ts';
import { previewCsvMetadata } from '../importers/csv-metadata/index.ts';
import { startExport } from '../services/export.ts';
import { dbInfo, listMetadata, metadataNames, orgUnitChildren } from '../services/info.ts';
import { capabilities } from '../jobs/registry.ts';
import { IdSchemeAttributesRepo } from '../db/repos/id-scheme-attributes.ts';
import type { DbChecker } from '../services/check.ts';
import type { Maintenance } from '../services/maintenance.ts';
import { formatInfos } from '../formats/registry.ts';
import { inspectPackage, startReceive } from '../transfer/receive-service.ts';
import { reconcile, sites } from '../transfer/reconcile.ts';
import { destinations, sendPreview, siteInfo, startSend } from '../transfer/send-service.ts';
import { startUndo } from '../importers/undo/index.ts';

export interface HandlerDeps {
  db: Db;
  dbPath: string;
  jobs: JobManager;
  dialogs: DialogPort;
  /** which paths this door lets files:stat read and export:start / files:writeText write (see PathPolicy) */
  paths: PathPolicy;
  version: string;
  /** runs the database check (db:check) in a worker; absent: the channel answers UNSUPPORTED */
  checker?: DbChecker;
  /** backup and compaction (db:backup, db:vacuum); absent: the channels answer UNSUPPORTED */
  maintenance?: Maintenance;
  /** why the database is read-only (it is then a private copy; imports are refused), else null */
  readOnly?: string | null;
  /** the bridge of `ferry serve`: uploads in, downloads out (files:downloadLink); absent in Electron and the CLI */
  transfers?: FileTransferPort;
}

export function createHandlers(d: HandlerDeps): Handlers {
  return {
    'app:info': async () => ({
      version: d.version,
      dbPath: d.dbPath,
      // besides the engine's: how this door hands files over (open/save dialogs, or uploads and downloads)
      capabilities: [...capabilities(), ...(d.dialogs.native === false ? [] : ['files:dialogs']), ...(d.dialogs.showItemInFolder ? ['files:showInFolder'] : []), ...(d.dialogs.printToPdf ? ['report:pdf'] : []), ...(d.transfers ? ['files:upload', 'files:download'] : []), ...(d.checker ? ['db:check'] : []), ...(d.maintenance ? ['db:maintenance'] : [])],
      readOnly: d.readOnly ?? null,
    }),
    'db:info': async () => dbInfo(d.db),
    'db:check': async () => {
      if (!d.checker) throw ferryError('UNSUPPORTED', 'request.cannotCheckHere');
      return d.checker.run();
    },
    'db:checkStatus': async () => d.checker?.status() ?? { running: false, progress: null, last: null },
    'db:repair': async () => {
      if (!d.checker) throw ferryError('UNSUPPORTED', 'request.cannotRepairHere');
      return d.checker.repair();
    },
    'db:backup': async (r) => {
      if (!d.maintenance) throw ferryError('UNSUPPORTED', 'request.cannotBackupHere');
      // the target is a file the user chose in the save dialog (the CLI: typed)
      if (!d.paths.mayWrite(r.out)) throw ferryError('BAD_REQUEST', 'request.writeOnlyChosen', { file: path.basename(r.out) });
      return d.maintenance.backup(r.out);
    },
    'db:vacuum': async () => {
      if (!d.maintenance) throw ferryError('UNSUPPORTED', 'request.cannotCompactHere');
      return d.maintenance.vacuum();
    },
    'db:maintenanceStatus': async () => d.maintenance?.status() ?? { running: null, progress: null, last: null },
    'formats:list': async () => formatInfos(),
    'jobs:list': async (r) => d.jobs.jobs.list(r.limit ?? 200, { summaries: r.summaries }),
    'jobs:get': async (r) => {
      const j = d.jobs.jobs.get(r.id);
      if (!j) throw ferryError('NOT_FOUND', 'request.noJob', { id: r.id });
      return j;
    },
    'jobs:wait': async (r) => d.jobs.wait(r.id),
    'jobs:cancel': async (r) => ({ cancelled: d.jobs.cancel(r.id) }),
    'jobs:undo': async (r) => startUndo(d.db, d.jobs, r),
    'import:start': async (r) => startImport(d.jobs, r),
    'export:start': async (r) => startExport(d.jobs, r, d.paths),
    'metadata:list': async (r) => listMetadata(d.db, r.type, r.search, r.limit, r.linkedTo),
    'metadata:names': async (r) => metadataNames(d.db, r.uids),
    'metadata:idSchemeAttributes': async () => new IdSchemeAttributesRepo(d.db).list(),
    'orgUnits:children': async (r) => orgUnitChildren(d.db, r.parent, r.search),
    'dialog:openFiles': async (r) => {
      const paths = await d.dialogs.openFiles(r);
      d.paths.pickedToRead(paths);
      return { paths };
    },
    'dialog:saveFile': async (r) => {
      const chosen = await d.dialogs.saveFile({ title: r.title, defaultName: r.defaultName });
      // a compressed export keeps its extension whatever the user typed in the dialog
      const p = chosen && r.compression ? withCompressionExtension(chosen, r.compression) : chosen;
      if (p) d.paths.pickedToWrite(p);
      return { path: p };
    },
    'jobs:saveSummary': async (r) => {
      const target = path.resolve(r.path);
      if (!d.paths.mayWrite(target)) throw ferryError('BAD_REQUEST', 'request.writeOnlyChosen', { file: path.basename(target) });
      const job = d.jobs.jobs.get(r.id);
      if (!job) throw ferryError('NOT_FOUND', 'request.noJob', { id: r.id });
      if (!job.summary) throw ferryError('NOT_FOUND', job.status === 'running' || job.status === 'queued' ? 'request.noSummaryYet' : 'request.noSummary', { id: r.id });
      const text = JSON.stringify(job.summary, null, 2) + '\n';
      fs.writeFileSync(target, text, 'utf8');
      return { path: target, bytes: Buffer.byteLength(text, 'utf8') };
    },
    'report:pdf': async (r) => {
      if (!d.dialogs.printToPdf) throw ferryError('UNSUPPORTED', 'request.cannotPdfHere');
      const target = path.resolve(r.path);
      if (!d.paths.mayWrite(target)) throw ferryError('BAD_REQUEST', 'request.writeOnlyChosen', { file: path.basename(target) });
      return { path: target, bytes: await d.dialogs.printToPdf(target) };
    },
    'files:showInFolder': async (r) => {
      if (!d.dialogs.showItemInFolder) throw ferryError('UNSUPPORTED', 'request.cannotOpenFolderHere');
      const target = path.resolve(r.path);
      // a file saved in this session, or an export's output in the job history (an earlier session's)
      if (!d.paths.mayWrite(target) && !d.jobs.jobs.isExportOutput(target)) throw ferryError('BAD_REQUEST', 'request.showOnlySaved', { file: path.basename(target) });
      if (!fs.existsSync(target)) throw ferryError('FILE_NOT_FOUND', 'request.noLongerThere', { file: path.basename(target) }, { file: target });
      d.dialogs.showItemInFolder(target);
      return { shown: true };
    },
    'files:writeText': async (r) => {
      const target = path.resolve(r.path);
      if (!d.paths.mayWrite(target)) throw ferryError('BAD_REQUEST', 'request.writeOnlyChosen', { file: path.basename(target) });
      fs.writeFileSync(target, r.text, 'utf8');
      return { path: target, bytes: Buffer.byteLength(r.text, 'utf8') };
    },
    'files:downloadLink': async (r) => {
      if (!d.transfers) throw ferryError('UNSUPPORTED', 'request.nothingToDownload');
      const target = path.resolve(r.path);
      if (!d.paths.mayWrite(target)) throw ferryError('BAD_REQUEST', 'request.downloadOnlySaved', { file: path.basename(target) });
      return d.transfers.downloadLink(target);
    },
    'csvMetadata:preview': async (r) => {
      if (!d.paths.mayRead(r.file)) throw ferryError('BAD_REQUEST', 'request.openOnlyChosen', { files: path.basename(r.file) });
      return previewCsvMetadata(r.file, r.classKey, r.firstRowIsHeader ?? true, r.limit ?? 10);
    },
    'files:stat': async (r) => {
      const unpicked = r.paths.filter((p) => !d.paths.mayRead(p));
      if (unpicked.length) {
        throw ferryError('BAD_REQUEST', 'request.openOnlyChosen', { files: unpicked.map((p) => path.basename(p)).join(', ') });
      }
      return r.paths.map((p) => {
        try {
          return { path: p, name: path.basename(p), size: fs.statSync(p).size };
        } catch {
          return { path: p, name: path.basename(p), size: null };
        }
      });
    },
    'transfer:send': async (r) => startSend(d.jobs, r, d.paths),
    'transfer:sendPreview': async (r) => sendPreview(d.db, r),
    'transfer:site': async (r) => siteInfo(d.db, r),
    'transfer:destinations': async () => destinations(d.db),
    'transfer:receive': async (r) => {
      const unpicked = r.files.filter((p) => !d.paths.mayRead(p));
      if (unpicked.length) throw ferryError('BAD_REQUEST', 'request.openOnlyChosen', { files: unpicked.map((p) => path.basename(p)).join(', ') });
      if (d.readOnly && !r.dryRun) throw ferryError('DB_READONLY', 'request.dbReadOnly', { db: d.dbPath, ...reasonParams(d.readOnly) }, { readOnly: true });
      return startReceive(d.jobs, r.files, r.dryRun === true);
    },
    'transfer:inspect': async (r) => {
      if (!d.paths.mayRead(r.file)) throw ferryError('BAD_REQUEST', 'request.openOnlyChosen', { files: path.basename(r.file) });
      return inspectPackage(d.db, r.file);
    },
    'transfer:reconcile': async (r) => reconcile(d.db, { senderId: r.senderId, onlyMismatches: r.onlyMismatches }),
    'transfer:sites': async () => sites(d.db),
  };
}

const COMPRESSION_EXTENSION: Record<string, string> = { zip: '.zip', gzip: '.gz' };

/**
 * The path a compressed export is written to: the user's choice, with the compression's extension added when the
 * name lost it in the save dialog (`deps.json` → `deps.json.zip`); compression none leaves it as it is.
 */
export function withCompressionExtension(p: string, compression: string): string {
  const ext = COMPRESSION_EXTENSION[compression];
  if (!ext || p.toLowerCase().endsWith(ext)) return p;
  return p + ext;
}
