/**
 * CSV metadata through the three doors' engine: import:start (kind csv-metadata, or implied by a class key), the CLI
 * (--json output is DHIS2's ImportReport), dry run, atomic mode, bad files named by line and column, the membership
 * warning, and for every class key an export → import round trip that gives back the same objects (and the same file).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { ImportReport } from '../../src-shared/dhis2/import-summary.ts';
import { CSV_CLASSES, CSV_CLASS_KEYS, type CsvClassKey } from '../../src-shared/dhis2/csv-metadata.ts';
import { DEFAULT_UIDS } from '../../src-shared/dhis2/schema/registry.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { localizedMessage } from '../../src-shared/i18n/error-messages.ts';
import { createI18n } from '../../src-shared/i18n/create.ts';
import { ferryCli } from '../helpers/cli.ts';

let dir: string;
let f: Ferry;
let dbPath: string;

const SEED = {
  indicatorTypes: [{ id: 'itypeAAAAAA', name: 'Per cent', factor: 100 }],
  categoryOptions: [{ id: 'catOptMale1', name: 'Male', shortName: 'Male' }, { id: 'catOptFem01', name: 'Female', shortName: 'Female' }],
  categories: [{ id: 'categorySex', name: 'Sex', shortName: 'Sex', code: 'SEX', description: 'Sex of the patient', dataDimensionType: 'DISAGGREGATION', dataDimension: true, categoryOptions: [{ id: 'catOptMale1' }, { id: 'catOptFem01' }] }],
  categoryCombos: [{ id: 'catComboSex', name: 'Sex combo', code: 'CC_SEX', dataDimensionType: 'DISAGGREGATION', skipTotal: true, categories: [{ id: 'categorySex' }] }],
  categoryOptionGroups: [{ id: 'catOptGrp01', name: 'Adults', shortName: 'Adults', code: 'COG1', dataDimensionType: 'ATTRIBUTE' }],
  optionSets: [{ id: 'setAAAAAAAA', name: 'Colours', code: 'COLOURS', valueType: 'TEXT', options: [{ id: 'optAAAAAAA1' }, { id: 'optAAAAAAA2' }] }],
  options: [{ id: 'optAAAAAAA1', name: 'Red, dark', code: 'RED', optionSet: { id: 'setAAAAAAAA' } }, { id: 'optAAAAAAA2', name: 'Blue "sky"', code: 'BLUE', optionSet: { id: 'setAAAAAAAA' } }],
  optionGroups: [{ id: 'optGroupAA1', name: 'Warm', shortName: 'Warm', code: 'WARM', optionSet: { id: 'setAAAAAAAA' }, options: [{ id: 'optAAAAAAA1' }] }],
  optionGroupSets: [{ id: 'optGrpSet01', name: 'Temperature', code: 'TEMP', description: 'Warm or cold', dataDimension: true, optionSet: { id: 'setAAAAAAAA' }, optionGroups: [{ id: 'optGroupAA1' }] }],
  organisationUnits: [
    { id: 'ouRootAAAAA', name: 'Sierra Leone', shortName: 'SL', code: 'SL', openingDate: '1990-01-01', geometry: { type: 'Polygon', coordinates: [[[-13, 7], [-10, 7], [-10, 10], [-13, 7]]] } },
    { id: 'ouBoAAAAAAA', name: 'Bo', shortName: 'Bo', parent: { id: 'ouRootAAAAA' }, openingDate: '2000-05-06', closedDate: '2024-01-31', description: 'District', comment: 'Note, with comma', url: 'http://bo.example', contactPerson: 'Ann', address: 'Main road 1', email: 'bo@example.org', phoneNumber: '+232 1234', geometry: { type: 'Point', coordinates: [-11.74, 7.96] } },
    { id: 'ouKenemaAAA', name: 'Kenema', shortName: 'Kenema', parent: { id: 'ouRootAAAAA' }, openingDate: '2001-01-01', geometry: { type: 'MultiPolygon', coordinates: [[[[-11, 7.8], [-10.9, 7.8], [-10.9, 7.9], [-11, 7.8]]]] } },
  ],
  organisationUnitGroups: [
    { id: 'ouGroupAAAA', name: 'Hospitals', shortName: 'Hosp', organisationUnits: [{ id: 'ouBoAAAAAAA' }, { id: 'ouKenemaAAA' }] },
    { id: 'ouGroupBBBB', name: 'Clinics', shortName: 'Clin', code: 'CLIN' },
  ],
  dataElements: [
    { id: 'deAncAAAAAA', name: 'ANC 1st visit', shortName: 'ANC1', code: 'DE_ANC1', description: 'First visit', formName: 'ANC 1', domainType: 'AGGREGATE', valueType: 'NUMBER', aggregationType: 'AVERAGE', categoryCombo: { id: 'catComboSex' }, url: 'http://x', zeroIsSignificant: true, optionSet: { id: 'setAAAAAAAA' } },
    { id: 'deMalAAAAAA', name: 'Malaria cases', shortName: 'Malaria', domainType: 'TRACKER', valueType: 'INTEGER', aggregationType: 'SUM', categoryCombo: { id: 'bjDvmb4bfuf' }, zeroIsSignificant: false },
  ],
  dataElementGroups: [{ id: 'deGroupAAAA', name: 'ANC', shortName: 'ANC', dataElements: [{ id: 'deAncAAAAAA' }, { id: 'deMalAAAAAA' }] }],
  validationRules: [
    { id: 'vRuleAAAAAA', name: 'ANC <= 100', code: 'VR1', description: 'd', instruction: 'Check', importance: 'HIGH', operator: 'less_than_or_equal_to', periodType: 'Quarterly', leftSide: { expression: '#{deAncAAAAAA}', description: 'ANC', missingValueStrategy: 'SKIP_IF_ALL_VALUES_MISSING' }, rightSide: { expression: '100', description: 'Hundred', missingValueStrategy: 'NEVER_SKIP' } },
  ],
  indicators: [
    { id: 'indAncAAAAA', name: 'ANC coverage', shortName: 'ANC cov', code: 'IND1', description: 'Coverage', numerator: '#{deAncAAAAAA}', numeratorDescription: 'Visits', denominator: '1', denominatorDescription: 'One', annualized: true, decimals: 1, indicatorType: { id: 'itypeAAAAAA' } },
  ],
  indicatorGroups: [{ id: 'indGroupAAA', name: 'ANC indicators', indicators: [{ id: 'indAncAAAAA' }] }],
};

beforeEach(async () => {
  dir = tmpDir('ferry-csvmd-');
  dbPath = path.join(dir, 'site.sqlite');
  f = openFerry({ dbPath, mode: 'inline' });
  const seed = path.join(dir, 'seed.json');
  fs.writeFileSync(seed, JSON.stringify(SEED));
  const job = await importFile(seed, { kind: 'metadata' });
  expect((job.summary as ImportReport).status, JSON.stringify(job.summary)).toBe('OK');
});
afterEach(async () => {
  await f.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function importFile(file: string, req: { kind?: string; options?: Record<string, unknown> }): Promise<JobRecord> {
  const r = await invoke(f.handlers, 'import:start', { files: [file], ...req, options: req.options ?? {} });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return f.jobs.wait((r.value as { jobId: number }).jobId);
}

async function exportCsv(classKey: string, name = `${classKey}.csv`): Promise<{ file: string; job: JobRecord }> {
  const out = path.join(dir, name);
  const r = await invoke(f.handlers, 'export:start', { kind: 'csv-metadata', out, options: { classKey } });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return { file: out, job: await f.jobs.wait((r.value as { jobId: number }).jobId) };
}

function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const TIMES = new Set(['created', 'lastUpdated']);
const DEFAULTS = new Set(Object.values(DEFAULT_UIDS));
function stored(type: string): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of f.db.prepare(`SELECT uid, json FROM metadata_object WHERE type = ? ORDER BY uid`).all(type) as { uid: string; json: string }[]) {
    if (DEFAULTS.has(r.uid)) continue;
    const o = JSON.parse(r.json) as Record<string, unknown>;
    out[r.uid] = Object.fromEntries(Object.entries(o).filter(([k]) => !TIMES.has(k)));
  }
  return out;
}

/** What the CSV of a class key carries (other properties of the seed are not its business). */
const CARRIED: Partial<Record<CsvClassKey, string[]>> = {
  DATA_ELEMENT_GROUP: ['id', 'name', 'code', 'shortName'],
  ORGANISATION_UNIT_GROUP: ['id', 'name', 'code', 'shortName'],
  CATEGORY_OPTION: ['id', 'name', 'code', 'shortName'],
  CATEGORY: ['id', 'name', 'code', 'shortName', 'description', 'dataDimensionType', 'dataDimension'],
  CATEGORY_COMBO: ['id', 'name', 'code', 'dataDimensionType', 'skipTotal'],
  OPTION_GROUP_SET: ['id', 'name', 'code', 'description', 'dataDimension', 'optionSet'],
  // DHIS2 rebuilds the group set from the file: only its name and the members are carried (the report warns)
  OPTION_GROUP_SET_MEMBERSHIP: ['id', 'name', 'optionGroups'],
};
const project = (objs: Record<string, Record<string, unknown>>, props?: string[]): Record<string, unknown> =>
  props ? Object.fromEntries(Object.entries(objs).map(([uid, o]) => [uid, Object.fromEntries(props.filter((p) => o[p] !== undefined).map((p) => [p, o[p]]))])) : objs;

