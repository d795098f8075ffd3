/**
 * Metadata export and metadata export with dependencies through the job API: the system header, type choice,
 * skipSharing, defaults=EXCLUDE, XML read back by Ferry's DXF2 XML reader, the dependency walks of the manual's
 * table, errors and the CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import { readDxf2XmlMetadata } from '../../src-main/formats/dxf2-xml/metadata-reader.ts';
import { openInput } from '../../src-main/io/input.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { ferryCli } from '../helpers/cli.ts';
import { seedData, seedMetadata, seedObjects, U } from '../unit/exporters/seed.ts';
import { readExport, runExport, summaryOf } from '../unit/exporters/read-export.ts';
import { localizedMessage } from '../../src-shared/i18n/error-messages.ts';
import { createI18n } from '../../src-shared/i18n/create.ts';
import { invoke } from '../../src-main/ipc/register.ts';

let dir: string;
let f: Ferry;

beforeEach(() => {
  dir = tmpDir('ferry-mexport-');
  f = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
  seedMetadata(f.db);
  seedData(f.db);
});
afterEach(async () => {
  await f.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Doc = Record<string, Record<string, unknown>[]> & { system?: Record<string, string> };

async function exportJson(kind: 'metadata' | 'dependencies', options: Record<string, unknown>, compression: 'none' | 'zip' | 'gzip' = 'none'): Promise<{ doc: Doc; counts: Record<string, number> }> {
  const out = path.join(dir, `${kind}-${Math.random().toString(36).slice(2)}.json${compression === 'zip' ? '.zip' : compression === 'gzip' ? '.gz' : ''}`);
  const s = summaryOf(await runExport(f, { kind, out, format: 'json', compression, options }));
  return { doc: JSON.parse((await readExport(out)).text) as Doc, counts: s.counts };
}

/** Every stored object as type → uid → JSON. */
function storedObjects(ferry: Ferry): Map<string, Map<string, unknown>> {
  const m = new Map<string, Map<string, unknown>>();
  for (const r of ferry.db.prepare(`SELECT type, uid, json FROM metadata_object`).all() as { type: string; uid: string; json: string }[]) {
    if (!m.has(r.type)) m.set(r.type, new Map());
    m.get(r.type)!.set(r.uid, JSON.parse(r.json));
  }
  return m;
}

const uidsOf = (doc: Doc): Record<string, string[]> =>
  Object.fromEntries(Object.entries(doc).filter(([k]) => k !== 'system').map(([k, v]) => [k, (v as { id: string }[]).map((o) => o.id).sort()]));

