/**
 * The XML reader on real DHIS2 payloads: every JSON payload of the metadata conformance cases is rendered as DXF2 XML
 * (Ferry's XML metadata writer, the Jackson XML form of spec §2.7) and imported; the outcome (status, stats, error
 * codes) and the stored objects, JSON types included (0 stays 0, not "0"), must equal the JSON import's. Skipped
 * with a message when ../shared/corpus is absent.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src-main/db/open.ts';
import { MetadataEngine, readMetadataFile } from '../../src-main/importers/metadata/index.ts';
import { readDxf2JsonMetadata } from '../../src-main/formats/dxf2-json/metadata-reader.ts';
import { createXmlMetadataWriter } from '../../src-main/formats/dxf2-xml/metadata-writer.ts';
import { openInput } from '../../src-main/io/input.ts';
import type { ImportReport } from '../../src-shared/dhis2/import-summary.ts';
import { caseOptions, corpusExists, corpusPath, loadCases, loadFixture, tempDir } from '../corpus/harness.ts';
import { parseMetadataOptions } from '../../src-main/importers/metadata/index.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function toXml(jsonFile: string): Promise<string> {
  const input = await openInput(jsonFile);
  const byType = new Map<string, Record<string, unknown>[]>();
  for await (const r of readDxf2JsonMetadata(input.chunks(), input.name, { keys: [] })) {
    let l = byType.get(r.type);
    if (!l) byType.set(r.type, (l = []));
    l.push(r.object);
  }
  const w = createXmlMetadataWriter();
  let xml = w.begin({ id: 'x', rev: 'r', version: '2.38', date: '2024-01-01T00:00:00.000' });
  for (const [type, list] of byType) {
    xml += w.beginType(type);
    for (const o of list) xml += w.object(o);
    xml += w.endType(type);
  }
  xml += w.end();
  const out = path.join(dir, path.basename(jsonFile).replace(/\.json$/, '.xml'));
  fs.writeFileSync(out, xml);
  return out;
}

const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`
      : JSON.stringify(v);

/** Stored objects, with the differences the XML form cannot carry normalised away (empty objects); JSON types must match. */
function stored(db: ReturnType<typeof openDb>, sourceText: string): Record<string, unknown> {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const n = norm(x);
        if (k === 'created' || k === 'lastUpdated') continue; // set at import time
        if (n === undefined || n === null || (typeof n === 'object' && !Array.isArray(n) && Object.keys(n as object).length === 0)) continue;
        if (Array.isArray(n) && n.length === 0) continue;
        o[k] = n;
      }
      return o;
    }
    return v;
  };
  const rows = db.prepare(`SELECT type, uid, json FROM metadata_object ORDER BY type, uid`).all() as { type: string; uid: string; json: string }[];
  // objects imported without an id get a random uid: key them by their sorted content instead
  const out: Record<string, unknown> = {};
  const generated: string[] = [];
  for (const r of rows) {
    const o = norm(JSON.parse(r.json)) as Record<string, unknown>;
    if (sourceText.includes(`"${r.uid}"`)) out[`${r.type}/${r.uid}`] = o;
    else {
      delete o.id;
      generated.push(`${r.type} ${canonical(o)}`);
    }
  }
  out['~generated'] = generated.sort();
  return out;
}

async function outcome(
  setup: string[],
  file: string,
  options: Record<string, unknown>,
  jsonSource: string,
): Promise<{ status: string; stats: unknown; codes: string[]; objects: Record<string, unknown> }> {
  const db = openDb(':memory:');
  try {
    for (const s of setup) await loadFixture(db, s);
    const o = parseMetadataOptions(options);
    const engine = new MetadataEngine(db, { ...o, now: '2024-01-01T00:00:00.000Z', sourceFileId: null });
    await readMetadataFile({ path: file, name: path.basename(file) }, engine, undefined);
    const r: ImportReport = db.transaction(() => engine.run().report)();
    const codes = r.typeReports.flatMap((t) => t.objectReports.flatMap((x) => x.errorReports.map((e) => e.errorCode))).sort();
    const sourceText = [...setup.map((f) => corpusPath(f)), jsonSource].map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    return { status: r.status, stats: r.stats, codes, objects: stored(db, sourceText) };
  } finally {
    db.close();
  }
}

const cases = loadCases('metadata').filter((c) => !c.phase && c.applicable !== false && !c.before?.length && c.file.endsWith('.json'));

describe.skipIf(corpusExists)('metadata XML twins without the corpus', () => {
  it.skip('skipped: ../shared/corpus was not found next to the repository', () => undefined);
});

describe.skipIf(!corpusExists)('metadata XML twins of the conformance payloads', () => {
  for (const c of cases) {
    it(`${c.id}: the XML rendering imports exactly like the JSON`, async () => {
      const options = caseOptions(c.options);
      const src = corpusPath(c.file);
      const json = await outcome(c.setup ?? [], src, options, src);
      const xml = await outcome(c.setup ?? [], await toXml(src), options, src);
      expect(xml).toEqual(json);
    });
  }
});
