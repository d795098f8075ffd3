/**
 * `ferry send`: a transfer package (src-shared/transfer.ts) with everything changed since the last package to a
 * destination, as an export job of kind 'send'.
 *
 * What goes in. The change sequence (db/repos/changes.ts: job_file ids, never a wall clock) decides: package N+1 to a
 * destination carries the changes (to of package N, current]; `fromSequence` / `sincePackage` choose another start
 * (a new sequence number all the same); `resend K` re-makes package K: the same sequence and range, a new package id —
 * its contents are the current state of the values whose last change falls in that range (values changed again since
 * travel in a later package). Data values come with deletions (`"deleted": true`), events (tracker JSON, deleted ones
 * with `"deleted": true`) and, with `metadata` 'changed' or 'all', the metadata objects changed in the range or all of
 * them (downwards, province → district → facility).
 *
 * An empty change set still makes a package: the receiver then sees the sequence advance (and no gap later).
 *
 * How it is written. The destination is made (by name) in a short write transaction; the package is then read from
 * one snapshot: free space on the target is checked against an upper-bound estimate (refused naming both figures),
 * entries are streamed into `<out>.part` (sha256 while writing), the manifest last, the file is synced, read back
 * (every entry inflated: CRC-32, size, sha256 against the manifest), renamed into place, and only then recorded as
 * sent. A failure or cancel deletes the part file and records nothing: the next send makes the same sequence again.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open.ts';
import type { Exporter, JobContext } from '../jobs/types.ts';
import type { SendPreview, SendSummary } from '../../src-shared/transfer-send.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import { generateUid } from '../../src-shared/dhis2/uid.ts';
import {
  MANIFEST_ENTRY,
  PACKAGE_FORMAT,
  PACKAGE_FORMAT_VERSION,
  type ControlTotal,
  type ManifestEntry,
  type TransferManifest,
} from '../../src-shared/transfer.ts';
import { begin, beginImmediate, busyTimeout, commit, rollbackIfOpen, setBusyTimeout } from '../db/tx.ts';
import { ChangesRepo } from '../db/repos/changes.ts';
import { TransferSitesRepo, type SentPackageRow } from '../db/repos/transfer-sites.ts';
import { MetadataLookupRepo } from '../db/repos/metadata-lookups.ts';
import { PeriodsRepo } from '../db/repos/periods.ts';
import { EventsRepo } from '../db/repos/events.ts';
import { IdMap } from '../exporters/id-maps.ts';
import { dhis2Timestamp, orderTypes, systemInfo, asString } from '../exporters/common.ts';
import { storedSource } from '../exporters/metadata.ts';
import { createJsonDataWriter } from '../formats/dxf2-json/data-writer.ts';
import { eventsWriterFor, metadataWriterFor } from '../formats/registry.ts';
import type { MetadataWriterFactory } from '../formats/types.ts';
import { VERSION } from '../version.ts';
import { ownSite, setOwnSite, destinationNamed, destinationRef } from './site.ts';
import { ControlTotaller, roundSum } from './control-totals.ts';
import { PackageZipWriter, commitPart } from './package-writer.ts';
import { verifyPackage } from './package-reader.ts';

export const DATA_ENTRY = 'dataValues.json';
export const EVENTS_ENTRY = 'events.json';
export const METADATA_ENTRY = 'metadata.json';

/** The options of a send (CLI flags in camelCase; the transfer:send channel and the wizard use the same names). */
export interface SendOptions {
  /** the destination's name (made on first use) */
  to: string;
  /** carry changes after this sequence number instead of after the last package's */
  fromSequence?: number;
  /** carry changes after the range of this package (package id, or its sequence number to this destination) */
  sincePackage?: string;
  /** re-make package K to this destination: same sequence and range, new package id */
  resend?: number;
  /** metadata downwards: 'changed' (in the range), 'all', or none (default) */
  metadata?: 'changed' | 'all' | 'none';
  /** set this site's name (and org unit) before sending */
  siteName?: string;
  siteOrgUnit?: string;
}