describe('metadata export', () => {
  it('exports every stored type with DHIS2\'s system header, each object exactly as stored', async () => {
    for (const compression of ['none', 'zip', 'gzip'] as const) {
      const { doc, counts } = await exportJson('metadata', {}, compression);
      expect(Object.keys(doc.system!)).toEqual(['id', 'rev', 'version', 'date']);
      const stored = storedObjects(f);
      expect(new Set(Object.keys(doc).filter((k) => k !== 'system'))).toEqual(new Set(stored.keys()));
      for (const [type, objs] of stored) {
        expect(counts[type]).toBe(objs.size);
        expect(doc[type]).toHaveLength(objs.size);
        for (const o of doc[type]!) expect(o).toEqual(objs.get(o.id as string));
      }
      // parents before children, so a naive importer meets them in order
      expect(doc.organisationUnits!.map((o) => o.id)).toEqual([U.ouRoot, U.ouA, U.ouB, U.ouA1]);
    }
  });

  it('exports only the chosen types', async () => {
    const { doc, counts } = await exportJson('metadata', { types: ['dataElements', 'indicators'] });
    expect(Object.keys(doc)).toEqual(['system', 'dataElements', 'indicators']);
    expect(counts).toEqual({ dataElements: 3, indicators: 1 });
    const { doc: none, counts: c2 } = await exportJson('metadata', { types: 'programs' });
    expect(none.programs).toEqual([]);
    expect(c2).toEqual({ programs: 0 });
    const bad = await runExport(f, { kind: 'metadata', out: path.join(dir, 'bad.json'), options: { types: ['dataElement'] } });
    expect(bad.error?.code).toBe('BAD_REQUEST');
    expect(bad.error?.message).toContain("'dataElement' (did you mean dataElements?)");
    const two = await runExport(f, { kind: 'metadata', out: path.join(dir, 'bad2.json'), options: { types: ['dataElement', 'nonsense'] } });
    expect(two.error?.message).toBe("Unknown metadata types 'dataElement', 'nonsense' (did you mean dataElements?): use DHIS2's plural keys such as dataElements.");
    expect(localizedMessage(createI18n('fr'), two.error!)).toBe("Types de métadonnées inconnus 'dataElement', 'nonsense' (vouliez-vous dire dataElements ?) : utilisez les clés au pluriel de DHIS2, comme dataElements.");
  });

  it('skipSharing drops sharing properties; defaults=EXCLUDE drops default objects and references to them', async () => {
    const { doc } = await exportJson('metadata', { skipSharing: true, defaults: 'EXCLUDE' });
    const ds1 = doc.dataSets!.find((o) => o.id === U.ds1)!;
    expect(ds1.publicAccess).toBeUndefined();
    expect(ds1.sharing).toBeUndefined();
    expect(ds1.categoryCombo).toBeUndefined(); // was the default combo
    expect(ds1.dataSetElements).toHaveLength(2);
    const all = JSON.stringify(doc);
    for (const d of Object.values(U.def)) expect(all).not.toContain(d);
    expect(doc.categoryOptionCombos!.map((o) => o.id).sort()).toEqual([U.aocA, U.cocF, U.cocM].sort());
    const { doc: withSharing } = await exportJson('metadata', { types: 'dataSets' });
    expect(withSharing.dataSets!.find((o) => o.id === U.ds1)!.publicAccess).toBe('rw------');
  });

  it('XML export reads back through Ferry\'s DXF2 XML reader to the same objects', async () => {
    const out = path.join(dir, 'all.xml.gz');
    const s = summaryOf(await runExport(f, { kind: 'metadata', out, format: 'xml', compression: 'gzip' }));
    const inp = await openInput(out);
    expect(inp.compression).toBe('gzip');
    const seen = new Map<string, Record<string, unknown>>();
    for await (const r of readDxf2XmlMetadata(inp.chunks(), inp.name, { keys: [] } as never)) seen.set(`${r.type}/${r.object.id as string}`, r.object);
    inp.close();
    const stored = storedObjects(f);
    let n = 0;
    // the reader types numbers only for properties it knows to be numeric: compare numbers as text
    // and an empty object ({}) is left out of XML
    const norm = (v: unknown): unknown =>
      JSON.parse(
        JSON.stringify(v, (_k, x: unknown) =>
          typeof x === 'number' ? String(x) : x && typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 0 ? undefined : x,
        ),
      );
    for (const [type, objs] of stored)
      for (const [uid, o] of objs) {
        const back = seen.get(`${type}/${uid}`);
        expect(back, `${type}/${uid}`).toBeDefined();
        const { geometry, ...rest } = o as Record<string, unknown>;
        const { geometry: g2, ...rest2 } = back!;
        expect(norm(rest2)).toEqual(norm(rest));
        if (geometry) expect(g2).toEqual(geometry); // geometry travels as GeoJSON text (spec §2.7) and is parsed back
        n++;
      }
    expect(seen.size).toBe(n);
    expect(Object.values(s.counts).reduce((a, b) => a + b, 0)).toBe(n);
  });

  it('CSV and ADX are refused for metadata before any job starts, naming the formats that carry metadata', async () => {
    const before = f.jobs.jobs.list(1000).length;
    for (const format of ['csv', 'adx']) {
      const r = await invoke(f.handlers, 'export:start', { kind: 'metadata', out: path.join(dir, `m.${format}`), format });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('UNSUPPORTED');
        expect(r.error.message).toBe(`Metadata can be exported as json, xml or xlsx, not '${format}'.`);
      }
    }
    expect(f.jobs.jobs.list(1000)).toHaveLength(before);
    expect(fs.existsSync(path.join(dir, 'm.csv'))).toBe(false);
  });
});

