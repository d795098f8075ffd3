/**
 * Receiving a transfer package (issue 13): an import job of kind 'transfer', one package a job, in the job's one
 * transaction. The whole package is verified first (package-reader.ts): a damaged one fails the job with BAD_FILE
 * naming the entry, before anything is written. A package already received (same sender and sequence, whatever its
 * package id) is a no-op saying when it was received. Otherwise its metadata (metadata importer), data values (the
 * data value import's FileImport, DHIS2 semantics, deleted values as deletions) and events (events importer) are
 * imported, the package is recorded (sender, sequence, change range, job) with its control totals, and the summary
 * gives the sender's gaps and the cells that do not reconcile.
 *
 * Out of order arrival: a value whose stored copy was written by a LATER package of the same sender (its
 * source_file_id is a file of the receive job of a higher sequence) is skipped and counted as "kept newer" — a filter
 * on the reader's rows, so the data value writer is not touched; the same for events (left out of the events entry). When no later package of the sender has been received
 * (the usual, in-order case) the filter costs nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { JSONParser } from '@streamparser/json';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import type { ImportFileInput, ImportResult, Importer, JobContext } from '../jobs/types.ts';
import { englishError, ferryError } from '../../src-shared/keyed-errors.ts';
import { type ErrorKey } from '../../src-shared/i18n/error-messages.ts';
import { dataImportOptionsSchema } from '../../src-shared/dhis2/options.ts';
import { dataReaderFor } from '../formats/registry.ts';
import { MetadataLookups } from '../importers/data-values/lookups.ts';
import { DataValueWriter } from '../importers/data-values/writer.ts';
import { FileImport } from '../importers/data-values/file-import.ts';
import { importEvents } from '../importers/events/index.ts';
import { metadataImporter } from '../importers/metadata/index.ts';
import { cacheSize } from '../db/tx.ts';
import { TransferReceivedRepo } from '../db/repos/transfer-received.ts';
import { entryChunks, isTransferPackage, verifyPackage, type VerifiedPackage } from './package-reader.ts';
import { gapsOf, reconcile } from './reconcile.ts';
import type { ReceiveSummary } from '../../src-shared/transfer-receive.ts';
import type { DataValueRow } from '../formats/data-value-row.ts';

const CACHE_KB = 16384;
const MAX_CONFLICTS = 50;

type Counts = { status: string; created: number; updated: number; deleted: number; ignored: number };

/** created/updated/deleted/ignored of a metadata ImportReport, tracker ImportReport or ImportSummaries */
function countsOf(s: unknown, status: string): Counts {
  const o = s as { stats?: Counts; imported?: number; updated?: number; deleted?: number; ignored?: number };
  if (o.stats) return { status, created: o.stats.created, updated: o.stats.updated, deleted: o.stats.deleted, ignored: o.stats.ignored };
  return { status, created: o.imported ?? 0, updated: o.updated ?? 0, deleted: o.deleted ?? 0, ignored: o.ignored ?? 0 };
}

/** Copies one verified entry to a temporary file (streamed) for an importer that reads files. */
async function extract(pkg: VerifiedPackage, name: string, sha: string, dir: string): Promise<string> {
  const entry = pkg.entries.find((e) => e.name === name)!;
  const out = path.join(dir, name);
  await pipeline(Readable.from(entryChunks(pkg.file, entry, sha)), fs.createWriteStream(out));
  return out;
}

/**
 * Copies the events entry without the events in `skip` (tracker JSON: {"events": [...]}), re-written one event at a
 * time — only when a later package of the sender was received first (out of order), so the usual case reads as is.
 */
async function extractEventsWithout(pkg: VerifiedPackage, name: string, sha: string, dir: string, skip: Set<string>, kept: (n: number) => void): Promise<string> {
  const entry = pkg.entries.find((e) => e.name === name)!;
  const out = path.join(dir, name);
  const w = fs.createWriteStream(out);
  let failed: Error | null = null;
  w.on('error', (e) => (failed ??= e));
  const write = async (s: string): Promise<void> => {
    if (failed) throw failed;
    if (!w.write(s)) await once(w, 'drain');
  };
  let first = true;
  let skipped = 0;
  const pending: string[] = [];
  const parser = new JSONParser({ paths: ['$.events.*'], keepStack: false });
  parser.onValue = ({ value }) => {
    const e = value as { event?: unknown };
    if (typeof e?.event === 'string' && skip.has(e.event)) skipped++;
    else pending.push(JSON.stringify(value));
  };
  await write('{"events":[');
  for await (const c of entryChunks(pkg.file, entry, sha)) {
    parser.write(c);
    for (const s of pending.splice(0)) {
      await write((first ? '' : ',') + s);
      first = false;
    }
  }
  await write(']}');
  await new Promise<void>((resolve, reject) => w.end((e?: Error | null) => (e ? reject(e) : resolve())));
  kept(skipped);
  return out;
}

