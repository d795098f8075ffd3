/**
 * THE simulation of issue 13: 50 facilities × 12 months (and 3 events each) → one district → one province, each site its own database,
 * packages made with `ferry send` and taken in with `ferry receive` (in-process, jobs inline), with faults:
 *  - duplicated packages (received twice: a no-op each time),
 *  - lost packages (a facility's package 2 never arrives; its package 3 does: the gap is reported until the facility
 *    re-makes package 2 with --resend 2),
 *  - out of order arrival (package 3 before package 2: the older values never overwrite the newer ones),
 *  - a flipped byte (refused before any write, then the good copy received),
 *  - facilities editing and deleting values after sending.
 * At the end the province's live values equal the union of the facilities' exactly, value by value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src-main/db/open.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { rng } from '../helpers/seeded.ts';
import { CSV_HEADER, SMALL_METADATA, loadMetadata, storedValues } from '../unit/importers/data-values/helpers.ts';
import { entryDataOffset, flipByte } from '../helpers/receive-package.ts';
import type { ReceiveSummary, ReconcileReport, SiteSummary } from '../../src-shared/transfer-receive.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { openFerry } from '../../src-main/services/context.ts';
import { withDbAt } from '../helpers/db.ts';

const FACILITIES = 50;
const MONTHS = Array.from({ length: 12 }, (_, i) => `2025${String(i + 1).padStart(2, '0')}`);
const fac = (i: number): string => `OuFacil${String(i).padStart(4, '0')}`;

const METADATA = {
  ...SMALL_METADATA,
  organisationUnits: [
    { id: 'OuProvinc01', name: 'Province', code: 'OU_P', shortName: 'Province' },
    { id: 'OuDistrict1', name: 'District', code: 'OU_D', shortName: 'District', parent: { id: 'OuProvinc01' } },
    ...Array.from({ length: FACILITIES }, (_, i) => ({ id: fac(i), name: `Facility ${i}`, code: `OU_F${i}`, shortName: `Facility ${i}`, parent: { id: 'OuDistrict1' } })),
  ],
  dataSets: [{ ...SMALL_METADATA.dataSets[0]!, organisationUnits: Array.from({ length: FACILITIES }, (_, i) => ({ id: fac(i) })) }],
  dataElements: [...SMALL_METADATA.dataElements, { id: 'DeWeight001', name: 'Weight', code: 'WEIGHT', valueType: 'NUMBER', domainType: 'TRACKER' }],
  programs: [
    {
      id: 'ProgEvent01', name: 'Malaria cases', code: 'MALARIA', shortName: 'Malaria', programType: 'WITHOUT_REGISTRATION',
      organisationUnits: Array.from({ length: FACILITIES }, (_, i) => ({ id: fac(i) })), programStages: [{ id: 'StageCase01' }],
    },
  ],
  programStages: [{ id: 'StageCase01', name: 'Case', code: 'CASE', program: { id: 'ProgEvent01' }, programStageDataElements: [{ dataElement: { id: 'DeWeight001' } }] }],
};
const eventUid = (i: number, k: number): string => `Ev${String(i).padStart(4, '0')}K${k}zzz`;
const event = (i: number, k: number, weight: string, day: string) => ({
  event: eventUid(i, k), program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: fac(i), occurredAt: `2025-${day}`, status: 'ACTIVE',
  dataValues: [{ dataElement: 'DeWeight001', value: weight }],
});

interface ReceiveJson {
  status: string;
  packages: { file: string; jobId: number; status: string; summary: ReceiveSummary | null; error: { code: string; message: string } | null }[];
}

let dir: string;
const dbOf = (site: string): string => path.join(dir, `${site}.sqlite`);
const withDb = <T>(site: string, fn: (db: Db) => T): T => withDbAt(dbOf(site), fn);
/** live values of a site: key → value */
function liveValues(site: string): Map<string, string | null> {
  return new Map(withDb(site, (db) => storedValues(db)).map((v) => [`${v.orgUnit}/${v.dataElement}/${v.period}/${v.categoryOptionCombo}/${v.attributeOptionCombo}`, v.value]));
}
/** events of a site: uid → org unit, date, status, deleted, values */
function events(site: string): Map<string, string> {
  const rows = withDb(site, (db) =>
    db
      .prepare(
        `SELECT e.uid, ou.uid AS ou, e.occurred_at AS at, e.status, e.deleted,
                (SELECT group_concat(de.uid || '=' || v.value, ';') FROM event_data_value v JOIN metadata_object de ON de.id = v.de WHERE v.event = e.id) AS vals
         FROM event e JOIN metadata_object ou ON ou.id = e.ou`,
      )
      .all(),
  ) as { uid: string; ou: string; at: string; status: string; deleted: number; vals: string | null }[];
  return new Map(rows.map((r) => [r.uid, `${r.ou} ${r.at} ${r.status} ${r.deleted} ${r.vals}`]));
}
async function importEvents(site: string, name: string, list: unknown[]): Promise<void> {
  const f = path.join(dir, `${site}-${name}.json`);
  fs.writeFileSync(f, JSON.stringify({ events: list }));
  const r = await cli(site, 'import', f, '--kind', 'events');
  expect(r.code, r.stderr + r.stdout).toBe(0);
}
const tableCount = (site: string): number => withDb(site, (db) => db.prepare(`SELECT count(*) FROM data_value`).pluck().get() as number);

