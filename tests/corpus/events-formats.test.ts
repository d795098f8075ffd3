/**
 * Event format conformance: the `tracker` / `events` cases of ../shared/corpus/cases.json with phase "parse" (the file
 * read by Ferry's event readers gives DHIS2's parsed events) and "roundtrip" (read, written again by Ferry's writer,
 * compressed as the exporter compresses: exactly DHIS2's bytes inside the zip entry and the gzip stream).
 * Expected values: null means the field is absent; a number for dataValues/relationships/notes is the list's size;
 * "a.b" looks into an object.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { corpusExists, corpusPath, loadCases, tempDir } from './harness.ts';
import { eventsReaderFor, eventsWriterFor } from '../../src-main/formats/registry.ts';
import { openOutput } from '../../src-main/io/output.ts';
import type { TrackerEvent, TrackerRecord } from '../../src-shared/dhis2/tracker.ts';

const cases = loadCases().filter((c) => (c.kind === 'tracker' || c.kind === 'events') && (c.phase === 'parse' || c.phase === 'roundtrip'));
if (!corpusExists) console.warn('[corpus] event format cases skipped: no corpus');

const formatOf = (file: string): string => (file.endsWith('.csv') ? 'csv' : file.endsWith('.xml') ? 'xml' : 'json');

async function readCase(file: string, skipFirst: boolean | undefined): Promise<TrackerRecord[]> {
  const out: TrackerRecord[] = [];
  const reader = eventsReaderFor(formatOf(file));
  for await (const r of reader(fs.createReadStream(corpusPath(file)), { fileName: path.basename(file), skipFirst })) out.push(r);
  return out;
}

function lookup(o: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
}

describe.skipIf(!corpusExists)('event formats (corpus)', () => {
  it('has the parse and roundtrip cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(3);
  });
  for (const c of cases) {
    const skipFirst = c.options?.skipFirst as boolean | undefined;
    if (c.phase === 'parse') {
      it(`${c.id}: ${c.file} parses as DHIS2 parses it`, async () => {
        const records = await readCase(c.file, skipFirst);
        const expected = (c.expect.parsed as { events: Record<string, unknown>[] }).events;
        expect(records.map((r) => r.type)).toEqual(expected.map(() => 'EVENT'));
        expected.forEach((want, i) => {
          const got = records[i]!.value as TrackerEvent;
          for (const [k, v] of Object.entries(want)) {
            const actual = lookup(got, k);
            if (v === null) expect(actual, k).toBeUndefined();
            else if (typeof v === 'number' && Array.isArray(actual ?? [])) expect(((actual ?? []) as unknown[]).length, k).toBe(v);
            else if (Array.isArray(v)) {
              expect((actual as unknown[]).length, k).toBe(v.length);
              v.forEach((x, j) => expect((actual as unknown[])[j], `${k}[${j}]`).toMatchObject(x as object));
            } else expect(actual, k).toEqual(v);
          }
        });
      });
    } else {
      it(`${c.id}: ${c.file} read and written again gives DHIS2's bytes, zipped and gzipped`, async () => {
        const records = await readCase(c.file, skipFirst);
        const wo = (c as unknown as { writeOptions: { header?: boolean; compression?: string[] } }).writeOptions;
        const w = eventsWriterFor(formatOf(c.file)).create({ what: 'EVENT', header: wo.header });
        const text = w.start() + records.map((r) => w.write(r)).join('') + w.end();
        const want = c.expect.output as string;
        expect(text).toBe(want);
        const dir = tempDir();
        for (const comp of wo.compression ?? []) {
          const file = path.join(dir, `out.${comp}`);
          const sink = openOutput(file, comp as 'zip' | 'gzip', (c.expect.zipEntryName as string | undefined) ?? 'events.csv');
          await sink.write(text);
          await sink.close();
          const bytes = fs.readFileSync(file);
          if (comp === 'gzip') expect(zlib.gunzipSync(bytes).toString('utf8')).toBe(want);
          else {
            const entries = unzipSync(new Uint8Array(bytes));
            expect(Object.keys(entries)).toEqual([c.expect.zipEntryName]);
            expect(Buffer.from(entries[c.expect.zipEntryName as string]!).toString('utf8')).toBe(want);
          }
        }
        fs.rmSync(dir, { recursive: true, force: true });
      });
    }
  }
});
