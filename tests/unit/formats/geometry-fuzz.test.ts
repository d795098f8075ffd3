/**
 * Seeded mutations of real GML and GeoJSON files (the corpus's, or generated ones when it is absent): truncation,
 * byte flips, deleted and repeated runs, deep nesting, in random chunks. Every input must end in features or a
 * BAD_FILE / TOO_LARGE AppError naming the file — never another error — and quickly.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { readGmlFeatures } from '../../../src-main/formats/gml/reader.ts';
import { readGeoJsonFeatures } from '../../../src-main/formats/geojson/reader.ts';
import { AppError } from '../../../src-shared/errors.ts';
import { chunker, rng, split } from '../../helpers/seeded.ts';
import { corpusDir, hasCorpus } from '../../helpers/tmp.ts';

const GML_SEED = hasCorpus
  ? fs.readFileSync(path.join(corpusDir, 'gml/testGmlPayload.gml'))
  : Buffer.from(`<ogr:FeatureCollection xmlns:ogr="o" xmlns:gml="http://www.opengis.net/gml"><gml:featureMember><ogr:f><ogr:g><gml:Point><gml:coordinates>1,2</gml:coordinates></gml:Point></ogr:g><ogr:name>A</ogr:name></ogr:f></gml:featureMember></ogr:FeatureCollection>`);
const GEOJSON_SEED = hasCorpus
  ? fs.readFileSync(path.join(corpusDir, 'gml/sierra-leone-districts.geojson'))
  : Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', id: 'a', geometry: { type: 'Point', coordinates: [1, 2] } }] }));

function mutate(b: Buffer, r: () => number): Buffer {
  const at = Math.floor(r() * b.length);
  switch (Math.floor(r() * 6)) {
    case 0:
      return b.subarray(0, at);
    case 1: {
      const c = Buffer.from(b);
      for (let k = 0; k < 1 + r() * 8; k++) c[Math.floor(r() * c.length)] = Math.floor(r() * 256);
      return c;
    }
    case 2:
      return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + Math.floor(r() * 200)))]);
    case 3: {
      const run = b.subarray(at, at + 1 + Math.floor(r() * 100));
      return Buffer.concat([b.subarray(0, at), ...Array.from({ length: 2 + Math.floor(r() * 50) }, () => run), b.subarray(at)]);
    }
    case 4: {
      const open = b[0] === 0x3c ? '<a>' : '[';
      const close = b[0] === 0x3c ? '</a>' : ']';
      const n = 300 + Math.floor(r() * 2000);
      return Buffer.concat([b.subarray(0, at), Buffer.from(open.repeat(n) + close.repeat(n)), b.subarray(at)]);
    }
    default:
      return Buffer.concat([b.subarray(0, at), Buffer.from('\u0000\uFFFD"}]>&<!'), b.subarray(at)]);
  }
}

async function outcome(kind: 'gml' | 'geojson', bytes: Buffer, r: () => number): Promise<string> {
  const chunks = split(bytes, chunker(r));
  try {
    let n = 0;
    const it = kind === 'gml' ? readGmlFeatures(chunks, { fileName: 'f' }) : readGeoJsonFeatures(chunks, { fileName: 'f' });
    for await (const b of it) n += b.length;
    return `features ${n}`;
  } catch (e) {
    if (!(e instanceof AppError) || !['BAD_FILE', 'TOO_LARGE'].includes(e.code) || !e.message.startsWith('f')) throw e;
    return e.code;
  }
}

describe('geometry readers under seeded mutations', () => {
  for (const [kind, seed] of [['gml', GML_SEED], ['geojson', GEOJSON_SEED]] as const) {
    it(`${kind}: 300 mutated inputs end in features or BAD_FILE naming the file`, async () => {
      const r = rng(kind === 'gml' ? 1601 : 1602);
      const seen = new Set<string>();
      for (let i = 0; i < 300; i++) {
        const input = mutate(seed, r);
        const t0 = performance.now();
        const o = await outcome(kind, input, r);
        seen.add(o.startsWith('features') ? 'features' : o);
        expect(performance.now() - t0, `input ${i}`).toBeLessThan(2000);
      }
      expect(seen.has('BAD_FILE')).toBe(true);
      expect(seen.has('features')).toBe(true);
    }, 120_000);
  }
});
