/**
 * Geometry files DHIS2 cannot read, answered as DHIS2 2.42.0 answers them, through import:start (a job with a result,
 * not a refused request), with nothing written — not even what was read of the file before the failure:
 * - GeoJSON (DefaultGeoJsonService): JSON with no list of features → conflict E7701 "Input is not a valid GeoJSON
 *   document: No list of features found"; the input cannot be read (a damaged gzip) → E7700 "Error reading JSON input:
 *   {0}". Both are conflicts of the whole import (no index), "Import failed.". Malformed JSON stays a refusal (DHIS2's
 *   JSON parser throws, and the request is answered 400 Bad Request).
 * - GML (DefaultGmlImportService): a document the parser fails on → an ImportReport ERROR whose one error report is
 *   E7010 "Failed to validate job runtime: `GML import failed: <parser message> On line N.`" under the service's class.
 *   Ferry's own refusals (a DOCTYPE, no feature at all) stay refusals.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { GeometryImportReport, GeometryImportSummary } from '../../src-shared/dhis2/geometry.ts';
import { formatJob } from '../../src-main/cli/format.ts';
import { GmlReport } from '../../src-main/importers/geometry/gml-report.ts';
import { tmpDir } from '../helpers/tmp.ts';

let dir: string;
let ferry: Ferry;

beforeEach(() => {
  dir = tmpDir('ferry-geometry-conflicts-');
  ferry = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
  const repo = new MetadataRepo(ferry.db);
  ferry.db.transaction(() => {
    repo.upsert('organisationUnits', { id: 'Country0001', name: 'Sierra Leone', shortName: 'SL', openingDate: '1970-01-01' });
    repo.upsert('organisationUnits', { id: 'BoDistrict1', name: 'Bo', code: 'BO', shortName: 'Bo', openingDate: '1970-01-01', parent: { id: 'Country0001' } });
    repo.upsert('organisationUnits', { id: 'Kenema00001', name: 'Kenema', code: 'KEN', shortName: 'Kenema', openingDate: '1970-01-01', parent: { id: 'Country0001' } });
    repo.rebuildOrgUnitPaths();
  })();
});
afterEach(async () => {
  await ferry.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function importFile(name: string, content: string | Buffer, options: Record<string, unknown> = {}, format?: string): Promise<JobRecord> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  const r = await invoke(ferry.handlers, 'import:start', { files: [file], kind: 'geometry', options, ...(format ? { format } : {}) });
  if (!r.ok) throw new Error(r.error.message);
  return ferry.jobs.wait((r.value as { jobId: number }).jobId);
}

/** what the import may write: org unit geometries, the metadata objects, the change journal */
const digest = (): string =>
  JSON.stringify([
    ferry.db.prepare(`SELECT id, geometry FROM org_unit ORDER BY id`).all(),
    ferry.db.prepare(`SELECT * FROM metadata_object ORDER BY id`).all(),
  ]);

const point = (id: string, x: number) => ({ type: 'Feature', id, geometry: { type: 'Point', coordinates: [x, 8] } });
/** features enough that the first batches are read (and written) before the end of the file */
const manyFeatures = (n: number) => Array.from({ length: n }, (_, i) => point(i % 2 ? 'BoDistrict1' : 'Kenema00001', -11 - i / 1e5));

describe('GeoJSON: E7701 and E7700 are conflicts of the import, nothing written', () => {
  it('E7701: a JSON object without a list of features', async () => {
    const before = digest();
    const j = await importFile('typo.geojson', JSON.stringify({ type: 'FeatureCollection', feature: [point('BoDistrict1', -11.5)] }), {}, 'geojson');
    expect(j.error).toBeNull();
    expect(j.resultStatus).toBe('ERROR');
    const s = j.summary as GeometryImportSummary;
    expect(s).toMatchObject({
      responseType: 'ImportSummary',
      status: 'ERROR',
      description: 'Import failed.',
      importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 },
      totalConflictOccurrenceCount: 1,
    });
    expect(s.conflicts).toEqual([
      {
        object: 'typo.geojson',
        objects: {},
        value: 'Input is not a valid GeoJSON document: No list of features found',
        errorCode: 'E7701',
        property: '',
        detail: 'typo.geojson: no list of features found (a GeoJSON FeatureCollection has a "features" array)',
      },
    ]);
    expect(s.conflicts[0]!.indexes).toBeUndefined();
    expect(digest()).toBe(before);
    // the CLI's text output: DHIS2's message, then Ferry's words
    expect(formatJob(j)).toContain('  1 conflict:\n    E7701 Input is not a valid GeoJSON document: No list of features found — typo.geojson: no list of features found');
  });

  it('E7701: a JSON array (no object at the root), with the line Ferry found it on; a dry run carries no preview', async () => {
    const before = digest();
    const j = await importFile('list.json', `\n\n[${JSON.stringify(point('BoDistrict1', -11.5))}]`, { dryRun: true }, 'geojson');
    const s = j.summary as GeometryImportSummary;
    expect([s.status, s.dryRun, s.preview]).toEqual(['ERROR', true, undefined]);
    expect(s.conflicts.map((c) => [c.errorCode, c.value, c.lines])).toEqual([['E7701', 'Input is not a valid GeoJSON document: No list of features found', [3]]]);
    expect(digest()).toBe(before);
  });

  it('E7700: a gzip file damaged after its first features: what was read is not kept, the report is that one conflict', async () => {
    const before = digest();
    const gz = gzipSync(JSON.stringify({ type: 'FeatureCollection', features: manyFeatures(20_000) }));
    const j = await importFile('districts.geojson.gz', gz.subarray(0, gz.length - 200), {}, 'geojson');
    expect(j.error).toBeNull();
    const s = j.summary as GeometryImportSummary;
    expect(s.conflicts.map((c) => [c.errorCode, c.object, c.value])).toEqual([
      ['E7700', 'districts.geojson.gz', 'Error reading JSON input: the gzip file is truncated or damaged (unexpected end of file)'],
    ]);
    expect([s.status, s.description, s.importCount, s.totalConflictOccurrenceCount]).toEqual(['ERROR', 'Import failed.', { imported: 0, updated: 0, ignored: 0, deleted: 0 }, 1]);
    expect(j.files[0]!.status).toBe('ERROR');
    expect(digest()).toBe(before);
    // (the same features whole are imported: the failure above came from the damage)
    const ok = await importFile('whole.geojson.gz', gz, {}, 'geojson');
    expect((ok.summary as GeometryImportSummary).importCount.imported).toBe(2);
  });

  it('malformed JSON stays a refusal (DHIS2: 400 Bad Request from its JSON parser), nothing written', async () => {
    const before = digest();
    const j = await importFile('broken.geojson', `{"type":"FeatureCollection","features":[${JSON.stringify(point('BoDistrict1', -11.5))},{"id": oops}]}`, {}, 'geojson');
    expect(j.error).toMatchObject({ code: 'BAD_FILE' });
    expect(j.error!.message).toMatch(/^broken\.geojson, line 1: malformed JSON in feature 1/);
    expect(digest()).toBe(before);
  });
});

