/**
 * THE channel map. Every door (Electron preload, CLI, HTTP bridge) serves exactly these channels.
 * Requests are zod-validated in the main process; responses are typed (trusted, produced by main).
 */
import { z } from 'zod';
import type { ImportReport, ImportSummary } from '../dhis2/import-summary.ts';
import type { TrackerImportReport } from '../dhis2/tracker.ts';
import type { EventImportSummaries } from '../dhis2/event-import-summaries.ts';
import type { SerializedError } from '../errors.ts';
import type { PackageInspection, ReceiveSummary, ReconcileReport, SiteSummary } from '../transfer-receive.ts';
import type { DestinationInfo, OwnSiteInfo, SendPreview } from '../transfer-send.ts';
import type { UndoSummary, UndoneJob } from '../undo.ts';
import { COMPRESSIONS, IMPORT_KINDS, type ImportKind } from '../dhis2/options.ts';

// ---------- shared record types ----------
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
export type JobDirection = 'import' | 'export';

export interface JobFile {
  index: number;
  path: string;
  name: string;
  size: number | null;
  sha256: string | null;
  format: string | null;
  compression: string | null;
  /** per-file outcome status (OK/WARNING/ERROR or SUCCESS/WARNING/ERROR) */
  status: string | null;
}

export interface ExportSummary {
  responseType: 'ExportSummary';
  /** WARNING: the file was written, but something selected could not be (see `warnings`) */
  status: 'OK' | 'WARNING' | 'ERROR';
  file: string;
  format: string;
  compression: string;
  bytes: number;
  sha256: string;
  /** objects per type (metadata) or { dataValues: n } */
  counts: Record<string, number>;
  /** human-readable reasons why selected records are not in the file (present when status is WARNING) */
  warnings?: string[];
  /** the same warnings by key and parameters of the errors catalogue, in order (the screens and the CLI say them in their language) */
  warningDetails?: { messageKey: string; messageParams: Record<string, string | number> }[];
}

export type JobSummary = ImportReport | ImportSummary | TrackerImportReport | EventImportSummaries | ExportSummary | ReceiveSummary | UndoSummary;

export interface JobRecord {
  id: number;
  kind: string;
  direction: JobDirection;
  status: JobStatus;
  dryRun: boolean;
  options: Record<string, unknown>;
  files: JobFile[];
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** DHIS2 status of the result: OK/WARNING/ERROR (metadata) or SUCCESS/WARNING/ERROR (data) */
  resultStatus: string | null;
  summary: JobSummary | null;
  error: SerializedError | null;
  /** the undo job that undid this job (present only when it was undone) */
  undoneBy?: number;
}

export interface DbInfo {
  metadata: Record<string, number>;
  dataValues: number;
  events: number;
  /** free pages inside the file (e.g. after migration 6 converted the data values) and whether compacting is worth it */
  freeSpace?: DbFreeSpace;
}

/** The database file's size and its free pages (bytes); worthCompacting: more than a fifth of the file and 50 MB. */
export interface DbFreeSpace {
  fileBytes: number;
  freeBytes: number;
  worthCompacting: boolean;
}

/** One step of a database check (db:checkStatus): steps are tables, then the whole file; done/total are pages. */
export interface DbCheckProgress {
  stage: string;
  step: number;
  steps: number;
  done: number;
  total: number;
  elapsedMs: number;
}

/** The outcome of a database check (db:check, `ferry check --json`). */
export interface DbCheckResult {
  /** SQLite found nothing wrong */
  ok: boolean;
  /** SQLite's findings, prefixed by the table they are in (at most 100, then "… and N more problems") */
  messages: string[];
  /** the messages Ferry composed, by key and parameters of the errors catalogue (null: SQLite's words), in order */
  messageDetails?: ({ messageKey: string; messageParams: Record<string, string | number> } | null)[];
  durationMs: number;
  tables: number;
  pages: number;
  /** what to do when it failed (restore the backup); null when ok */
  advice: string | null;
  /** Ferry's kept counts (live values, live events) against count(*); absent for a database without them or too damaged to count */
  liveCounts?: LiveCountCheck[];
  /** what db:repair (`ferry check --repair`) would put right: 'liveCounts' when a kept count differs from count(*) */
  repairs?: DbRepair[];
}