const int = (v: unknown, label: string): number | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(String(v));
  if (!Number.isInteger(n) || n < 0) throw ferryError('BAD_REQUEST', 'transfer.wholeNumber', { flag: label, value: String(v) });
  return n;
};

/** Checks and normalises send options (before a job exists). */
export function parseSendOptions(o: Record<string, unknown>): SendOptions {
  const to = asString(o.to)?.trim();
  if (!to) throw ferryError('BAD_REQUEST', 'transfer.needsTo');
  const out: SendOptions = { to };
  out.fromSequence = int(o.fromSequence, '--from-sequence');
  const since = o.sincePackage;
  if (since !== undefined && since !== null && since !== '') out.sincePackage = String(since);
  const resend = int(o.resend, '--resend');
  if (resend !== undefined) {
    if (resend < 1) throw ferryError('BAD_REQUEST', 'transfer.resendNeedsSequence');
    out.resend = resend;
  }
  const chosen = [out.fromSequence !== undefined, out.sincePackage !== undefined, out.resend !== undefined].filter(Boolean).length;
  if (chosen > 1) throw ferryError('BAD_REQUEST', 'transfer.chooseOneRange');
  const m = o.metadata;
  if (m === true || m === 'true' || m === 'changed') out.metadata = 'changed';
  else if (m === 'all') out.metadata = 'all';
  else if (m === undefined || m === false || m === 'false' || m === 'none') out.metadata = 'none';
  else throw ferryError('BAD_REQUEST', 'transfer.metadataChoice', { value: String(m) });
  if (o.siteName !== undefined) out.siteName = String(o.siteName);
  if (o.siteOrgUnit !== undefined) out.siteOrgUnit = String(o.siteOrgUnit);
  return out;
}

/** Free space of the folder a file goes to: bytes available to this user. */
export type FreeSpace = (dir: string) => number;
export const statfsFree: FreeSpace = (dir) => {
  const s = fs.statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
};

/** An upper bound of a package's size from what it will carry (compressed DXF2 JSON is ~25–35 bytes a value). */
export function estimateBytes(values: number, events: number, metadataObjects: number): number {
  return 64 * 1024 + values * 64 + events * 1024 + metadataObjects * 2048;
}

export interface SendPlan {
  destinationId: number;
  sequence: number;
  from: number;
  to: number;
  resendOf: string | null;
}

/** Which sequence number and change range a send makes (read inside the send's snapshot). */
export function planSend(db: Db, destinationId: number, o: SendOptions): SendPlan {
  const repo = new TransferSitesRepo(db);
  const current = new ChangesRepo(db).currentSequence();
  const last = repo.lastSent(destinationId);
  if (o.resend !== undefined) {
    const k = repo.sentBySequence(destinationId, o.resend);
    if (!k) throw last ? ferryError('BAD_REQUEST', 'transfer.noSuchSentLast', { sequence: o.resend, to: o.to, last: last.sequence }) : ferryError('BAD_REQUEST', 'transfer.noSuchSentYet', { sequence: o.resend, to: o.to });
    return { destinationId, sequence: k.sequence, from: k.changeFrom, to: k.changeTo, resendOf: k.packageId };
  }
  let from = last?.changeTo ?? 0;
  if (o.fromSequence !== undefined) from = o.fromSequence;
  if (o.sincePackage !== undefined) {
    const found = repo.sentByPackageId(o.sincePackage);
    const byId = found && found.destinationId === destinationId ? found : undefined;
    const bySeq = /^\d+$/.test(o.sincePackage) ? repo.sentBySequence(destinationId, Number(o.sincePackage)) : undefined;
    const p = byId ?? bySeq;
    if (!p) throw ferryError('BAD_REQUEST', 'transfer.noSuchSincePackage', { package: o.sincePackage, to: o.to });
    from = p.changeTo;
  }
  if (from > current) throw ferryError('BAD_REQUEST', 'transfer.fromPastChanges', { current, from });
  return { destinationId, sequence: (last?.sequence ?? 0) + 1, from, to: current, resendOf: null };
}