async function cli(site: string, ...args: string[]) {
  return ferryCli(['--db', dbOf(site), ...args]);
}
async function importCsv(site: string, name: string, rows: string[], ...more: string[]): Promise<void> {
  const f = path.join(dir, `${site}-${name}.csv`);
  fs.writeFileSync(f, [CSV_HEADER, ...rows].join('\n') + '\n');
  const r = await cli(site, 'import', f, ...more);
  expect(r.code, r.stderr + r.stdout).toBe(0);
}
async function send(site: string, to: string, name: string, ...more: string[]): Promise<string> {
  const out = path.join(dir, `${site}-${name}.zip`);
  const r = await cli(site, 'send', '--to', to, '--out', out, '--json', ...more);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return out;
}
async function receive(site: string, files: string[], expectCode = 0): Promise<ReceiveJson> {
  const r = await cli(site, 'receive', ...files, '--json');
  expect(r.code, r.stdout.slice(0, 2000)).toBe(expectCode);
  return r.json<ReceiveJson>();
}
async function sitesOf(site: string): Promise<SiteSummary[]> {
  const ferry = openFerry({ dbPath: dbOf(site), mode: 'inline' });
  try {
    const r = await invoke(ferry.handlers, 'transfer:sites', {});
    if (!r.ok) throw new Error(r.error.message);
    return r.value as SiteSummary[];
  } finally {
    await ferry.close();
  }
}

const row = (i: number, de: string, pe: string, coc: string, value: string): string => `${de},${pe},${fac(i)},${coc},,${value},,,,false,`;