/** A kept count (migration 12) and the rows counted; they differ when a tool wrote the table by hand. */
export interface LiveCountCheck {
  table: 'data_value' | 'event';
  kept: number;
  counted: number;
}

export type DbRepair = 'liveCounts';

/** db:repair: each kept count as it was and as counted now (the kept count from then on). */
export interface DbRepairResult {
  liveCounts: LiveCountCheck[];
  durationMs: number;
}

export interface DbCheckStatus {
  running: boolean;
  progress: DbCheckProgress | null;
  /** the last finished check of this session */
  last: DbCheckResult | null;
}

/** Database maintenance (db:backup, db:vacuum; `ferry backup`, `ferry vacuum`): what runs and how far it is. */
export interface DbMaintenanceProgress {
  task: 'backup' | 'vacuum';
  /** backup: 'copying' then 'verifying' (done/total in pages); vacuum: 'copying', 'writing', 'checkpoint' (bytes) */
  stage: string;
  /** null when this stage cannot be measured on this system */
  done: number | null;
  total: number;
  elapsedMs: number;
}

/** A finished backup: a complete copy that passed SQLite's quick_check, under `out`. */
export interface DbBackupResult {
  task: 'backup';
  out: string;
  bytes: number;
  pages: number;
  check: 'ok';
  durationMs: number;
}

/** A finished compaction: the database file (with its -wal) before and after. */
export interface DbVacuumResult {
  task: 'vacuum';
  bytesBefore: number;
  bytesAfter: number;
  savedBytes: number;
  /** false when a reader kept the last checkpoint from finishing (the -wal then shrinks at a later one) */
  checkpointed: boolean;
  durationMs: number;
}

export interface DbMaintenanceStatus {
  running: 'backup' | 'vacuum' | null;
  progress: DbMaintenanceProgress | null;
  /** the last finished backup or compaction of this session, or the error it ended with */
  last: DbBackupResult | DbVacuumResult | { task: 'backup' | 'vacuum'; error: SerializedError } | null;
  /** the database file's free space now (the screen offers Compact when worthCompacting) */
  space?: DbFreeSpace;
}

export interface ProgressEvent {
  jobId: number;
  stage: string; // 'reading' | 'writing' | 'validating' | 'exporting' | 'committing' ...
  /** bytes (unit 'bytes') or records done */
  done: number;
  total: number | null;
  unit: 'bytes' | 'records';
  records: number;
  fileIndex: number;
  fileName: string;
  elapsedMs: number;
}

export interface MetadataListItem {
  uid: string;
  code: string | null;
  name: string | null;
}

/** What Ferry knows of a uid (metadata:names): its name (null when the object has none) and its type ('dataElements'). */
export interface MetadataName {
  name: string | null;
  type: string;
}

/**
 * A unique attribute a screen offers as an id scheme (sent as ATTRIBUTE:<uid>); classes: the DHIS2 classes it applies
 * to, by the stem of DHIS2's flag (organisationUnitAttribute → 'organisationUnit', 'dataElement', 'program' …).
 */
export interface IdSchemeAttribute {
  uid: string;
  name: string;
  code?: string;
  classes: string[];
}

export interface OrgUnitNode {
  uid: string;
  code: string | null;
  name: string | null;
  level: number | null;
  path: string | null;
  childCount: number;
}

/** A wire format as the format registry declares it (the `formats:list` channel). */
export interface FormatInfo {
  /** registry id (the module's folder): 'dxf2-json' */
  id: string;
  /** the --format name: 'json' */
  format: string;
  label: string;
  kinds: ImportKind[];
  extensions: string[];
  mimeTypes: string[];
  /** kinds Ferry imports from this format */
  reads: ('data' | 'metadata' | 'geometry' | 'csv-metadata' | 'events' | 'dhis14')[];
  /** kinds Ferry exports in this format */
  writes: ('data' | 'metadata' | 'csv-metadata' | 'events' | 'dhis14')[];
  /** set where Ferry recognises the format but does not read or write it yet */
  note?: string;
  /** the file is already compressed (xlsx): exported with compression none only */
  compressed?: boolean;
}