describe('CSV metadata round trip: export → import gives the same objects', () => {
  for (const k of CSV_CLASS_KEYS) {
    it(k, async () => {
      const spec = CSV_CLASSES[k];
      const before = stored(spec.type);
      const optionsBefore = stored('options');
      expect(Object.keys(before).length, 'seeded').toBeGreaterThan(0);
      const { file, job } = await exportCsv(k);
      expect(job.error).toBeNull();
      const text = fs.readFileSync(file, 'utf8');
      expect(text.split('\n')[0]).toBe(spec.columns.map((c) => c.key).join(','));
      const report = (await importFile(file, { options: { classKey: k } })).summary as ImportReport;
      expect(report.status, JSON.stringify(report)).toBe('OK');
      const n = k.endsWith('_MEMBERSHIP') ? Object.values(before).filter((o) => Array.isArray(o[spec.membership!.property]) && (o[spec.membership!.property] as unknown[]).length).length : Object.keys(before).length;
      expect(report.stats.updated, JSON.stringify(report.stats)).toBe(n + (k === 'OPTION_SET' ? Object.keys(optionsBefore).length : 0));
      expect(report.stats.created).toBe(0);
      expect(project(stored(spec.type), CARRIED[k])).toEqual(project(before, CARRIED[k]));
      if (k === 'OPTION_SET') expect(stored('options')).toEqual(optionsBefore);
      // and the file is a fixpoint: exported again, the same bytes
      expect(fs.readFileSync((await exportCsv(k, `${k}-again.csv`)).file, 'utf8')).toBe(text);
    });
  }

  it('writes the default file name of the export wizards and refuses other formats or a missing class key', async () => {
    const r = await invoke(f.handlers, 'export:start', { kind: 'csv-metadata', out: path.join(dir, 'x.json'), format: 'xml', options: { classKey: 'DATA_ELEMENT' } });
    expect(r.ok || r.error.message).toBe("CSV metadata is exported as csv, not 'xml'.");
    const r2 = await invoke(f.handlers, 'export:start', { kind: 'csv-metadata', out: path.join(dir, 'x.csv'), options: {} });
    expect(r2.ok || r2.error.message).toMatch(/needs a class key.*DATA_ELEMENT/);
  });
});

