/**
 * Issue 15 through the CLI's text output: a five-file job with one broken file (the headline counting files, the
 * broken file's row saying why), the engine's breakdown of the counts, overlapping files as warnings in a dry run,
 * the refusal naming --overlap, and --overlap first importing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src-main/db/open.ts';
import type { ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { CSV_HEADER, SMALL_METADATA, loadMetadata, writeFile } from './importers/data-values/helpers.ts';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = tmpDir('ferry-mf-cli-');
  dbPath = path.join(dir, 'site.sqlite');
  const db = openDb(dbPath);
  loadMetadata(db, SMALL_METADATA);
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const csv = (name: string, ...rows: string[]): string => writeFile(dir, name, [CSV_HEADER, ...rows].join('\n') + '\n');

describe('ferry import with several files', () => {
  it('one broken file of five: the headline counts the files, the broken file says why, the others are kept', async () => {
    const files = [1, 2, 4, 5].map((m) => csv(`clinic-${m}.csv`, `DeInteger01,20240${m},OuClinicA01,,,${m},,,,,`));
    const broken = writeFile(dir, 'clinic-3.xml', '<?xml version="1.0"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">\n  <dataValue dataElement="DeInteger01"');
    files.splice(2, 0, broken);
    const alone = await ferryCli(['--db', dbPath, 'import', broken]);
    expect(alone.code).toBe(2);
    const why = alone.stderr.split('\n')[1]!.trim();
    expect(why).toMatch(/clinic-3\.xml/);

    const dry = await ferryCli(['--db', dbPath, 'import', ...files, '--dry-run']);
    expect(dry.stdout).toContain('\n  1 of 5 files could not be imported; 4 would be imported\n');
    const r = await ferryCli(['--db', dbPath, 'import', ...files]);
    expect(r.code).toBe(1); // DHIS2's status for the job stays ERROR
    const out = r.stdout + r.stderr;
    expect(out).toContain('\n  1 of 5 files could not be imported; 4 were imported\n');
    expect(out).toMatch(/\n {2}clinic-3\.xml: ERROR — imported 0, updated 0, deleted 0, ignored 0 \(sha256 [0-9a-f]{12}…\)\n/);
    expect(out).toContain(`\n    The import process failed: ${why}\n`);
    expect(out).toContain('  clinic-4.csv: SUCCESS — imported 1');
    const json = await ferryCli(['--db', dbPath, 'import', ...files, '--json']);
    const s = json.json<ImportSummary>();
    expect(s.status).toBe('ERROR');
    expect(s.filesOutcome).toEqual({ files: 5, failed: 1, imported: 4, partial: true });
    expect(s.importCount).toEqual({ imported: 0, updated: 0, ignored: 4, deleted: 0 });
    expect(s.ignoredBreakdown).toEqual({ unchanged: 4, refused: 0, zeroNotStored: 0, rows: 4 });
  });

  it('explains the counts in words', async () => {
    const f = csv('month.csv', 'DeInteger01,202401,OuClinicA01,,,7,,,,,', 'DeNumber001,202401,OuClinicA01,CocMale0001,,0,,,,,', 'DeNope00001,202401,OuClinicA01,,,1,,,,,');
    const r = await ferryCli(['--db', dbPath, 'import', f]);
    expect(r.stdout).toContain(
      '\n  3 rows in all; of the 1 ignored: 0 unchanged (already stored as in the file), 1 refused (conflicts, or the strategy); ' +
        '1 zero value not stored (zero is not significant for its data element; DHIS2 does not count them)\n',
    );
  });

  it('overlapping files: warnings in a dry run, a refusal naming --overlap, --overlap first imports', async () => {
    const a = csv('a.csv', 'DeInteger01,202401,OuClinicA01,,,10,,,,,', 'DeInteger01,202402,OuClinicA01,,,11,,,,,');
    const b = csv('b.csv', 'DeInteger01,202401,OuClinicA01,,,99,,,,,', 'DeInteger01,202402,OuClinicA01,,,11,,,,,');
    const dry = await ferryCli(['--db', dbPath, 'import', a, b, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('  warning: a.csv and b.csv carry the same 2 value keys, 1 with different values\n');
    expect(dry.stdout).toContain('  warning: an import will stop before writing anything: give --overlap first');
    // with --json the JSON document has `overlaps`, and the warning goes to stderr
    const json = await ferryCli(['--db', dbPath, 'import', a, b, '--dry-run', '--json']);
    expect(json.json<ImportSummary>().overlaps).toMatchObject({ policy: 'stop', keys: 2, differing: 1 });
    expect(json.stderr).toContain('ferry: warning: a.csv and b.csv carry the same 2 value keys, 1 with different values\n');
    const stop = await ferryCli(['--db', dbPath, 'import', a, b]);
    expect(stop.code).toBe(2);
    expect(stop.stderr).toContain('a.csv and b.csv carry the same 2 value keys');
    expect(stop.stderr).toContain('give --overlap first (keep the first file\'s values) or --overlap newer');
    const first = await ferryCli(['--db', dbPath, 'import', a, b, '--overlap', 'first']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("  kept the first file's values (files imported in this order: b.csv, a.csv)");
    const db = openDb(dbPath);
    try {
      expect(db.prepare(`SELECT value FROM data_value_decoded ORDER BY pe`).all()).toEqual([{ value: '10' }, { value: '11' }]);
    } finally {
      db.close();
    }
    const help = await ferryCli(['--help']);
    expect(help.stdout + help.stderr).toContain('--overlap stop|first|newer|last');
  });
});