export function previewSend(db: Db, o: SendOptions): SendPreview {
  begin(db);
  try {
    const repo = new TransferSitesRepo(db);
    const site = ownSite(db);
    const dest = repo.destinationByName(o.to.trim());
    const plan = dest ? planSend(db, dest.id, o) : { destinationId: 0, sequence: 1, from: o.fromSequence ?? 0, to: new ChangesRepo(db).currentSequence(), resendOf: null };
    const changes = new ChangesRepo(db);
    let events = 0;
    for (const _ of changes.eventIdsChangedSince(plan.from, plan.to)) events++;
    let metadataObjects = 0;
    if (o.metadata === 'all') metadataObjects = repo.countMetadata();
    else if (o.metadata === 'changed') for (const _ of changes.metadataIdsChangedSince(plan.from, plan.to)) metadataObjects++;
    const last = dest ? repo.lastSent(dest.id) : undefined;
    return {
      site: { id: site.id, name: site.name, orgUnit: site.orgUnit ?? null },
      destination: dest?.name ?? o.to.trim(),
      known: !!dest,
      sequence: plan.sequence,
      changes: { from: plan.from, to: plan.to },
      valuesAtMost: repo.valuesChangedAtMost(plan.from, plan.to),
      events,
      metadataObjects,
      lastSent: last ? { sequence: last.sequence, packageId: last.packageId, file: last.file, createdAt: last.createdAt } : null,
    };
  } finally {
    rollbackIfOpen(db);
  }
}


/**
 * Takes the write lock for the send's two short writes (its destination first, its record last), waiting cancellably
 * while an import in another process or worker holds it.
 */