describe('CSV metadata import', () => {
  it('creates objects with DHIS2 defaults; the options reach the metadata engine (dry run, strategies, identifier)', async () => {
    const file = write('de.csv', 'name,uid,code,shortName\nNew element,newDeAAAAAA,DE_NEW\n"Second, quoted",newDeBBBBBB,DE_NEW2,Second\n');
    const dry = (await importFile(file, { kind: 'csv-metadata', options: { classKey: 'DATA_ELEMENT', dryRun: true } })).summary as ImportReport;
    expect(dry).toMatchObject({ status: 'OK', dryRun: true, stats: { created: 2, total: 2 } });
    expect(stored('dataElements').newDeAAAAAA).toBeUndefined();
    const create = (await importFile(file, { options: { classKey: 'data_element' } })).summary as ImportReport;
    expect(create.stats).toMatchObject({ created: 2, updated: 0 });
    expect(stored('dataElements').newDeAAAAAA).toEqual({
      name: 'New element', id: 'newDeAAAAAA', code: 'DE_NEW', shortName: 'New element', domainType: 'AGGREGATE', valueType: 'INTEGER', aggregationType: 'SUM', categoryCombo: { id: 'bjDvmb4bfuf' }, zeroIsSignificant: false,
    });
    const again = (await importFile(file, { options: { classKey: 'DATA_ELEMENT', importStrategy: 'CREATE' } })).summary as ImportReport;
    expect(again.status).toBe('ERROR');
    expect(again.typeReports[0]!.objectReports[0]!.errorReports[0]!.errorCode).toBe('E5000');
  });

  it('atomic mode ALL refuses the file for one bad object; NONE imports the others', async () => {
    const file = write('ou.csv', 'name,uid,code,parent\nGood,ouGoodAAAAA,,ouRootAAAAA\nOrphan,ouOrphanAAA,,noSuchParen\n,ouNoNameAAA\n');
    const all = (await importFile(file, { options: { classKey: 'ORGANISATION_UNIT' } })).summary as ImportReport;
    expect(all.status).toBe('ERROR');
    expect(all.stats).toMatchObject({ created: 0, updated: 0 });
    expect(stored('organisationUnits').ouGoodAAAAA).toBeUndefined();
    const none = (await importFile(file, { options: { classKey: 'ORGANISATION_UNIT', atomicMode: 'NONE' } })).summary as ImportReport;
    expect(none.status).toBe('WARNING');
    const codes = none.typeReports.flatMap((t) => t.objectReports.flatMap((o) => o.errorReports.map((e) => e.errorCode))).sort();
    expect(codes).toEqual(['E4000', 'E4000', 'E5002']); // no name, so no short name either; the unknown parent
    // each object report names the line its object came from
    expect(none.typeReports[0]!.objectReports.map((o) => [o.uid, o.line])).toEqual([['ouOrphanAAA', 3], ['ouNoNameAAA', 4]]);
    expect(stored('organisationUnits').ouGoodAAAAA).toMatchObject({ parent: { id: 'ouRootAAAAA' }, openingDate: '1970-01-01' });
  });

  it('membership files replace the member list and say so; rows of unknown groups are listed', async () => {
    const file = write('m.csv', 'group,member\nouGroupAAAA,ouRootAAAAA\nnoSuchGroup,ouBoAAAAAAA\n');
    const r = (await importFile(file, { options: { classKey: 'ORGANISATION_UNIT_GROUP_MEMBERSHIP' } })).summary as ImportReport;
    expect(r.status).toBe('OK');
    expect(r.stats).toMatchObject({ updated: 1, total: 1 });
    expect(r.warnings).toEqual([
      expect.stringMatching(/^Organisation unit group memberships replace the member list/),
      'm.csv: 1 row skipped, as DHIS2 skips it',
      'm.csv, line 3: organisation unit group noSuchGroup does not exist',
    ]);
    // by key beside the English: the screens and the CLI say them in their language
    const say = (l: 'fr' | 'pt'): string[] => r.warnings!.map((w, i) => localizedMessage(createI18n(l), { message: w, details: r.warningDetails![i] }).replace(/\u202f/g, ' '));
    expect(say('fr')).toEqual([
      'Appartenances aux groupes d’unités d’organisation remplacent la liste des membres : chaque groupe nommé dans le fichier ne garde que les unités d’organisation listés pour lui (les membres non listés sont retirés) et n’est enregistré qu’avec son nom et son nom court (son code, sa description et ses autres propriétés sont effacés), comme le fait DHIS2.',
      'm.csv : 1 ligne ignorée, comme DHIS2 l’ignore',
      'm.csv, ligne 3 : le groupe d’unités d’organisation noSuchGroup n’existe pas',
    ]);
    expect(say('pt').slice(1)).toEqual(['m.csv: 1 linha ignorada, como o DHIS2 a ignora', 'm.csv, linha 3: o grupo de unidades organizacionais noSuchGroup não existe']);
    expect(stored('organisationUnitGroups').ouGroupAAAA).toEqual({ id: 'ouGroupAAAA', name: 'Hospitals', shortName: 'Hosp', organisationUnits: [{ id: 'ouRootAAAAA' }] });
  });

  it('refuses bad files before anything is written, naming file, line and column', async () => {
    const bad = write('bad.csv', 'name,uid,code,shortName,d,f,domain,valueType\nA,,,,,,,NUMBER\nB,,,,,,,Number\n');
    const job = await importFile(bad, { options: { classKey: 'DATA_ELEMENT' } });
    expect(job.error?.code).toBe('BAD_FILE');
    expect(job.error?.message).toMatch(/^bad\.csv, line 3, column 8 \(valueType\): 'Number' is not a DHIS2 value type/);
    expect(stored('dataElements')).not.toHaveProperty('A');
    const json = write('meta.json', '{"dataElements":[]}');
    expect((await importFile(json, { options: { classKey: 'DATA_ELEMENT' } })).error?.message).toMatch(/meta\.json: this is not a CSV file/);
    const r = await invoke(f.handlers, 'import:start', { files: [bad], kind: 'csv-metadata', options: { classKey: 'DATA_ELEMENTS' } });
    expect(r.ok || r.error.message).toMatch(/^unknown class key 'DATA_ELEMENTS' \(use one of ORGANISATION_UNIT_GROUP_MEMBERSHIP, .*INDICATOR\)$/);
  });

  it('a header-less file is read with firstRowIsHeader false; with the default its first row is skipped, as DHIS2 does', async () => {
    const file = write('co.csv', 'Under 5,co5AAAAAAAA,U5\nOver 5,co6AAAAAAAA,O5\n');
    const skipped = (await importFile(file, { options: { classKey: 'CATEGORY_OPTION' } })).summary as ImportReport;
    expect(skipped.stats.created).toBe(1);
    const all = (await importFile(file, { options: { classKey: 'CATEGORY_OPTION', firstRowIsHeader: false } })).summary as ImportReport;
    expect(all.stats).toMatchObject({ created: 1, updated: 1 });
    const one = write('one.csv', 'Under 5,co5AAAAAAAA,U5\n');
    const none = (await importFile(one, { options: { classKey: 'CATEGORY_OPTION' } })).summary as ImportReport;
    expect(none).toMatchObject({ status: 'OK', stats: { total: 0 }, warnings: ['one.csv: the file has no rows to import after its first row, which was read as a header'] });
  });
});