/** The first rows of a CSV metadata file as the import reads them (csvMetadata:preview). */
export interface CsvMetadataPreview {
  classKey: string;
  /** the class key's columns, in file order */
  columns: { key: string; label: string; ignored?: boolean }[];
  /** the skipped first row (firstRowIsHeader), else null */
  header: string[] | null;
  /** cells as the import reads them: blank → the default (or null), long values cut */
  rows: { line: number; cells: (string | null)[]; /** cells past the class key's columns (ignored) */ extra: number }[];
  /** the file has more rows than shown */
  more: boolean;
  /** membership class keys: the import replaces the member list */
  warning: string | null;
}

/** A --format name: checked against the format registry by the services (which know what each kind accepts). */
const formatName = z.string().regex(/^[a-z0-9-]{1,32}$/i, 'format must be a format name such as json, xml, csv or adx').transform((s) => s.toLowerCase());

// ---------- request schemas ----------
const empty = z.object({}).strict();
export const importStartReq = z.object({
  files: z.array(z.string().min(1)).min(1),
  kind: z.enum(IMPORT_KINDS).optional(),
  format: formatName.optional(),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type ImportStartReq = z.input<typeof importStartReq>;

/**
 * 'csv-metadata': one class key as DHIS2's CSV metadata; 'pdf-form': an offline data entry form for a data set;
 * 'events' / 'tracked-entities': program data in tracker or pre-2.41 events formats; 'dhis14-*': DHIS 1.4 XML zips.
 */
export const EXPORT_KINDS = [
  'metadata',
  'dependencies',
  'data',
  'csv-metadata',
  'pdf-form',
  'events',
  'tracked-entities',
  'dhis14-metadata',
  'dhis14-detailed-metadata',
  'dhis14-data',
  'send',
] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const exportStartReq = z.object({
  kind: z.enum(EXPORT_KINDS),
  out: z.string().min(1),
  format: formatName.default('json'),
  compression: z.enum(COMPRESSIONS).default('none'),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type ExportStartReq = z.input<typeof exportStartReq>;

/** transfer:send and transfer:sendPreview: what to send (src-main/transfer/send.ts SendOptions) */
const sendWhat = {
  to: z.string().trim().min(1, 'the destination needs a name').max(100),
  metadata: z.enum(['none', 'changed', 'all']).optional(),
  fromSequence: z.number().int().nonnegative().optional(),
  sincePackage: z.string().min(1).optional(),
  resend: z.number().int().positive().optional(),
};
export const transferSendReq = z.object({
  ...sendWhat,
  out: z.string().min(1),
  siteName: z.string().trim().min(1).max(100).optional(),
  siteOrgUnit: z.string().optional(),
});

export const contract = {
  /** readOnly: why the database cannot be written (Ferry then shows, exports and dry-runs, but refuses imports) */
  'app:info': { req: empty, res: {} as { version: string; dbPath: string; capabilities: string[]; readOnly?: string | null } },
  'db:info': { req: empty, res: {} as DbInfo },
  /** SQLite's integrity check of the database, in a worker; resolves when done (poll db:checkStatus for progress) */
  'db:check': { req: empty, res: {} as DbCheckResult },
  'db:checkStatus': { req: empty, res: {} as DbCheckStatus },
  /** what the last check offers to repair (the kept counts taken again), in the check's worker; refused on a read-only database */
  'db:repair': { req: empty, res: {} as DbRepairResult },
  /** a consistent copy of the database at `out` (from the save dialog) by SQLite's online backup, verified; resolves when done (poll db:maintenanceStatus) */
  'db:backup': { req: z.object({ out: z.string().min(1) }), res: {} as DbBackupResult },
  /** compacts the database (VACUUM in a worker); refused while a job writes; resolves when done (poll db:maintenanceStatus) */
  'db:vacuum': { req: empty, res: {} as DbVacuumResult },
  'db:maintenanceStatus': { req: empty, res: {} as DbMaintenanceStatus },
  /** every format the registry knows: what each reads and writes (the screens' format pickers) */
  'formats:list': { req: empty, res: {} as FormatInfo[] },
  /** summaries: false leaves every record's summary null (the job table needs none; jobs:get gives one job's) */
  'jobs:list': { req: z.object({ limit: z.number().int().positive().max(10000).optional(), summaries: z.boolean().optional() }), res: {} as JobRecord[] },
  'jobs:get': { req: z.object({ id: z.number().int() }), res: {} as JobRecord },
  'jobs:wait': { req: z.object({ id: z.number().int() }), res: {} as JobRecord },
  'jobs:cancel': { req: z.object({ id: z.number().int() }), res: {} as { cancelled: boolean } },
  /** starts an undo job (refused with details.refused and details.laterJobs when it cannot run); see src-shared/undo.ts */
  'jobs:undo': {
    req: z.object({ job: z.number().int().optional(), last: z.boolean().optional(), cascade: z.boolean().optional(), dryRun: z.boolean().optional() }),
    res: {} as { jobId: number; undoes: UndoneJob[] },
  },
  'import:start': { req: importStartReq, res: {} as { jobId: number } },
  'export:start': { req: exportStartReq, res: {} as { jobId: number } },
  'metadata:list': {
    req: z.object({
      type: z.string().min(1),
      search: z.string().optional(),
      limit: z.number().int().positive().max(5000).optional(),
      /** only objects linked to this object (uid), by a reference either way (a program's stages) */
      linkedTo: z.string().optional(),
    }),
    res: {} as MetadataListItem[],
  },
  /** names of stored objects of any type for these uids (the screens show "name (uid)"); unknown uids are absent */
  'metadata:names': {
    req: z.object({ uids: z.array(z.string()).max(1000) }),
    res: {} as Record<string, MetadataName>,
  },
  /** the unique attributes stored, with the classes each applies to: the id scheme choices beside UID, Code, Name */
  'metadata:idSchemeAttributes': { req: empty, res: {} as IdSchemeAttribute[] },
  'orgUnits:children': {
    req: z.object({ parent: z.string().nullable().optional(), search: z.string().optional() }),
    res: {} as OrgUnitNode[],
  },
  'dialog:openFiles': {
    req: z.object({ title: z.string().optional(), multiple: z.boolean().optional(), extensions: z.array(z.string()).optional() }),
    res: {} as { paths: string[] },
  },
  'dialog:saveFile': {
    /**
     * compression: the file will be written compressed (an export): the path answered keeps the compression's
     * extension (.zip, .gz) even when the user edited it away in the dialog (a.json → a.json.zip)
     */
    req: z.object({ title: z.string().optional(), defaultName: z.string(), compression: z.enum(COMPRESSIONS).optional() }),
    res: {} as { path: string | null },
  },
  'files:stat': {
    req: z.object({ paths: z.array(z.string()) }),
    res: {} as { path: string; name: string; size: number | null }[],
  },
  /** writes a small text file (e.g. conflicts CSV) to a path the save dialog returned in this session */
  'files:writeText': {
    req: z.object({ path: z.string().min(1), text: z.string() }),
    res: {} as { path: string; bytes: number },
  },
  /**
   * The bridge of `ferry serve` (no native dialogs): a link from which the browser downloads a file the page was let
   * write (an export, saved in the bridge's temporary folder). Other doors answer UNSUPPORTED: they save where the user chose.
   */
  'files:downloadLink': {
    req: z.object({ path: z.string().min(1) }),
    res: {} as { url: string; name: string; size: number },
  },
  /** writes a job's whole stored summary (DHIS2 JSON, indented) to a path the save dialog returned in this session */
  'jobs:saveSummary': { req: z.object({ id: z.number().int(), path: z.string().min(1) }), res: {} as { path: string; bytes: number } },
  /**
   * The desktop app only (capability report:pdf): the window's page as printed (its print stylesheet) saved as a PDF at
   * a path the save dialog returned. Other doors answer UNSUPPORTED; a browser prints the page itself (window.print).
   */
  'report:pdf': { req: z.object({ path: z.string().min(1) }), res: {} as { path: string; bytes: number } },
  /**
   * The desktop app only (capability files:showInFolder): opens the system's file manager on a file Ferry saved in this
   * session (an export). Other doors answer UNSUPPORTED (a browser downloads the file instead).
   */
  'files:showInFolder': { req: z.object({ path: z.string().min(1) }), res: {} as { shown: boolean } },
  /** the first rows of a CSV metadata file (a picked file) read as the import reads them, in named columns */
  /** makes a transfer package (a job of export kind 'send'; its summary is a SendSummary) */
  'transfer:send': { req: transferSendReq, res: {} as { jobId: number } },
  /** what a send would carry, nothing written */
  'transfer:sendPreview': { req: z.object(sendWhat), res: {} as SendPreview },
  /** this site (name and org unit given: set first; '' clears the org unit) */
  'transfer:site': { req: z.object({ name: z.string().trim().min(1).max(100).optional(), orgUnit: z.string().optional() }), res: {} as OwnSiteInfo },
  /** the destinations this site sends to, with their last package */
  'transfer:destinations': { req: empty, res: {} as DestinationInfo[] },
  'csvMetadata:preview': {
    req: z.object({ file: z.string().min(1), classKey: z.string().min(1), firstRowIsHeader: z.boolean().optional(), limit: z.number().int().positive().max(100).optional() }),
    res: {} as CsvMetadataPreview,
  },
  /** receives transfer packages (picked files): one import job of kind 'transfer' a package, in sequence order per sender */
  'transfer:receive': { req: z.object({ files: z.array(z.string().min(1)).min(1), dryRun: z.boolean().optional() }), res: {} as { jobIds: number[] } },
  /** what a package holds, verified, already received?, gaps — nothing is written */
  'transfer:inspect': { req: z.object({ file: z.string().min(1) }), res: {} as PackageInspection },
  /** control totals of received packages against the database (all cells, or only those that differ) */
  'transfer:reconcile': { req: z.object({ senderId: z.string().optional(), onlyMismatches: z.boolean().optional() }), res: {} as ReconcileReport },
  /** the senders packages were received from: last package, gaps, mismatches */
  'transfer:sites': { req: z.object({}).strict(), res: {} as SiteSummary[] },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Req<C extends Channel> = z.input<Contract[C]['req']>;
export type ParsedReq<C extends Channel> = z.output<Contract[C]['req']>;
export type Res<C extends Channel> = Contract[C]['res'];

export const CHANNELS = Object.keys(contract) as Channel[];

/** Push events, main → renderer. */
export interface Events {
  'job:progress': ProgressEvent;
  'job:done': JobRecord;
}
export type EventName = keyof Events;
export const EVENT_NAMES: EventName[] = ['job:progress', 'job:done'];

/** The typed API the renderer sees as `window.ferry` (or through the bridge). */
export type Api = {
  invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** Electron only: the path of a dropped File (webUtils.getPathForFile); the bridge returns null. */
  pathForFile?(file: unknown): string | null;
  /**
   * The bridge only (a browser has no file paths): streams a File the user chose or dropped to the bridge
   * (POST /api/upload, see src-main/bridge/server.ts), which keeps it in its temporary folder and lets the page import
   * it by the path it answers. Absent in Electron, whose pages pick files by path.
   */
  upload?(file: unknown, onProgress?: (sent: number, total: number) => void): Promise<UploadedFile>;
  /**
   * Electron only: files the desktop asked Ferry to open (file association, "Open with", a file given on the command
   * line), each group with the import wizard that reads it; files:stat may read these paths. Returns the unsubscribe.
   */
  onOpenFiles?(listener: (request: OpenFilesRequest) => void): () => void;
};

/** Files to open in one import wizard (src-main/app/open-files.ts routes them by their content). */
export interface OpenFilesRequest {
  screen: 'import-metadata' | 'import-data' | 'import-csv-metadata' | 'import-geometry' | 'import-events' | 'import-dhis14' | 'receive';
  paths: string[];
}

/** A file the browser uploaded to the bridge: where the engine reads it, its (sanitised) name and size. */
export interface UploadedFile {
  path: string;
  name: string;
  size: number;
}