async function writeLock(ctx: JobContext): Promise<void> {
  const normal = busyTimeout(ctx.db);
  setBusyTimeout(ctx.db, 200);
  try {
    for (;;) {
      try {
        beginImmediate(ctx.db);
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
        ctx.progress({ stage: 'waiting for an import to finish' });
        ctx.throwIfCancelled();
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    setBusyTimeout(ctx.db, normal);
  }
}

function progress(ctx: JobContext, stage: string, done: number, total: number | null, fileName: string): void {
  ctx.progress({ stage, done, total, unit: 'records', records: done, fileIndex: 0, fileName });
}

/**
 * Makes the package. Runs in the job's worker on the job's connection (the runner opened a read transaction: it is
 * ended here, since the send writes its destination first and its record last). `freeSpace` is a port for tests.
 */
export async function sendPackage(ctx: JobContext, out: string, options: Record<string, unknown>, freeSpace: FreeSpace = statfsFree): Promise<SendSummary> {
  const o = parseSendOptions(options);
  const db = ctx.db;
  const fileName = path.basename(out);
  progress(ctx, 'preparing', 0, null, fileName);
  rollbackIfOpen(db);
  await writeLock(ctx);
  let destId: number;
  try {
    if (o.siteName !== undefined || o.siteOrgUnit !== undefined) setOwnSite(db, { name: o.siteName, orgUnit: o.siteOrgUnit });
    destId = destinationNamed(db, o.to, ctx.now).id;
    commit(db);
  } finally {
    rollbackIfOpen(db);
  }

  begin(db); // one snapshot for the whole package
  let recorded: Omit<SentPackageRow, 'id' | 'destination'>;
  let summary: SendSummary;
  try {
    const repo = new TransferSitesRepo(db);
    const changes = new ChangesRepo(db);
    const site = ownSite(db);
    const dest = repo.destinations().find((d) => d.id === destId)!;
    const plan = planSend(db, destId, o);

    // what it will carry: events and metadata by id (small), values as an upper bound (large)
    const eventIds = [...changes.eventIdsChangedSince(plan.from, plan.to)];
    let metadataIds: number[] | null = null;
    if (o.metadata === 'changed') metadataIds = [...changes.metadataIdsChangedSince(plan.from, plan.to)];
    const metadataCount = o.metadata === 'all' ? repo.countMetadata() : (metadataIds?.length ?? 0);
    // the partitions written in the range and how many values each holds: the upper bound of what the package
    // carries, and (below) whether it carries a partition whole, so its control totals come from the rows written
    const PE = 4_194_304; // ou · 2²² + pe (period ids stay below 2²²)
    const stored = new Map<number, number>();
    let valuesAtMost = repo.undoneKeys(plan.from, plan.to);
    for (const [ou, pe, count] of repo.changedPartitions(plan.from, plan.to)) {
      stored.set(ou * PE + pe, count);
      valuesAtMost += count;
    }
    const dir = path.dirname(path.resolve(out));
    const needed = estimateBytes(valuesAtMost, eventIds.length, metadataCount);
    const free = freeSpace(dir);
    if (free < needed)
      throw ferryError('TOO_LARGE', 'transfer.noSpace', { dir, freeText: formatBytes(free), free, neededText: formatBytes(needed), needed }, { free, needed, dir });

    const total = valuesAtMost + eventIds.length + metadataCount;
    const w = new PackageZipWriter(out);
    try {
      // 1. the data value set, first: DHIS2 imports the zip as it is
      progress(ctx, 'writing data values', 0, total, fileName);
      const meta = new MetadataLookupRepo(db);
      const periods = new PeriodsRepo(db).isoById();
      const deMap = new IdMap(meta, 'dataElements', 'UID');
      const ouMap = new IdMap(meta, 'organisationUnits', 'UID');
      const cocMap = new IdMap(meta, 'categoryOptionCombos', 'UID');
      const totaller = new ControlTotaller(db);
      // per partition carried: rows carried, and per data set the live values and sum as carried
      const touched = new Map<number, { rows: number; sets: Map<number | null, { values: number; sum: number }> }>();
      const dw = createJsonDataWriter();
      let lastCreatedIn: string | null = null;
      let lastCreatedOut: string | null = null;
      let lastUpdIn: string | null = null;
      let lastUpdOut: string | null = null;
      let values = 0;
      let deletions = 0;
      let done = 0;
      await w.beginEntry(DATA_ENTRY);
      w.push(dw.begin(null));
      let lastKey = -1;
      let cell: { rows: number; sets: Map<number | null, { values: number; sum: number }> } | undefined;
      for (const r of changes.dataValuesChangedSince(plan.from, plan.to)) {
        const created = r[7] === lastCreatedIn ? lastCreatedOut : ((lastCreatedIn = r[7]), (lastCreatedOut = dhis2Timestamp(r[7])));
        const updated = r[8] === lastUpdIn ? lastUpdOut : ((lastUpdIn = r[8]), (lastUpdOut = dhis2Timestamp(r[8])));
        const deleted = r[11] === 1;
        if (deleted) deletions++;
        else values++;
        const key = r[2] * PE + r[1];
        if (key !== lastKey) {
          lastKey = key;
          cell = touched.get(key);
          if (!cell) touched.set(key, (cell = { rows: 0, sets: new Map() }));
        }
        cell!.rows++;
        const num = !deleted && r[5] != null && totaller.isNumeric(r[0]) ? Number(r[5]) : NaN;
        for (const ds of totaller.dataSetsOf(r[0])) {
          let a = cell!.sets.get(ds);
          if (!a) cell!.sets.set(ds, (a = { values: 0, sum: 0 }));
          if (deleted) continue;
          a.values++;
          if (Number.isFinite(num)) a.sum += num;
        }
        done++;
        const full = w.push(
          dw.row({
            dataElement: deMap.get(r[0]),
            period: periods[r[1]] ?? String(r[1]),
            orgUnit: ouMap.get(r[2]),
            categoryOptionCombo: cocMap.get(r[3]),
            attributeOptionCombo: cocMap.get(r[4]),
            value: r[5],
            storedBy: r[6],
            created,
            lastUpdated: updated,
            comment: r[9],
            followup: r[10] === 1,
            deleted,
          }),
        );
        if (full) {
          progress(ctx, 'writing data values', done, total, fileName);
          await w.flush();
          ctx.throwIfCancelled();
        }
      }
      w.push(dw.end());
      const entries: ManifestEntry[] = [];
      const dataEntry = await w.endEntry();
      entries.push({ name: DATA_ENTRY, content: 'dataValues', size: dataEntry.size, sha256: dataEntry.sha256 });

      // 2. events (tracker JSON), when any changed
      let events = 0;
      if (eventIds.length) {
        progress(ctx, 'writing events', done, total, fileName);
        const ew = eventsWriterFor('json').create({ what: 'EVENT', header: false });
        const er = new EventsRepo(db);
        await w.beginEntry(EVENTS_ENTRY);
        w.push(ew.start());
        for (let i = 0; i < eventIds.length; i += 250) {
          for (const e of er.eventsByIds(eventIds.slice(i, i + 250))) {
            w.push(ew.write({ type: 'EVENT', value: e, line: 0, index: events++ }));
            done++;
          }
          progress(ctx, 'writing events', done, total, fileName);
          await w.flush();
          ctx.throwIfCancelled();
        }
        w.push(ew.end());
        const ee = await w.endEntry();
        entries.push({ name: EVENTS_ENTRY, content: 'events', size: ee.size, sha256: ee.sha256 });
      }

      // 3. metadata downwards, when asked and there is any
      let metadataObjects = 0;
      if (metadataCount > 0) {
        progress(ctx, 'writing metadata', done, total, fileName);
        const factory = metadataWriterFor('json') as MetadataWriterFactory;
        const mw = factory();
        await w.beginEntry(METADATA_ENTRY);
        w.push(mw.begin(systemInfo(ctx.now)));
        const byType = new Map<string, { uid: string; json: string }[]>();
        let source: (type: string) => Iterable<{ uid: string; json: string }>;
        let types: string[];
        if (metadataIds) {
          for (let i = 0; i < metadataIds.length; i += 500)
            for (const m of repo.metadataObjects(metadataIds.slice(i, i + 500))) {
              let list = byType.get(m.type);
              if (!list) byType.set(m.type, (list = []));
              list.push({ uid: m.uid, json: m.json });
            }
          types = orderTypes(byType.keys());
          source = (t) => byType.get(t) ?? [];
        } else {
          types = orderTypes(meta.countsByType().map((c) => c.type));
          source = storedSource(db);
        }
        for (const type of types) {
          w.push(mw.beginType(type));
          for (const { json } of source(type)) {
            metadataObjects++;
            done++;
            const obj = mw.takes === 'object' ? (JSON.parse(json) as Record<string, unknown>) : null;
            if (w.push(mw.object(json, obj))) {
              progress(ctx, 'writing metadata', done, total, fileName);
              await w.flush();
              ctx.throwIfCancelled();
            }
          }
          w.push(mw.endType(type));
        }
        w.push(mw.end());
        const me = await w.endEntry();
        entries.push({ name: METADATA_ENTRY, content: 'metadata', size: me.size, sha256: me.sha256 });
      }

      // 4. control totals of every org unit × data set × period the package touches, as stored here now
      progress(ctx, 'control totals', done, total, fileName);
      const dsMap = new IdMap(meta, 'dataSets', 'UID');
      const controlTotals: ControlTotal[] = [];
      let cells = 0;
      for (const key of [...touched.keys()].sort((a, b) => a - b)) {
        const ou = Math.floor(key / PE);
        const pe = key % PE;
        const c = touched.get(key)!;
        // a partition carried whole: its totals are the rows written (same rows, same order, one snapshot); else
        // read from the database
        const totals =
          c.rows === stored.get(key)
            ? [...c.sets].map(([dataSet, a]) => ({ dataSet, values: a.values, sum: roundSum(a.sum) }))
            : totaller.cell(ou, pe, new Set(c.sets.keys()));
        for (const t of totals) {
          controlTotals.push({
            orgUnit: ouMap.get(ou) ?? String(ou),
            dataSet: t.dataSet == null ? null : (dsMap.get(t.dataSet) ?? String(t.dataSet)),
            period: periods[pe] ?? String(pe),
            values: t.values,
            sum: t.sum,
          });
        }
        if (++cells % 500 === 0) ctx.throwIfCancelled();
      }

      // 5. the manifest, last
      const manifest: TransferManifest = {
        format: PACKAGE_FORMAT,
        formatVersion: PACKAGE_FORMAT_VERSION,
        packageId: generateUid(),
        from: { id: site.id, name: site.name, orgUnit: site.orgUnit ?? null },
        to: destinationRef(dest),
        sequence: plan.sequence,
        changes: { from: plan.from, to: plan.to },
        createdAt: ctx.now,
        ferryVersion: VERSION,
        entries,
        counts: { values, deletions, events, metadataObjects },
        controlTotals,
      };
      await w.beginEntry(MANIFEST_ENTRY);
      w.push(JSON.stringify(manifest, null, 1));
      await w.endEntry();
      const written = await w.finish();

      // 6. read it back before it counts as sent
      progress(ctx, 'verifying', 0, null, fileName);
      // the receiver's own check (zip structure, CRCs, manifest, every entry's size and sha256), then the whole file's
      // sha256 against what was written: a medium that changed any byte is caught here, not at the district
      let back: Awaited<ReturnType<typeof verifyPackage>>;
      try {
        back = await verifyPackage(w.part);
      } catch (e) {
        throw ferryError('BAD_FILE', 'transfer.readBackDamaged', { file: fileName, detail: (e as Error).message });
      }
      if (back.sha256 !== written.sha256 || back.manifest.packageId !== manifest.packageId)
        throw ferryError('BAD_FILE', 'transfer.readBackDiffers', { file: fileName });
      ctx.throwIfCancelled();
      await commitPart(out);
      recorded = {
        destinationId: destId,
        sequence: plan.sequence,
        changeFrom: plan.from,
        changeTo: plan.to,
        packageId: manifest.packageId,
        resendOf: plan.resendOf,
        file: path.resolve(out),
        bytes: written.bytes,
        sha256: written.sha256,
        entries: JSON.stringify(entries),
        counts: JSON.stringify(manifest.counts),
        metadata: o.metadata === 'all' ? 2 : o.metadata === 'changed' ? 1 : 0,
        jobId: ctx.jobId,
        createdAt: ctx.now,
      };
      summary = {
        responseType: 'ExportSummary',
        status: 'OK',
        file: path.resolve(out),
        format: 'ferry-package',
        compression: 'zip',
        bytes: written.bytes,
        sha256: written.sha256,
        counts: { dataValues: values, deletions, events, metadataObjects, controlTotals: controlTotals.length },
        packageId: manifest.packageId,
        sequence: plan.sequence,
        changes: manifest.changes,
        from: { id: site.id, name: site.name },
        to: { id: dest.uid, name: dest.name },
        ...(plan.resendOf ? { resendOf: plan.resendOf } : {}),
      };
    } catch (e) {
      await w.abort();
      throw e;
    }
  } finally {
    rollbackIfOpen(db);
  }

  // 7. recorded as sent (the file is in place and verified)
  await writeLock(ctx);
  try {
    const repo = new TransferSitesRepo(db);
    const last = repo.lastSent(destId);
    if (!recorded.resendOf && last && last.sequence >= recorded.sequence) {
      await fs.promises.rm(out, { force: true });
      throw ferryError('BUSY', 'transfer.sentMeanwhile', { sequence: last.sequence, to: o.to });
    }
    repo.recordSent(recorded);
    commit(db);
  } finally {
    rollbackIfOpen(db);
  }
  progress(ctx, 'done', 1, 1, fileName);
  return summary;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  do {
    v /= 1024;
    u++;
  } while (v >= 1024 && u < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export const sendExporter: Exporter = {
  kind: 'send',
  ownFormats: { formats: ['ferry-package'], label: 'A transfer package' },
  checkOptions(o) {
    parseSendOptions(o);
    return o;
  },
  async run(ctx, out, _format, _compression, options) {
    return { summary: await sendPackage(ctx, out, options) };
  },
};
