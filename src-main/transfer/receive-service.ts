/**
 * The receive doors' shared service (CLI `ferry receive`, channels transfer:receive / transfer:inspect): packages are
 * received one job each, in sequence order per sender whatever order the files were given in; a file whose manifest
 * cannot be read still gets its job (which refuses it, so the job history records the refusal).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open.ts';
import type { JobManager } from '../jobs/manager.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import { messageKeyOf } from '../../src-shared/i18n/error-messages.ts';
import { TransferReceivedRepo } from '../db/repos/transfer-received.ts';
import type { PackageInspection } from '../../src-shared/transfer-receive.ts';
import { readManifest, verifyPackage } from './package-reader.ts';
import { gapsOf } from './reconcile.ts';

/** The files in the order they are received: by sender, then sequence; unreadable ones first (refused at once). */
export async function receiveOrder(files: string[]): Promise<string[]> {
  const keyed: { file: string; i: number; sender: string | null; seq: number }[] = [];
  for (const [i, file] of files.entries()) {
    try {
      const { manifest } = await readManifest(file);
      keyed.push({ file, i, sender: manifest.from.id, seq: manifest.sequence });
    } catch {
      keyed.push({ file, i, sender: null, seq: 0 });
    }
  }
  const firstIndex = new Map<string, number>();
  for (const k of keyed) if (k.sender !== null && !firstIndex.has(k.sender)) firstIndex.set(k.sender, k.i);
  keyed.sort((a, b) => {
    if (a.sender === null || b.sender === null) return a.sender === b.sender ? a.i - b.i : a.sender === null ? -1 : 1;
    if (a.sender !== b.sender) return firstIndex.get(a.sender)! - firstIndex.get(b.sender)!;
    return a.seq - b.seq || a.i - b.i;
  });
  return keyed.map((k) => k.file);
}

/** Starts one receive job a package, in receive order; the job manager runs them one after the other. */
export async function startReceive(jobs: JobManager, files: string[], dryRun: boolean): Promise<{ jobIds: number[] }> {
  if (!files.length) throw ferryError('BAD_REQUEST', 'transfer.receiveNeedsPackage');
  const jobIds: number[] = [];
  for (const file of await receiveOrder(files)) {
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      throw ferryError('FILE_NOT_FOUND', 'file.notFound', { file: path.basename(file), path: file }, { file: path.basename(file) });
    }
    jobIds.push(jobs.start({ direction: 'import', kind: 'transfer', dryRun, options: dryRun ? { dryRun } : {}, files: [{ path: file, name: path.basename(file), size }] }));
  }
  return { jobIds };
}

/** What a package holds, verified, and what receiving it would mean here (nothing is written). */
export async function inspectPackage(db: Db, file: string): Promise<PackageInspection> {
  const fileName = path.basename(file);
  const bytes = fs.existsSync(file) ? fs.statSync(file).size : 0;
  let manifest: PackageInspection['manifest'] = null;
  try {
    const r = await readManifest(file);
    const { controlTotals, ...rest } = r.manifest;
    manifest = { ...rest, controlTotalCells: controlTotals.length };
  } catch (e) {
    return { file, fileName, bytes, manifest, verified: false, error: (e as Error).message, errorDetails: keyOf(e), alreadyReceived: null, gaps: [], gapDetails: [] };
  }
  let error: string | null = null;
  let errorDetails: PackageInspection['errorDetails'] = null;
  try {
    await verifyPackage(file);
  } catch (e) {
    error = (e as Error).message;
    errorDetails = keyOf(e);
  }
  const repo = new TransferReceivedRepo(db);
  const had = repo.received(manifest.from.id, manifest.sequence);
  const seqs = repo.sequences(manifest.from.id);
  const gapDetails = gapsOf(manifest.from.id, manifest.from.name, had ? seqs : [...seqs, manifest.sequence]);
  const gaps = gapDetails.map((g) => g.message);
  return {
    file,
    fileName,
    bytes,
    manifest,
    verified: error === null,
    error,
    errorDetails,
    alreadyReceived: had ? { receivedAt: had.receivedAt, jobId: had.jobId } : null,
    gaps,
    gapDetails,
  };
}

/** The key and parameters of a refusal (the screens say it in their language), when the engine gave them. */
function keyOf(e: unknown): PackageInspection['errorDetails'] {
  const k = messageKeyOf((e as { details?: unknown })?.details);
  return k ? { messageKey: k.key, messageParams: k.params } : null;
}