beforeAll(() => {
  dir = tmpDir('ferry-sim-');
  for (const site of ['district', 'province', ...Array.from({ length: FACILITIES }, (_, i) => `f${i}`)]) withDb(site, (db) => loadMetadata(db, METADATA));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('transfer simulation: 50 facilities × 12 months → district → province, with faults', () => {
  it('ends with the province holding exactly the union of the facilities’ values', { timeout: 240_000 }, async () => {
    const random = rng(13);
    const int = (n: number): string => String(Math.floor(random() * n));

    // ---- round 1: January–June, package 1 from every facility
    const p1: string[] = [];
    for (let i = 0; i < FACILITIES; i++) {
      const rows = MONTHS.slice(0, 6).flatMap((pe) => [row(i, 'DeInteger01', pe, '', int(100)), row(i, 'DeNumber001', pe, 'CocMale0001', `${int(50)}.5`)]);
      await importCsv(`f${i}`, 'r1', rows);
      await importEvents(`f${i}`, 'e1', [event(i, 1, '10', '03-05'), event(i, 2, '11', '04-07')]);
      p1.push(await send(`f${i}`, 'District', 'p1'));
    }
    // ---- round 2: July–December, and edits of earlier months; package 2
    const p2: string[] = [];
    for (let i = 0; i < FACILITIES; i++) {
      const rows = MONTHS.slice(6).flatMap((pe) => [row(i, 'DeInteger01', pe, '', int(100)), row(i, 'DeNumber001', pe, 'CocMale0001', `${int(50)}.25`)]);
      rows.push(row(i, 'DeInteger01', MONTHS[0]!, '', String(1000 + i)), row(i, 'DeInteger01', MONTHS[1]!, '', String(2000 + i)));
      await importCsv(`f${i}`, 'r2', rows);
      await importEvents(`f${i}`, 'e2', [event(i, 1, '12.5', '03-05'), event(i, 3, '13', '09-01')]);
      p2.push(await send(`f${i}`, 'District', 'p2'));
    }
    // ---- round 3: edits and deletions after sending; package 3
    const p3: string[] = [];
    for (let i = 0; i < FACILITIES; i++) {
      await importCsv(`f${i}`, 'r3', [row(i, 'DeInteger01', MONTHS[0]!, '', String(3000 + i)), row(i, 'DeInteger01', MONTHS[7]!, '', String(4000 + i))]);
      await importEvents(`f${i}`, 'e3', [event(i, 3, '14', '09-01')]);
      await importCsv(`f${i}`, 'r3-del', [row(i, 'DeNumber001', MONTHS[1]!, 'CocMale0001', '1'), row(i, 'DeInteger01', MONTHS[8]!, '', '1')], '--strategy', 'DELETE');
      p3.push(await send(`f${i}`, 'District', 'p3'));
    }

    // ---- the district receives, with faults
    const lost = [0, 1, 2, 3, 4]; // their package 2 never arrives (at first)
    const reversed = [5, 6, 7, 8, 9]; // their package 3 arrives before their package 2
    const flipped = 10; // its package 1 arrives with a flipped byte
    const beforeBad = tableCount('district');
    const bad = flipByte(p1[flipped]!, entryDataOffset(p1[flipped]!, 'dataValues.json') + 7, path.join(dir, 'f10-p1-flipped.zip'));
    const refused = await receive('district', [bad], 2);
    expect(refused.packages[0]!.status).toBe('refused');
    expect(refused.packages[0]!.error!.message).toContain('dataValues.json');
    expect(tableCount('district')).toBe(beforeBad);
    expect(await sitesOf('district')).toEqual([]);

    // every package 1 (the good copy of the flipped one too), and some twice
    let r = await receive('district', [...p1, p1[20]!, p1[21]!]);
    expect(r.packages.filter((p) => p.status === 'received')).toHaveLength(FACILITIES);
    expect(r.packages.filter((p) => p.status === 'already-received').map((p) => p.file)).toEqual(['f20-p1.zip', 'f21-p1.zip']);

    // package 3 of the facilities whose package 2 is late or lost
    r = await receive('district', [...lost, ...reversed].map((i) => p3[i]!));
    expect(r.packages.every((p) => p.status === 'received')).toBe(true);
    for (const p of r.packages) expect(p.summary!.gaps.map((g) => g.message)).toEqual([`package 2 from ${p.summary!.from.name} has not arrived; 1 and 3 have`]);
    // the other facilities' packages 2 and 3, and a duplicate of a package 3
    const rest = Array.from({ length: FACILITIES }, (_, i) => i).filter((i) => !lost.includes(i) && !reversed.includes(i));
    r = await receive('district', [...rest.flatMap((i) => [p3[i]!, p2[i]!]), p3[30]!]);
    expect(r.packages.filter((p) => p.status === 'received')).toHaveLength(rest.length * 2);
    expect(r.packages.filter((p) => p.status === 'already-received')).toHaveLength(1);
    // the late packages 2 arrive: their older values never overwrite the newer ones
    r = await receive('district', reversed.map((i) => p2[i]!));
    for (const p of r.packages) {
      expect(p.status).toBe('received');
      expect(p.summary!.gaps).toEqual([]);
      // January (edited in 2 and 3), February's number (deleted in 3) and August (new in 2, edited in 3) were newer
      expect(p.summary!.dataValues.keptNewer).toBe(3);
      // the event created in 2 and edited in 3 keeps 3's version
      expect(p.summary!.eventsKeptNewer).toBe(1);
    }
    // the gaps of the lost ones are still reported, on the Sites page's channel
    let sites = await sitesOf('district');
    expect(sites).toHaveLength(FACILITIES);
    const gapped = sites.filter((s) => s.gaps.length).map((s) => s.gaps.map((g) => g.message)).flat().sort();
    expect(gapped).toEqual(lost.map((i) => `package 2 from Facility ${i} has not arrived; 1 and 3 have`).sort());

    // ---- the district sends what it has to the province (first package: the lost ones' package 2 are missing)
    expect((await cli('district', 'site', '--name', 'District')).code).toBe(0);
    const d1 = await send('district', 'Province', 'd1');
    const d1copy = path.join(dir, 'district-d1-copy.zip');
    fs.copyFileSync(d1, d1copy);
    r = await receive('province', [d1, d1copy]);
    expect(r.packages.map((p) => p.status)).toEqual(['received', 'already-received']);

    // ---- the lost packages are re-made and received: the gaps are filled
    const resent = [];
    for (const i of lost) resent.push(await send(`f${i}`, 'District', 'p2-resent', '--resend', '2'));
    r = await receive('district', resent);
    for (const p of r.packages) {
      expect(p.status).toBe('received');
      expect(p.summary!.sequence).toBe(2);
      expect(p.summary!.gaps).toEqual([]);
    }
    sites = await sitesOf('district');
    expect(sites.every((s) => s.gaps.length === 0 && s.expectedNext === 4 && s.mismatches === 0)).toBe(true);
    // every re-send again is a no-op: not a byte of the district's values or events changes
    const dump = (site: string): string =>
      withDb(site, (db) => JSON.stringify([db.prepare(`SELECT * FROM data_value ORDER BY ou, pe, de, coc, aoc`).all(), db.prepare(`SELECT * FROM event ORDER BY id`).all()]));
    const beforeResends = dump('district');
    r = await receive('district', [...resent, ...p1, ...p2.slice(5), ...p3]);
    expect(r.packages).toHaveLength(resent.length + p1.length + p2.length - 5 + p3.length);
    expect(r.packages.every((p) => p.status === 'already-received')).toBe(true);
    expect(dump('district')).toBe(beforeResends);

    // ---- the district's next package; on its way to the province one copy gets a flipped byte
    const d2 = await send('district', 'Province', 'd2');
    const beforeProvince = tableCount('province');
    const d2bad = flipByte(d2, Math.floor(fs.statSync(d2).size / 2), path.join(dir, 'district-d2-flipped.zip'));
    const refusedAtProvince = await receive('province', [d2bad], 2);
    expect(refusedAtProvince.packages[0]!.status).toBe('refused');
    expect(tableCount('province')).toBe(beforeProvince);
    r = await receive('province', [d2]);
    expect(r.packages[0]!.status).toBe('received');

    // ---- the result: the district and the province hold exactly the union of the facilities' live values
    const union = new Map<string, string | null>();
    for (let i = 0; i < FACILITIES; i++) for (const [k, v] of liveValues(`f${i}`)) union.set(k, v);
    expect(union.size).toBe(FACILITIES * (24 - 2)); // 12 months × 2 values, minus the two deleted
    const sorted = (m: Map<string, string | null>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));
    expect(sorted(liveValues('district'))).toEqual(sorted(union));
    expect(sorted(liveValues('province'))).toEqual(sorted(union));
    // and the events: every facility's, as the facility holds them (an edited one with its new value)
    const allEvents = new Map<string, string>();
    for (let i = 0; i < FACILITIES; i++) for (const [k, v] of events(`f${i}`)) allEvents.set(k, v);
    expect(allEvents.size).toBe(FACILITIES * 3);
    expect(allEvents.get(eventUid(7, 1))).toMatch(/DeWeight001=12\.5$/);
    expect(allEvents.get(eventUid(7, 3))).toMatch(/DeWeight001=14$/);
    expect(sorted(events('district'))).toEqual(sorted(allEvents));
    expect(sorted(events('province'))).toEqual(sorted(allEvents));
    // and reconciliation finds nothing to say at either level
    for (const site of ['district', 'province']) {
      const rec = (await cli(site, 'reconcile', '--json')).json<ReconcileReport>();
      expect(rec.cells).toBeGreaterThan(0);
      expect(rec.mismatches, JSON.stringify(rec.rows.filter((x) => !x.match).slice(0, 3))).toBe(0);
    }
    const province = await sitesOf('province');
    expect(province.map((s) => [s.name, s.packages, s.gaps.length])).toEqual([['District', 2, 0]]);
  });
});
