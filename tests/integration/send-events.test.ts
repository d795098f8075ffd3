/**
 * `ferry send` with program data and metadata downwards: events.json holds the events changed since the last package
 * (tracker JSON; a deleted one with "deleted": true), and --metadata changed only the objects an import changed since.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { unzipSync } from 'fflate';
import { openDb } from '../../src-main/db/open.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { loadEventMetadata } from '../helpers/events-import-metadata.ts';
import type { TransferManifest } from '../../src-shared/transfer.ts';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = tmpDir('ferry-send-ev-');
  dbPath = path.join(dir, 'clinic.sqlite');
  const db = openDb(dbPath);
  loadEventMetadata(db);
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};
const ev = (id: string, weight: string): Record<string, unknown> => ({
  event: id, program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: 'OuClinic001', occurredAt: '2024-03-01', status: 'ACTIVE', dataValues: [{ dataElement: 'DeWeight001', value: weight }],
});
async function send(out: string, ...more: string[]): Promise<{ sequence: number; counts: Record<string, number> }> {
  const r = await ferryCli(['--db', dbPath, 'send', '--to', 'District', '--out', out, '--json', ...more]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r.json();
}
const zip = (f: string): Record<string, Uint8Array> => unzipSync(fs.readFileSync(f));
const text = (b: Uint8Array | undefined): string => Buffer.from(b!).toString('utf8');

describe('ferry send: events and metadata', () => {
  it('carries the events changed since the last package, a deleted one as deleted', async () => {
    const imp = await ferryCli(['--db', dbPath, 'import', file('ev.json', JSON.stringify({ events: [ev('EvSend00001', '5'), ev('EvSend00002', '6')] })), '--kind', 'events']);
    expect(imp.code, imp.stdout).toBe(0);
    const p1 = await send(path.join(dir, 'p1.zip'));
    expect(p1.counts).toMatchObject({ values: 0, events: 2 });
    const z1 = zip(path.join(dir, 'p1.zip'));
    expect(Object.keys(z1)).toEqual(['dataValues.json', 'events.json', 'ferry-manifest.json']);
    const m1 = JSON.parse(text(z1['ferry-manifest.json'])) as TransferManifest;
    expect(m1.entries[1]).toEqual({ name: 'events.json', content: 'events', size: z1['events.json']!.length, sha256: crypto.createHash('sha256').update(z1['events.json']!).digest('hex') });
    const events1 = (JSON.parse(text(z1['events.json'])) as { events: { event: string; dataValues: { value: string }[] }[] }).events;
    expect(events1.map((e) => [e.event, e.dataValues[0]?.value])).toEqual([['EvSend00001', '5'], ['EvSend00002', '6']]);

    // one event deleted after sending: the next package carries only it, deleted
    const del = await ferryCli(['--db', dbPath, 'import', file('del.json', JSON.stringify({ events: [{ event: 'EvSend00002' }] })), '--kind', 'events', '--strategy', 'DELETE']);
    expect(del.code, del.stdout).toBe(0);
    const p2 = await send(path.join(dir, 'p2.zip'));
    expect(p2.sequence).toBe(2);
    expect(p2.counts).toMatchObject({ values: 0, events: 1 });
    const events2 = (JSON.parse(text(zip(path.join(dir, 'p2.zip'))['events.json'])) as { events: { event: string; deleted?: boolean }[] }).events;
    expect(events2).toEqual([expect.objectContaining({ event: 'EvSend00002', deleted: true })]);
  });

  it('--metadata changed carries only the objects an import changed since the last package', async () => {
    await send(path.join(dir, 'p1.zip'));
    const meta = file('de.json', JSON.stringify({ dataElements: [{ id: 'DeWeight001', name: 'Weight (kg)', shortName: 'Weight', valueType: 'NUMBER', domainType: 'TRACKER', aggregationType: 'SUM' }] }));
    const imp = await ferryCli(['--db', dbPath, 'import', meta, '--kind', 'metadata']);
    expect(imp.code, imp.stdout).toBe(0);
    const p2 = await send(path.join(dir, 'p2.zip'), '--metadata', 'changed');
    expect(p2.counts.metadataObjects).toBe(1);
    const m = JSON.parse(text(zip(path.join(dir, 'p2.zip'))['metadata.json'])) as Record<string, { id: string; name: string }[]>;
    expect(m.dataElements).toEqual([expect.objectContaining({ id: 'DeWeight001', name: 'Weight (kg)' })]);
    const none = await send(path.join(dir, 'p3.zip'), '--metadata', 'changed');
    expect(none.counts.metadataObjects).toBe(0);
    expect(Object.keys(zip(path.join(dir, 'p3.zip')))).toEqual(['dataValues.json', 'ferry-manifest.json']);
  });
});
