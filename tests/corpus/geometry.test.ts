/**
 * DHIS2 geometry conformance: every `geometry` case of ../shared/corpus/cases.json (GML import, GeoJSON import by id,
 * code and name, into the geometry or a GEOJSON attribute) is its own test, run through the same code the CLI uses
 * (openFerry → import:start → job). Skipped with a message when the corpus is absent.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src-main/db/open.ts';
import type { GeometryImportSummary } from '../../src-shared/dhis2/geometry.ts';
import { caseOptions, corpusExists, importThrough, loadCases, openCaseDb, type CorpusCase } from './harness.ts';
import { GEOMETRY_EXPECTED_FAILURES } from './geometry-expected-failures.ts';

type Geo = { type: string; coordinates: unknown };

function geometryOf(db: Db, uid: string): Geo | null {
  const r = db.prepare(`SELECT o.geometry, m.json FROM org_unit o JOIN metadata_object m ON m.id = o.id WHERE m.type = 'organisationUnits' AND m.uid = ?`).get(uid) as
    | { geometry: string | null; json: string }
    | undefined;
  if (!r) throw new Error(`org unit ${uid} not stored`);
  const inJson = (JSON.parse(r.json) as { geometry?: Geo }).geometry ?? null;
  // the org_unit row and the stored JSON (what exports read) must agree
  expect(inJson).toEqual(r.geometry ? JSON.parse(r.geometry) : null);
  return inJson;
}

function attributeGeometry(db: Db, uid: string, attribute: string): Geo | null {
  const json = db.prepare(`SELECT json FROM metadata_object WHERE type = 'organisationUnits' AND uid = ?`).pluck().get(uid) as string;
  const v = (JSON.parse(json) as { attributeValues?: { attribute: { id: string }; value: string }[] }).attributeValues?.find((a) => a.attribute.id === attribute)?.value;
  return v ? (JSON.parse(v) as Geo) : null;
}

/** DHIS2's CoordinateUtils counting: parts = polygons (a Point is 1 part of 1 position); positions per part, all rings. */
function parts(g: Geo): number[] {
  if (g.type === 'Point') return [1];
  if (g.type === 'Polygon') return [(g.coordinates as unknown[][]).reduce((n, r) => n + r.length, 0)];
  if (g.type === 'MultiPolygon') return (g.coordinates as unknown[][][]).map((p) => p.reduce((n, r) => n + r.length, 0));
  return [];
}

interface Expect {
  status?: string;
  message?: string;
  importCount?: Record<string, number>;
  totalConflictOccurrenceCount?: number;
  conflicts?: { errorCode: string; indexes: number[] }[];
  after?: {
    orgUnits?: { id: string; geometryType: string; parts: number; partPositions: Record<string, number> }[];
    geometry?: { orgUnits: string[]; type: string };
    attributeGeometry?: { attribute: string; orgUnits: string[]; type: string };
    geometryUnsetOn?: string[];
  };
}

async function runCase(c: CorpusCase): Promise<void> {
  const cdb = await openCaseDb(c);
  try {
    const job = await importThrough(cdb.ferry, c.file, caseOptions(c.options), 'geometry');
    expect(job.error, job.error?.message).toBeNull();
    const e = c.expect as Expect;
    const s = job.summary as GeometryImportSummary;
    if (e.status) expect(s.status).toBe(e.status);
    if (e.message) expect(s.description).toBe(e.message);
    if (e.importCount) for (const [k, v] of Object.entries(e.importCount)) expect(s.importCount[k as keyof typeof s.importCount], k).toBe(v);
    if (e.totalConflictOccurrenceCount !== undefined) expect(s.totalConflictOccurrenceCount).toBe(e.totalConflictOccurrenceCount);
    if (e.conflicts) expect(s.conflicts.map((k) => ({ errorCode: k.errorCode, indexes: k.indexes }))).toEqual(e.conflicts);
    const db = cdb.ferry.db;
    for (const ou of e.after?.orgUnits ?? []) {
      const g = geometryOf(db, ou.id);
      expect(g?.type, ou.id).toBe(ou.geometryType);
      const p = parts(g!);
      expect(p.length, `${ou.id} parts`).toBe(ou.parts);
      for (const [i, n] of Object.entries(ou.partPositions)) expect(p[Number(i)], `${ou.id} part ${i}`).toBe(n);
    }
    if (e.after?.geometry) for (const uid of e.after.geometry.orgUnits) expect(geometryOf(db, uid)?.type, uid).toBe(e.after.geometry.type);
    if (e.after?.attributeGeometry) {
      const a = e.after.attributeGeometry;
      for (const uid of a.orgUnits) expect(attributeGeometry(db, uid, a.attribute)?.type, uid).toBe(a.type);
    }
    for (const uid of e.after?.geometryUnsetOn ?? []) expect(geometryOf(db, uid), uid).toBeNull();
  } finally {
    await cdb.close();
  }
}

const cases = loadCases('geometry');

describe.skipIf(!corpusExists)('DHIS2 geometry conformance (corpus)', () => {
  it('has geometry cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  for (const c of cases) {
    const failing = GEOMETRY_EXPECTED_FAILURES[c.id];
    (failing ? it.fails : it)(`${c.id}${failing ? ` (expected failure: ${failing})` : ''}`, () => runCase(c), 30_000);
  }
});