export async function receivePackage(ctx: JobContext, file: ImportFileInput): Promise<{ summary: ReceiveSummary; commit: boolean; pkg: VerifiedPackage }> {
  const db = ctx.db;
  cacheSize(db, CACHE_KB);
  ctx.progress({ stage: 'verifying', unit: 'bytes', done: 0, total: null, fileIndex: file.index, fileName: file.name });
  const pkg = await verifyPackage(file.path, (done, total) => ctx.progress({ stage: 'verifying', unit: 'bytes', done, total, fileIndex: file.index, fileName: file.name }));
  ctx.throwIfCancelled();
  const m = pkg.manifest;
  const repo = new TransferReceivedRepo(db);
  const base: ReceiveSummary = {
    responseType: 'TransferReceive',
    status: 'SUCCESS',
    description: '',
    file: pkg.fileName,
    packageId: m.packageId,
    from: m.from,
    to: m.to,
    sequence: m.sequence,
    changes: m.changes,
    counts: m.counts,
    alreadyReceived: null,
    dryRun: ctx.dryRun,
    dataValues: { imported: 0, updated: 0, deleted: 0, ignored: 0, keptNewer: 0, conflicts: [] },
    events: null,
    eventsKeptNewer: 0,
    metadata: null,
    gaps: [],
    reconciliation: { cells: 0, mismatches: 0, rows: [] },
  };
  const had = repo.received(m.from.id, m.sequence);
  if (had) {
    const summary: ReceiveSummary = {
      ...base,
      alreadyReceived: { receivedAt: had.receivedAt, jobId: had.jobId, packageId: had.packageId },
      ...described([{ messageKey: 'receive.descAlready', messageParams: { sequence: m.sequence, from: m.from.name, date: had.receivedAt.slice(0, 10), job: had.jobId } }]),
      gaps: gapsOf(m.from.id, m.from.name, repo.sequences(m.from.id)),
      reconciliation: reconcile(db, { senderId: m.from.id, onlyMismatches: true }),
    };
    return { summary, commit: false, pkg };
  }

  let commit = true;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-receive-'));
  try {
    // metadata first (the values and events may refer to it)
    const meta = m.entries.find((e) => e.content === 'metadata');
    if (meta) {
      ctx.progress({ stage: 'importing metadata' });
      const p = await extract(pkg, meta.name, meta.sha256, tmp);
      const r = await metadataImporter.run(ctx, [{ ...file, path: p, name: `${pkg.fileName} › ${meta.name}` }], {});
      base.metadata = countsOf(r.summary, r.status);
      if (!r.commit) commit = false;
    }
    const dv = m.entries.find((e) => e.content === 'dataValues');
    if (dv && commit) await importValues(ctx, pkg, file, dv.name, dv.sha256, repo, base);
    const ev = m.entries.find((e) => e.content === 'events');
    if (ev && commit) {
      ctx.progress({ stage: 'importing events' });
      // events a later package of this sender wrote are newer: they are left out of what the events import reads
      const newer = repo.eventUidsWrittenBy(repo.fileIdsOfLaterPackages(m.from.id, m.sequence));
      const p = newer.size ? await extractEventsWithout(pkg, ev.name, ev.sha256, tmp, newer, (n) => (base.eventsKeptNewer = n)) : await extract(pkg, ev.name, ev.sha256, tmp);
      const r: ImportResult = await importEvents(ctx, [{ ...file, path: p, name: `${pkg.fileName} › ${ev.name}` }], { atomicMode: 'OBJECT' }, undefined, { received: true });
      base.events = countsOf(r.summary, r.status);
      if (!r.commit) commit = false;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  ctx.throwIfCancelled();
  if (!commit) {
    base.status = 'ERROR';
    Object.assign(base, described([{ messageKey: 'receive.descFailed', messageParams: { sequence: m.sequence, from: m.from.name } }]));
    return { summary: base, commit: false, pkg };
  }
  repo.record(m, { receivedAt: ctx.now, jobId: ctx.jobId, fileName: pkg.fileName, sha256: pkg.sha256 });
  base.gaps = gapsOf(m.from.id, m.from.name, repo.sequences(m.from.id));
  base.reconciliation = reconcile(db, { senderId: m.from.id, onlyMismatches: true });
  const d = base.dataValues;
  const problems = d.conflicts.length > 0 || d.ignored > 0 || base.gaps.length > 0 || base.reconciliation.mismatches > 0 || [base.events, base.metadata].some((x) => x && x.status !== 'SUCCESS' && x.status !== 'OK');
  base.status = problems ? 'WARNING' : 'SUCCESS';
  const from = m.from.name;
  const parts: DescriptionPart[] = [
    { messageKey: ctx.dryRun ? 'receive.descChecked' : 'receive.descReceived', messageParams: { sequence: m.sequence, from } },
    { messageKey: 'receive.descCounts', messageParams: { imported: d.imported, updated: d.updated, deleted: d.deleted, ignored: d.ignored } },
  ];
  if (d.keptNewer) parts.push({ messageKey: 'receive.descKeptNewer', messageParams: { keptNewer: d.keptNewer, from } });
  if (base.eventsKeptNewer) parts.push({ messageKey: 'receive.descEventsKeptNewer', messageParams: { n: base.eventsKeptNewer } });
  for (const g of base.gaps) parts.push({ messageKey: 'receive.descSeparator', messageParams: {} }, { messageKey: g.messageKey!, messageParams: g.messageParams! });
  Object.assign(base, described(parts));
  return { summary: base, commit: true, pkg };
}

async function importValues(
  ctx: JobContext,
  pkg: VerifiedPackage,
  file: ImportFileInput,
  name: string,
  sha: string,
  repo: TransferReceivedRepo,
  out: ReceiveSummary,
): Promise<void> {
  const m = pkg.manifest;
  const entry = pkg.entries.find((e) => e.name === name)!;
  const label = `${pkg.fileName} › ${name}`;
  // force: the sending site accepted these values when they were captured; the data sets' expiry days, future and input
  // periods are decided there and then, never again at each site a package passes through (a value must not be lost in
  // transit because days went by on the way)
  const options = dataImportOptionsSchema.parse({ force: true });
  const fi = new FileImport({
    lookups: new MetadataLookups(ctx.db),
    writer: new DataValueWriter(ctx.db, ctx.now),
    options,
    defaultScheme: 'UID',
    fileId: file.fileId,
    user: ctx.user,
    now: ctx.now,
  });
  // the files of later packages from this sender: their values are newer than this package's
  const later = repo.fileIdsOfLaterPackages(m.from.id, m.sequence);
  let keptNewer = 0;
  const isNewer = (r: DataValueRow): boolean => {
    if (!r.dataElement || !r.period || !r.orgUnit) return false;
    const f = repo.sourceFileOf(r.dataElement, r.period, r.orgUnit, r.categoryOptionCombo ?? null, r.attributeOptionCombo ?? null);
    return f !== undefined && f !== null && later.has(f);
  };
  let done = 0;
  const counted = (async function* () {
    for await (const c of entryChunks(pkg.file, entry, sha)) {
      done += c.length;
      yield c;
    }
  })();
  const reader = dataReaderFor('json', label)(counted, { fileName: label });
  let records = 0;
  for await (const batch of reader) {
    if (batch.header) fi.applyHeader(batch.header);
    let rows = batch.rows;
    if (later.size) {
      rows = rows.filter((r) => !(isNewer(r) && ++keptNewer));
    }
    fi.rowsBatch(rows);
    records += batch.rows.length;
    ctx.throwIfCancelled();
    ctx.progress({ stage: 'importing', unit: 'bytes', done, total: entry.size, records, fileIndex: file.index, fileName: label });
  }
  fi.finish();
  if (fi.payloadDryRun) throw ferryError('BAD_FILE', 'transfer.payloadDryRun', { file: label }, { file: pkg.fileName });
  out.dataValues = {
    imported: fi.count.imported,
    updated: fi.count.updated,
    deleted: fi.count.deleted,
    ignored: fi.count.ignored,
    keptNewer,
    conflicts: fi.conflicts
      .list()
      .slice(0, MAX_CONFLICTS)
      .map((c) => ({ object: c.object, value: c.value })),
  };
}

type DescriptionPart = NonNullable<ReceiveSummary['descriptionParts']>[number];

/** The summary's one-sentence description: its English (as DHIS2's descriptions are) and its parts by key, for the doors to say in their language. */
function described(parts: DescriptionPart[]): Pick<ReceiveSummary, 'description' | 'descriptionParts'> {
  return { description: parts.map((p) => englishError(p.messageKey as ErrorKey, p.messageParams)).join(''), descriptionParts: parts };
}

/** The import job kind 'transfer': one package a job (the receive service starts them in sequence order). */
export const transferImporter: Importer = {
  kind: 'transfer',
  ownsFile: (filePath, fileName) =>
    isTransferPackage(filePath)
      ? ferryError('BAD_REQUEST', 'transfer.receiveIt', { file: fileName }, { file: fileName })
      : null,
  async run(ctx: JobContext, files: ImportFileInput[]): Promise<ImportResult> {
    if (files.length !== 1) throw ferryError('BAD_REQUEST', 'transfer.onePackageAJob');
    const file = files[0]!;
    const { summary, commit, pkg } = await receivePackage(ctx, file);
    return {
      summary,
      status: summary.status,
      commit,
      files: [{ index: file.index, size: pkg.bytes, sha256: pkg.sha256, format: 'ferry-transfer-package', compression: 'zip', status: summary.status }],
    };
  },
};