describe('GML: E7010 in the import report, nothing written', () => {
  const gml = (members: string): string =>
    `<?xml version="1.0"?>\n<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml">\n${members}</ogr:FeatureCollection>\n`;
  const m = (id: string, x: number): string => `<gml:featureMember><ogr:f><ogr:g><gml:Point><gml:coordinates>${x},8</gml:coordinates></gml:Point></ogr:g>${id}</ogr:f></gml:featureMember>\n`;
  const SERVICE = 'org.hisp.dhis.dxf2.gml.DefaultGmlImportService';

  it('E7010: malformed XML after a matched feature (atomicMode NONE writes as it reads): the report is E7010 only', async () => {
    const before = digest();
    const doc = gml(m('<ogr:code>BO</ogr:code>', -11.5) + m('<ogr:code>KEN</ogr:code>', -11.2).replace('</ogr:f>', '</ogr:ff>'));
    const j = await importFile('districts.gml', doc, { atomicMode: 'NONE' });
    expect(j.error).toBeNull();
    expect(j.resultStatus).toBe('ERROR');
    const r = j.summary as GeometryImportReport;
    const arg = 'GML import failed: malformed XML (unexpected close tag.) On line 4 column 139.';
    expect(r).toEqual({
      responseType: 'ImportReport',
      status: 'ERROR',
      stats: { created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 },
      typeReports: [
        {
          klass: SERVICE,
          stats: { created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 },
          objectReports: [{ klass: SERVICE, index: 0, errorReports: [{ message: `Failed to validate job runtime: \`${arg}\``, mainKlass: SERVICE, args: [arg], errorCode: 'E7010' }] }],
        },
      ],
    });
    expect(digest()).toBe(before);
    expect(formatJob(j)).toContain(`  1 error:\n    E7010 Failed to validate job runtime: \`${arg}\``);
  });

  it('E7010: text that is not UTF-8, the argument HTML-escaped as DHIS2 escapes it', async () => {
    const before = digest();
    const doc = Buffer.concat([Buffer.from(gml(m('<ogr:code>BO</ogr:code>', -11.5)).replace('</ogr:FeatureCollection>', '<ogr:note>')), Buffer.from([0xff, 0xfe]), Buffer.from('</ogr:note></ogr:FeatureCollection>')]);
    const j = await importFile('latin.gml', doc, {}, 'gml');
    const e = (j.summary as GeometryImportReport).typeReports[0]!.objectReports[0]!.errorReports[0]!;
    expect(e.errorCode).toBe('E7010');
    expect(e.args![0]).toMatch(/^GML import failed: the file is not valid UTF-8 text; save it again as UTF-8 On line 5\.$/);
    expect(digest()).toBe(before);
    // (the reason in DHIS2's own words of GmlReport: markup characters escaped, a full stop added)
    const r = new GmlReport('ALL');
    r.fileFailure('unexpected <tag> & "quote\'s"', 2, 7);
    expect(r.build().typeReports[0]!.objectReports[0]!.errorReports[0]!.args).toEqual(['GML import failed: unexpected &lt;tag&gt; &amp; &quot;quote&#39;s&quot; On line 2 column 7.']);
    expect(r.failing()).toBe(true);
  });

  it("Ferry's own refusals stay refusals: a DOCTYPE, a document without features", async () => {
    const before = digest();
    const doctype = await importFile('dtd.gml', `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]>` + gml(m('<ogr:code>BO</ogr:code>', -11.5)).slice(22), {}, 'gml');
    expect(doctype.error).toMatchObject({ code: 'BAD_FILE' });
    expect(doctype.error!.message).toContain('DOCTYPE and entity declarations are not allowed');
    const empty = await importFile('none.gml', gml(''), {}, 'gml');
    expect(empty.error).toMatchObject({ code: 'BAD_FILE' });
    expect(empty.error!.message).toContain('no GML features found');
    expect(digest()).toBe(before);
  });
});
