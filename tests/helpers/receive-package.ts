/**
 * Transfer packages made by hand, exactly as src-shared/transfer.ts lays them out (for receive tests that must not
 * depend on `ferry send`, and for damaged, out-of-order and gapped packages): entries in order, the manifest last with
 * every entry's size and sha256.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { MANIFEST_ENTRY, PACKAGE_FORMAT, PACKAGE_FORMAT_VERSION, type ControlTotal, type SiteRef, type TransferManifest } from '../../src-shared/transfer.ts';

export interface HandValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo?: string;
  attributeOptionCombo?: string;
  value: string;
  deleted?: boolean;
}

export interface HandPackage {
  from: SiteRef;
  to?: SiteRef;
  sequence: number;
  values: HandValue[];
  packageId?: string;
  /** given as they are; absent: none */
  controlTotals?: ControlTotal[];
  events?: unknown;
  metadata?: unknown;
  changes?: { from: number; to: number };
}

const sha = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');

export function packageBytes(p: HandPackage): Buffer {
  const dv = strToU8(JSON.stringify({ dataValues: p.values.map((v) => ({ ...v, ...(v.deleted ? { deleted: true } : {}) })) }));
  const files: [string, 'dataValues' | 'events' | 'metadata', Uint8Array][] = [['dataValues.json', 'dataValues', dv]];
  if (p.events) files.push(['events.json', 'events', strToU8(JSON.stringify(p.events))]);
  if (p.metadata) files.push(['metadata.json', 'metadata', strToU8(JSON.stringify(p.metadata))]);
  const manifest: TransferManifest = {
    format: PACKAGE_FORMAT,
    formatVersion: PACKAGE_FORMAT_VERSION,
    packageId: p.packageId ?? `Pkg${String(p.sequence).padStart(8, '0')}`,
    from: p.from,
    to: p.to ?? { id: 'SiteDistr01', name: 'District', orgUnit: null },
    sequence: p.sequence,
    changes: p.changes ?? { from: (p.sequence - 1) * 10, to: p.sequence * 10 },
    createdAt: '2026-12-01T10:00:00.000Z',
    ferryVersion: 'test',
    entries: files.map(([name, content, bytes]) => ({ name, content, size: bytes.length, sha256: sha(bytes) })),
    counts: { values: p.values.filter((v) => !v.deleted).length, deletions: p.values.filter((v) => v.deleted).length, events: 0, metadataObjects: 0 },
    controlTotals: p.controlTotals ?? [],
  };
  const entries: Record<string, Uint8Array> = {};
  for (const [name, , bytes] of files) entries[name] = bytes;
  entries[MANIFEST_ENTRY] = strToU8(JSON.stringify(manifest));
  return Buffer.from(zipSync(entries, { level: 6 }));
}

export function writePackage(dir: string, name: string, p: HandPackage): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, packageBytes(p));
  return file;
}

/** A copy of a package with one byte flipped (XOR 0xff) at `offset`. */
export function flipByte(file: string, offset: number, out = file.replace(/\.zip$/, '-flipped.zip')): string {
  const b = fs.readFileSync(file);
  b[offset] = b[offset]! ^ 0xff;
  fs.writeFileSync(out, b);
  return out;
}

/** The byte offset where an entry's stored data starts (from its local header), for flipping a byte inside it. */
export function entryDataOffset(file: string, entry: string): number {
  const b = fs.readFileSync(file);
  for (let p = 0; p + 30 <= b.length; ) {
    if (b.readUInt32LE(p) !== 0x04034b50) break;
    const csize = b.readUInt32LE(p + 18);
    const nameLen = b.readUInt16LE(p + 26);
    const extraLen = b.readUInt16LE(p + 28);
    const name = b.subarray(p + 30, p + 30 + nameLen).toString('utf8');
    const data = p + 30 + nameLen + extraLen;
    if (name === entry) return data;
    p = data + csize;
  }
  throw new Error(`no entry ${entry} in ${file}`);
}