describe('metadata export with dependencies', () => {
  const extra = (): void => {
    const repo = new MetadataRepo(f.db);
    const ref = (id: string): { id: string } => ({ id });
    const objs: [string, Record<string, unknown>][] = [
      ['trackedEntityAttributes', { id: 'TeaColour01', name: 'Favourite colour', shortName: 'Colour', valueType: 'TEXT', optionSet: ref(U.optionSet) }],
      ['trackedEntityTypes', { id: 'TetPerson01', name: 'Person', trackedEntityTypeAttributes: [{ trackedEntityAttribute: ref('TeaColour01') }] }],
      ['programs', { id: 'Program0001', name: 'Malaria case', shortName: 'Malaria case', programType: 'WITH_REGISTRATION', categoryCombo: ref(U.def.cc), trackedEntityType: ref('TetPerson01'),
        programStages: [ref('Stage000001')], programTrackedEntityAttributes: [{ id: 'Ptea0000001', trackedEntityAttribute: ref('TeaColour01') }], organisationUnits: [ref(U.ouA)] }],
      ['programStages', { id: 'Stage000001', name: 'Visit', program: ref('Program0001'), programStageDataElements: [{ id: 'Psde0000001', dataElement: ref(U.deOther) }] }],
      ['programIndicators', { id: 'ProgInd0001', name: 'Cases', shortName: 'Cases', program: ref('Program0001'), expression: 'V{event_count}' }],
      ['programRules', { id: 'ProgRule001', name: 'Warn', program: ref('Program0001'), condition: 'true', programRuleActions: [ref('PrAction001')] }],
      ['programRuleActions', { id: 'PrAction001', programRuleActionType: 'SHOWWARNING', programRule: ref('ProgRule001'), dataElement: ref(U.deText) }],
      ['programRuleVariables', { id: 'PrVar000001', name: 'colour', program: ref('Program0001'), programRuleVariableSourceType: 'TEI_ATTRIBUTE', trackedEntityAttribute: ref('TeaColour01') }],
      ['visualizations', { id: 'Visual00001', name: 'Cases chart', type: 'COLUMN' }],
      ['maps', { id: 'Map00000001', name: 'Cases map', mapViews: [{ id: 'MapView0001', layer: 'thematic' }] }],
      ['documents', { id: 'Document001', name: 'Guide', url: 'https://example.org/guide.pdf' }],
      ['dashboards', { id: 'Dashboard01', name: 'Malaria', dashboardItems: [
        { id: 'DashItem001', type: 'VISUALIZATION', visualization: ref('Visual00001') },
        { id: 'DashItem002', type: 'MAP', map: ref('Map00000001') },
        { id: 'DashItem003', type: 'RESOURCES', resources: [ref('Document001')] },
      ] }],
    ];
    f.db.transaction(() => {
      for (const [t, o] of objs) repo.upsert(t, o);
    })();
  };

  it('a data set brings its elements, sections, indicators and types, form, legend sets, attributes, category model and option sets', async () => {
    const { doc, counts } = await exportJson('dependencies', { objectType: 'dataSets', objectId: U.ds1 });
    expect(uidsOf(doc)).toEqual({
      attributes: [U.attr],
      categoryOptions: [U.optM, U.optF, U.def.co].sort(),
      categories: [U.catSex, U.def.cat].sort(),
      categoryCombos: [U.ccSex, U.def.cc].sort(),
      categoryOptionCombos: [U.cocM, U.cocF, U.def.coc].sort(),
      optionSets: [U.optionSet],
      options: [U.opt1],
      legendSets: [U.legendSet],
      dataElements: [U.deNum, U.deText].sort(),
      indicatorTypes: [U.indType],
      indicators: [U.ind],
      dataEntryForms: [U.form],
      dataSets: [U.ds1],
      sections: [U.section],
    });
    expect(counts.dataSets).toBe(1);
    expect(Object.keys(doc.system!)).toEqual(['id', 'rev', 'version', 'date']);
  });

  it('category combo, option set and data element group walks', async () => {
    expect(uidsOf((await exportJson('dependencies', { objectType: 'categoryCombos', objectId: U.ccMech })).doc)).toEqual({
      categoryOptions: [U.optMechA], categories: [U.catMech], categoryCombos: [U.ccMech], categoryOptionCombos: [U.aocA], attributes: [U.attr],
    });
    expect(uidsOf((await exportJson('dependencies', { objectType: 'optionSets', objectId: 'COLOURS' })).doc)).toEqual({ optionSets: [U.optionSet], options: [U.opt1] });
    const g = uidsOf((await exportJson('dependencies', { objectType: 'dataElementGroups', objectId: U.deg })).doc);
    expect(g.dataElementGroups).toEqual([U.deg]);
    expect(g.dataElements).toEqual([U.deText]);
    expect(g.optionSets).toEqual([U.optionSet]);
    expect(g.categoryCombos).toEqual([U.def.cc]);
  });

  it('a program brings stages, attributes, tracked entity type, indicators, rules, actions and variables', async () => {
    extra();
    const u = uidsOf((await exportJson('dependencies', { objectType: 'programs', objectId: 'Program0001' })).doc);
    expect(u.programs).toEqual(['Program0001']);
    expect(u.programStages).toEqual(['Stage000001']);
    expect(u.trackedEntityTypes).toEqual(['TetPerson01']);
    expect(u.trackedEntityAttributes).toEqual(['TeaColour01']);
    expect(u.programIndicators).toEqual(['ProgInd0001']);
    expect(u.programRules).toEqual(['ProgRule001']);
    expect(u.programRuleActions).toEqual(['PrAction001']);
    expect(u.programRuleVariables).toEqual(['PrVar000001']);
    expect(u.dataElements).toEqual([U.deOther, U.deText].sort());
    expect(u.optionSets).toEqual([U.optionSet]);
    expect(u.organisationUnits).toBeUndefined();
  });

  it('a dashboard brings its visualizations, maps and resources but not what they show', async () => {
    extra();
    const u = uidsOf((await exportJson('dependencies', { objectType: 'dashboards', objectId: 'Dashboard01' })).doc);
    expect(u).toEqual({ dashboards: ['Dashboard01'], visualizations: ['Visual00001'], maps: ['Map00000001'], documents: ['Document001'] });
  });

  it('unknown objects and root types are errors; XML works through the CLI', async () => {
    const j1 = await runExport(f, { kind: 'dependencies', out: path.join(dir, 'x.json'), options: { objectType: 'dataSets', objectId: 'NoSuchDs001' } });
    expect(j1.error?.code).toBe('NOT_FOUND');
    const j2 = await runExport(f, { kind: 'dependencies', out: path.join(dir, 'x.json'), options: { objectType: 'dataElements', objectId: U.deNum } });
    expect(j2.error?.code).toBe('BAD_REQUEST');
    await f.close();
    const out = path.join(dir, 'ds.xml.zip');
    const run = await ferryCli(['--db', path.join(dir, 'site.sqlite'), 'export', 'dependencies', '--object-type', 'dataSets', '--object-id', U.ds1, '--format', 'xml', '--compression', 'zip', '--skip-sharing', '--out', out, '--json']);
    expect(run.code).toBe(0);
    expect(run.json<{ counts: Record<string, number> }>().counts.dataElements).toBe(2);
    const raw = await readExport(out);
    expect(raw.entryName).toBe('ds.xml');
    expect(raw.text).toContain(`<dataSet id="${U.ds1}"`);
    expect(raw.text).not.toContain('publicAccess');
    const out2 = path.join(dir, 'types.json.gz');
    const run2 = await ferryCli(['--db', path.join(dir, 'site.sqlite'), 'export', 'metadata', '--types', 'dataElements,indicators', '--defaults', 'EXCLUDE', '--compression', 'gzip', '--out', out2, '--json']);
    expect(run2.code).toBe(0);
    expect(run2.json<{ counts: Record<string, number> }>().counts).toEqual({ dataElements: 3, indicators: 1 });
    const doc = JSON.parse((await readExport(out2)).text) as Doc;
    expect(Object.keys(doc)).toEqual(['system', 'dataElements', 'indicators']);
    expect(doc.dataElements!.find((o) => o.id === U.deText)!.categoryCombo).toBeUndefined();
    f = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
  });
});

it('the seed is what the tests think it is', () => {
  expect(seedObjects().length).toBeGreaterThan(20);
});