describe('CSV metadata CLI', () => {
  beforeEach(async () => {
    await f.close();
  });
  afterEach(() => {
    f = openFerry({ dbPath, mode: 'inline' });
  });

  it('ferry import FILE --class-key K --json prints DHIS2\'s ImportReport; a .csv with a class key is never data', async () => {
    const file = write('groups.csv', 'name,uid,code,shortName\nLabs,labsAAAAAAA,LABS,Labs\n');
    const dry = await ferryCli(['--db', dbPath, 'import', file, '--class-key', 'ORGANISATION_UNIT_GROUP', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(dry.json()).toMatchObject({ responseType: 'ImportReport', status: 'OK', dryRun: true, stats: { created: 1 } });
    const run = await ferryCli(['--db', dbPath, 'import', file, '--kind', 'csv-metadata', '--class-key', 'ORGANISATION_UNIT_GROUP', '--strategy', 'CREATE', '--atomic-mode', 'NONE', '--json']);
    const report = run.json<ImportReport>();
    expect(report.typeReports.map((t) => t.klass)).toEqual(['org.hisp.dhis.organisationunit.OrganisationUnitGroup']);
    expect(report.stats).toEqual({ created: 1, updated: 0, deleted: 0, ignored: 0, total: 1 });
    const nohdr = write('nohdr.csv', 'Posts,postsAAAAAA,POSTS,Posts\n');
    const text = await ferryCli(['--db', dbPath, 'import', nohdr, '--class-key', 'ORGANISATION_UNIT_GROUP', '--first-row-is-header', 'false']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/import csv-metadata: OK[\s\S]*created 1/);
  });

  it('--class-key is checked, and a bad row is exit status 2 with the line', async () => {
    const file = write('x.csv', 'name\nA\n');
    const bad = await ferryCli(['--db', dbPath, 'import', file, '--kind', 'csv-metadata']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/needs a class key .*--class-key/);
    const badRow = write('y.csv', 'h\nA,,,,,,,,,,,,\nB,,,,,,,,,NOPE\n');
    const r = await ferryCli(['--db', dbPath, 'import', badRow, '--class-key', 'ORGANISATION_UNIT']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/y\.csv, line 3, column 10 \(featureType\): 'NOPE' is not a feature type/);
  });

  it('ferry export csv-metadata --class-key K --out FILE.csv', async () => {
    const out = path.join(dir, 'de.csv');
    const r = await ferryCli(['--db', dbPath, 'export', 'csv-metadata', '--class-key', 'DATA_ELEMENT', '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ responseType: 'ExportSummary', status: 'OK', format: 'csv', counts: { dataElements: 2 } });
    expect(fs.readFileSync(out, 'utf8')).toBe(
      'name,uid,code,shortName,description,formName,domainType,valueType,aggregationType,categoryCombo,url,zeroIsSignificant,optionSet,commentOptionSet\n' +
        'ANC 1st visit,deAncAAAAAA,DE_ANC1,ANC1,First visit,ANC 1,AGGREGATE,NUMBER,AVERAGE,catComboSex,http://x,true,setAAAAAAAA,\n' +
        'Malaria cases,deMalAAAAAA,,Malaria,,,TRACKER,INTEGER,SUM,bjDvmb4bfuf,,false,,\n',
    );
  });
});
