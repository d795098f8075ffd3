/**
 * Metadata import bench: a generated payload of 100,000 objects (50,000-unit org hierarchy, 5,000 data elements, a
 * category model, data sets …) imported into an empty database through openFerry in worker mode, in a child process.
 * Goal: under 15 s and under 500 MB peak RSS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild, type BenchResult } from './measure.ts';
import { writeMetadataPayload } from './metadata-payload.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function benchMetadata(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-md-'));
  try {
    const payload = path.join(dir, 'metadata-100k.json');
    await writeMetadataPayload(payload, 100_000);
    const mb = (fs.statSync(payload).size / 2 ** 20).toFixed(1);
    const db = path.join(dir, 'ferry.sqlite');
    const r = runChild(path.join(here, 'metadata-child.ts'), [payload, db]);
    if (r.status !== 'OK' || r.created !== 100_000) throw new Error(`metadata bench import did not create every object: ${JSON.stringify(r)}`);
    // the same payload again: every object matched and updated (a national metadata update re-imported at a site)
    const u = runChild(path.join(here, 'metadata-child.ts'), [payload, db]);
    if (u.status !== 'OK' || u.updated !== 100_000) throw new Error(`metadata bench re-import did not update every object: ${JSON.stringify(u)}`);
    return [
      {
        section: 'metadata import',
        name: `DXF2 JSON ${mb} MB, empty database, worker`,
        count: r.count,
        unit: 'objects',
        seconds: r.seconds,
        peakRssMb: r.peakRssMb,
        goalSeconds: 15,
        goalRssMb: 500,
        notes: '50,000 org units (5 levels), 5,000 data elements, category model, 200 data sets, 2,000 indicators, 100 OU groups, option sets',
      },
      {
        section: 'metadata import',
        name: `same payload again (all updates), worker`,
        count: u.count,
        unit: 'objects',
        seconds: u.seconds,
        peakRssMb: u.peakRssMb,
        goalSeconds: 15,
        goalRssMb: 500,
        notes: 'every object matched by uid and replaced; references rewritten',
      },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await benchMetadata()) console.log(JSON.stringify(r));
}
