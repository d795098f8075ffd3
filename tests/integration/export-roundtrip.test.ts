/**
 * Round trips: export from a database in every format and compression, import the file into an empty database with
 * Ferry's importers (import:start, as the CLI and the screens do), then compare the two databases object by object
 * and value by value. Also: export with CODE / NAME id schemes and import with the same scheme — the same values land.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { seedData, seedMetadata } from '../unit/exporters/seed.ts';
import { runExport, summaryOf } from '../unit/exporters/read-export.ts';

let dir: string;
let src: Ferry;
const opened: Ferry[] = [];

beforeAll(() => {
  dir = tmpDir('ferry-roundtrip-');
  src = openFerry({ dbPath: path.join(dir, 'source.sqlite'), mode: 'inline' });
  seedMetadata(src.db);
  seedData(src.db);
});
afterAll(async () => {
  for (const f of opened) await f.close();
  await src.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function emptyDb(): Ferry {
  const f = openFerry({ dbPath: path.join(dir, `target-${n++}.sqlite`), mode: 'inline' });
  opened.push(f);
  return f;
}

async function importFile(f: Ferry, file: string, kind: 'metadata' | 'data', options: Record<string, unknown> = {}): Promise<JobRecord> {
  const r = await invoke(f.handlers, 'import:start', { files: [file], kind, options });
  if (!r.ok) throw new Error(r.error.message);
  const job = await f.jobs.wait((r.value as { jobId: number }).jobId);
  if (job.error) throw new Error(`import failed: ${job.error.message}`);
  return job;
}

function objects(f: Ferry): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const r of f.db.prepare(`SELECT type, uid, json FROM metadata_object`).all() as { type: string; uid: string; json: string }[])
    m.set(`${r.type}/${r.uid}`, JSON.parse(r.json));
  return m;
}

interface Val {
  value: string | null;
  storedBy: string | null;
  comment: string | null;
  followup: number;
  deleted: number;
}
function values(f: Ferry, includeDeleted = true): Map<string, Val> {
  const rows = f.db
    .prepare(
      `SELECT de.uid AS de, p.iso AS pe, ou.uid AS ou, coc.uid AS coc, aoc.uid AS aoc, dv.value, dv.stored_by AS storedBy, dv.comment, dv.followup, dv.deleted
       FROM data_value_decoded dv JOIN metadata_object de ON de.id = dv.de JOIN period p ON p.id = dv.pe JOIN metadata_object ou ON ou.id = dv.ou
       JOIN metadata_object coc ON coc.id = dv.coc JOIN metadata_object aoc ON aoc.id = dv.aoc ${includeDeleted ? '' : 'WHERE dv.deleted = 0'}`,
    )
    .all() as ({ de: string; pe: string; ou: string; coc: string; aoc: string } & Val)[];
  return new Map(rows.map((r) => [`${r.de}|${r.pe}|${r.ou}|${r.coc}|${r.aoc}`, { value: r.value, storedBy: r.storedBy, comment: r.comment, followup: r.followup, deleted: r.deleted }]));
}

const suffix = (c: string): string => (c === 'zip' ? '.zip' : c === 'gzip' ? '.gz' : '');
let metadataFile = '';

describe('metadata round trip', () => {
  for (const format of ['json', 'xml'] as const)
    for (const compression of ['none', 'zip', 'gzip'] as const)
      it(`${format} / ${compression}: every object lands unchanged in an empty database`, async () => {
        const out = path.join(dir, `metadata-${format}${suffix(compression)}`);
        const s = summaryOf(await runExport(src, { kind: 'metadata', out: out.replace(`metadata-${format}`, `metadata.${format}`), format, compression }));
        const file = out.replace(`metadata-${format}`, `metadata.${format}`);
        const target = emptyDb();
        const job = await importFile(target, file, 'metadata');
        expect(job.resultStatus).toBe('OK');
        const a = objects(src);
        const b = objects(target);
        expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
        // the importer stamps lastUpdated with the import time (as DHIS2 does); everything else is the same, JSON types
        // included (the XML reader types scalars by the registry's scalar shapes). XML leaves an empty object out
        // (geometry travels as GeoJSON text and is parsed back)
        const strip = (o: unknown): unknown => {
          const x: Record<string, unknown> = { ...(o as Record<string, unknown>), lastUpdated: undefined };
          if (format === 'json') return x;
          return JSON.parse(
            JSON.stringify(x, (_k, v: unknown) =>
              v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 ? undefined : v,
            ),
          );
        };
        for (const [k, o] of a) expect(strip(b.get(k)), k).toEqual(strip(o));
        expect(Object.values(s.counts).reduce((x, y) => x + y, 0)).toBe(a.size);
        if (format === 'json' && compression === 'none') metadataFile = file;
      });
});

describe('dependency export round trip', () => {
  it('a data set with its dependencies imports into a site that has the org units (as in DHIS2, the data set\'s org unit references are not part of the walk)', async () => {
    const ous = path.join(dir, 'ous.json');
    summaryOf(await runExport(src, { kind: 'metadata', out: ous, format: 'json', options: { types: ['attributes', 'organisationUnits'] } }));
    for (const format of ['json', 'xml'] as const) {
      const file = path.join(dir, `ds-deps.${format}.zip`);
      const s = summaryOf(await runExport(src, { kind: 'dependencies', out: file, format, compression: 'zip', options: { objectType: 'dataSets', objectId: 'DataSet0001', skipSharing: true } }));
      const target = emptyDb();
      await importFile(target, ous, 'metadata');
      const job = await importFile(target, file, 'metadata');
      expect(job.resultStatus).toBe('OK');
      const b = objects(target);
      // every exported object landed (the system defaults and the attribute were there already)
      const listed = path.join(dir, `ds-deps-list.json`);
      summaryOf(await runExport(src, { kind: 'dependencies', out: listed, format: 'json', options: { objectType: 'dataSets', objectId: 'DataSet0001' } }));
      const doc = JSON.parse(fs.readFileSync(listed, 'utf8')) as Record<string, { id: string }[]>;
      let n = 0;
      for (const [type, list] of Object.entries(doc)) {
        if (type === 'system') continue;
        for (const o of list) {
          expect(b.has(`${type}/${o.id}`), `${type}/${o.id}`).toBe(true);
          n++;
        }
      }
      expect(n).toBe(Object.values(s.counts).reduce((x, c) => x + c, 0));
      const ds = b.get('dataSets/DataSet0001') as Record<string, unknown>;
      expect(ds.sharing).toBeUndefined();
      expect((ds.dataSetElements as unknown[]).length).toBe(2);
      expect(b.has('sections/Section0001')).toBe(true);
      expect(b.has('dataSets/DataSet0002')).toBe(false);
    }
  });
});

async function targetWithMetadata(): Promise<Ferry> {
  const t = emptyDb();
  if (!metadataFile) {
    metadataFile = path.join(dir, 'meta-for-data.json');
    summaryOf(await runExport(src, { kind: 'metadata', out: metadataFile, format: 'json' }));
  }
  await importFile(t, metadataFile, 'metadata');
  return t;
}

describe('data round trip', () => {
  for (const format of ['json', 'xml', 'csv'] as const)
    for (const compression of ['none', 'zip', 'gzip'] as const)
      it(`${format} / ${compression}: every value (deleted ones included) lands with its value, storedBy, comment and follow-up`, async () => {
        const out = path.join(dir, `data-${format}-${compression}.${format}${suffix(compression)}`);
        summaryOf(await runExport(src, { kind: 'data', out, format, compression, options: { includeDeleted: true } }));
        const target = await targetWithMetadata();
        await importFile(target, out, 'data');
        const a = values(src, true);
        const b = values(target, true);
        expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
        for (const [k, v] of a) {
          const w = b.get(k)!;
          expect(w.value, k).toBe(v.value);
          expect(w.comment ?? null, k).toBe(format === 'csv' ? v.comment || null : v.comment);
          expect(w.followup, k).toBe(v.followup);
          expect(w.deleted, k).toBe(v.deleted);
          if (v.storedBy != null) expect(w.storedBy, k).toBe(v.storedBy);
        }
      });

  it('adx / zip: every value of a data set lands with its comment (ADX carries no storedBy)', async () => {
    const out = path.join(dir, 'data.adx.xml.zip');
    summaryOf(await runExport(src, { kind: 'data', out, format: 'adx', compression: 'zip' }));
    const target = await targetWithMetadata();
    await importFile(target, out, 'data', { idScheme: 'CODE' });
    const inDataSets = new Set(['DeNum000001', 'DeText00001']);
    const a = [...values(src, false)].filter(([k]) => inDataSets.has(k.split('|')[0]!));
    const b = values(target);
    expect([...b.keys()].sort()).toEqual(a.map(([k]) => k).sort());
    for (const [k, v] of a) {
      expect(b.get(k)!.value, k).toBe(v.value);
      expect(b.get(k)!.comment, k).toBe(v.comment);
    }
    expect(a.filter(([, v]) => v.comment != null).length).toBeGreaterThan(0);
  });

  for (const scheme of ['CODE', 'NAME'] as const)
    it(`${scheme} id scheme: exported and imported with the same scheme, the same values land`, async () => {
      const out = path.join(dir, `data-${scheme}.json`);
      summaryOf(await runExport(src, { kind: 'data', out, format: 'json', options: { idScheme: scheme } }));
      const text = fs.readFileSync(out, 'utf8');
      expect(text).not.toContain('DeNum000001');
      const target = await targetWithMetadata();
      await importFile(target, out, 'data', { idScheme: scheme });
      const a = values(src, false);
      const b = values(target);
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [k, v] of a) expect(b.get(k)!.value, k).toBe(v.value);
    });
});
