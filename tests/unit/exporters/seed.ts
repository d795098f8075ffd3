/**
 * Test seed for export tests: a small but complete DHIS2 world written straight into a Ferry database through
 * MetadataRepo (the storage contract) and plain INSERTs into period/data_value — no importer involved.
 */
import type { Db } from '../../../src-main/db/open.ts';
import { MetadataRepo } from '../../../src-main/db/repos/metadata.ts';
import { adoptTextRows } from '../../../src-main/db/repos/data-values.ts';

export const U = {
  optM: 'OptMale0001', optF: 'OptFemale01', catSex: 'CatSex00001', ccSex: 'CcSex000001', cocM: 'CocMale0001', cocF: 'CocFemale01',
  optMechA: 'OptMechA001', catMech: 'CatMech0001', ccMech: 'CcMech00001', aocA: 'AocMechA001',
  ouRoot: 'OuRoot00001', ouA: 'OuA00000001', ouB: 'OuB00000001', ouA1: 'OuA10000001',
  deNum: 'DeNum000001', deText: 'DeText00001', deOther: 'DeOther0001', ds1: 'DataSet0001', ds2: 'DataSet0002', deg: 'DeGroup0001',
  ouGroup: 'OuGroup0001', optionSet: 'OptSet00001', opt1: 'Option00001', attr: 'Attr0000001', indType: 'IndType0001', ind: 'Indic000001',
  section: 'Section0001', legendSet: 'LegSet00001', form: 'DeForm00001',
  def: { coc: 'HllvX50cXC0', cc: 'bjDvmb4bfuf', cat: 'GLevLNI9wkl', co: 'xYerKDKCefk' },
};

const ts = '2024-01-02T03:04:05.678';
const ref = (id: string): { id: string } => ({ id });

/** [type, object] in a valid import order */
export function seedObjects(): [string, Record<string, unknown>][] {
  return [
    ['attributes', { id: U.attr, name: 'Legacy id', code: 'LEGACY', valueType: 'TEXT', dataElementAttribute: true, organisationUnitAttribute: true, categoryOptionComboAttribute: true, dataSetAttribute: true, created: ts, lastUpdated: ts }],
    ['categoryOptions', { id: U.optM, name: 'Male', shortName: 'Male', code: 'M', created: ts, lastUpdated: ts }],
    ['categoryOptions', { id: U.optF, name: 'Female', shortName: 'Female', code: 'F', created: ts, lastUpdated: ts }],
    ['categoryOptions', { id: U.optMechA, name: 'Mechanism A', shortName: 'Mechanism A', code: 'MECH_A', created: ts, lastUpdated: ts }],
    ['categories', { id: U.catSex, name: 'Sex', shortName: 'Sex', code: 'SEX', dataDimensionType: 'DISAGGREGATION', dataDimension: false, categoryOptions: [ref(U.optM), ref(U.optF)], created: ts, lastUpdated: ts }],
    ['categories', { id: U.catMech, name: 'Mechanism', shortName: 'Mechanism', code: 'MECH', dataDimensionType: 'ATTRIBUTE', dataDimension: false, categoryOptions: [ref(U.optMechA)], created: ts, lastUpdated: ts }],
    ['categoryCombos', { id: U.ccSex, name: 'Sex', code: 'CC_SEX', dataDimensionType: 'DISAGGREGATION', skipTotal: false, categories: [ref(U.catSex)], created: ts, lastUpdated: ts }],
    ['categoryCombos', { id: U.ccMech, name: 'Mechanism', code: 'CC_MECH', dataDimensionType: 'ATTRIBUTE', skipTotal: false, categories: [ref(U.catMech)], created: ts, lastUpdated: ts }],
    ['categoryOptionCombos', { id: U.cocM, name: 'Male', code: 'COC_M', ignoreApproval: false, categoryCombo: ref(U.ccSex), categoryOptions: [ref(U.optM)], created: ts, lastUpdated: ts, attributeValues: [{ attribute: ref(U.attr), value: 'L-M' }] }],
    ['categoryOptionCombos', { id: U.cocF, name: 'Female', code: 'COC_F', ignoreApproval: false, categoryCombo: ref(U.ccSex), categoryOptions: [ref(U.optF)], created: ts, lastUpdated: ts, attributeValues: [{ attribute: ref(U.attr), value: 'L-F' }] }],
    ['categoryOptionCombos', { id: U.aocA, name: 'Mechanism A', code: 'AOC_A', ignoreApproval: false, categoryCombo: ref(U.ccMech), categoryOptions: [ref(U.optMechA)], created: ts, lastUpdated: ts, attributeValues: [{ attribute: ref(U.attr), value: 'L-A' }] }],
    ['optionSets', { id: U.optionSet, name: 'Colours', code: 'COLOURS', valueType: 'TEXT', options: [ref(U.opt1)], created: ts, lastUpdated: ts }],
    ['options', { id: U.opt1, name: 'Blue', code: 'BLUE', sortOrder: 1, optionSet: ref(U.optionSet), created: ts, lastUpdated: ts }],
    ['legendSets', { id: U.legendSet, name: 'Traffic', code: 'TRAFFIC', legends: [{ id: 'Legend00001', name: 'Low', startValue: 0, endValue: 10, color: '#00ff00' }], created: ts, lastUpdated: ts }],
    ['organisationUnits', { id: U.ouRoot, name: 'Root', shortName: 'Root', code: 'ROOT', openingDate: '1970-01-01T00:00:00.000', created: ts, lastUpdated: ts, attributeValues: [{ attribute: ref(U.attr), value: 'L-ROOT' }] }],
    ['organisationUnits', { id: U.ouA, name: 'District A', shortName: 'District A', code: 'DIST_A', parent: ref(U.ouRoot), openingDate: '1970-01-01T00:00:00.000', created: ts, lastUpdated: ts, geometry: { type: 'Point', coordinates: [-11.5, 8.25] }, attributeValues: [{ attribute: ref(U.attr), value: 'L-A' }] }],
    ['organisationUnits', { id: U.ouB, name: 'District B', shortName: 'District B', code: 'DIST_B', parent: ref(U.ouRoot), openingDate: '1970-01-01T00:00:00.000', created: ts, lastUpdated: ts, attributeValues: [{ attribute: ref(U.attr), value: 'L-B' }] }],
    ['organisationUnits', { id: U.ouA1, name: 'Clinic A1', shortName: 'Clinic A1', code: 'CLINIC_A1', parent: ref(U.ouA), openingDate: '1970-01-01T00:00:00.000', created: ts, lastUpdated: ts, attributeValues: [{ attribute: ref(U.attr), value: 'L-A1' }] }],
    ['organisationUnitGroups', { id: U.ouGroup, name: 'Hospitals', shortName: 'Hospitals', code: 'HOSP', organisationUnits: [ref(U.ouB)], created: ts, lastUpdated: ts }],
    ['dataElements', { id: U.deNum, name: 'Malaria cases', shortName: 'Malaria cases', code: 'MAL_CASES', valueType: 'INTEGER', domainType: 'AGGREGATE', aggregationType: 'SUM', zeroIsSignificant: true, categoryCombo: ref(U.ccSex), legendSets: [ref(U.legendSet)], created: ts, lastUpdated: ts, attributeValues: [{ attribute: ref(U.attr), value: 'L-NUM' }] }],
    ['dataElements', { id: U.deText, name: 'Remarks, free text', shortName: 'Remarks', code: 'REMARKS', valueType: 'TEXT', domainType: 'AGGREGATE', aggregationType: 'NONE', zeroIsSignificant: false, categoryCombo: ref(U.def.cc), commentOptionSet: ref(U.optionSet), created: ts, lastUpdated: ts, attributeValues: [{ attribute: ref(U.attr), value: 'L-TEXT' }] }],
    ['dataElements', { id: U.deOther, name: 'Other', shortName: 'Other', code: 'OTHER', valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM', zeroIsSignificant: false, categoryCombo: ref(U.def.cc), created: ts, lastUpdated: ts, attributeValues: [{ attribute: ref(U.attr), value: 'L-OTHER' }] }],
    ['dataElementGroups', { id: U.deg, name: 'Text elements', shortName: 'Text elements', code: 'TEXT_DE', dataElements: [ref(U.deText)], created: ts, lastUpdated: ts }],
    ['indicatorTypes', { id: U.indType, name: 'Per cent', factor: 100, number: false, created: ts, lastUpdated: ts }],
    ['indicators', { id: U.ind, name: 'Share male', shortName: 'Share male', code: 'SHARE_M', indicatorType: ref(U.indType), numerator: `#{${U.deNum}.${U.cocM}}`, denominator: `#{${U.deNum}}`, annualized: false, created: ts, lastUpdated: ts }],
    ['dataEntryForms', { id: U.form, name: 'Form 1', htmlCode: '<p>form &amp; "quotes"</p>', format: 2, created: ts, lastUpdated: ts }],
    ['dataSets', {
      id: U.ds1, name: 'Monthly report', shortName: 'Monthly', code: 'MONTHLY', periodType: 'Monthly', categoryCombo: ref(U.def.cc),
      dataSetElements: [{ dataSet: ref(U.ds1), dataElement: ref(U.deNum) }, { dataSet: ref(U.ds1), dataElement: ref(U.deText) }],
      indicators: [ref(U.ind)], dataEntryForm: ref(U.form), organisationUnits: [ref(U.ouA), ref(U.ouB), ref(U.ouA1)],
      publicAccess: 'rw------', sharing: { owner: 'UserAdmin01', public: 'rw------', external: false, users: {}, userGroups: {} },
      created: ts, lastUpdated: ts, attributeValues: [{ attribute: ref(U.attr), value: 'L-DS1' }],
    }],
    ['dataSets', {
      id: U.ds2, name: 'Mechanism report', shortName: 'Mechanism', code: 'MECH_REPORT', periodType: 'Monthly', categoryCombo: ref(U.ccMech),
      dataSetElements: [{ dataSet: ref(U.ds2), dataElement: ref(U.deNum) }], organisationUnits: [ref(U.ouA)], created: ts, lastUpdated: ts,
    }],
    ['sections', { id: U.section, name: 'Main', dataSet: ref(U.ds1), sortOrder: 1, dataElements: [ref(U.deNum)], greyedFields: [{ dataElement: ref(U.deNum), categoryOptionCombo: ref(U.cocF) }], created: ts, lastUpdated: ts }],
  ];
}

/** Writes the seed metadata with reference rows (refs found as {"id"} values anywhere in the object). */
export function seedMetadata(db: Db): void {
  const repo = new MetadataRepo(db);
  db.transaction(() => {
    const ids: [number, Record<string, unknown>][] = [];
    for (const [type, o] of seedObjects()) ids.push([repo.upsert(type, o).id, o]);
    for (const [id, o] of ids) {
      const refs: { toId: number; property: string }[] = [];
      const walk = (v: unknown, prop: string): void => {
        if (Array.isArray(v)) for (const x of v) walk(x, prop);
        else if (v && typeof v === 'object') {
          const r = v as Record<string, unknown>;
          if (typeof r.id === 'string' && Object.keys(r).length === 1) {
            const t = repo.findByUid(r.id)[0];
            if (t) refs.push({ toId: t.id, property: prop });
          } else for (const [k, x] of Object.entries(r)) walk(x, k);
        }
      };
      for (const [k, v] of Object.entries(o)) if (k !== 'id') walk(v, k);
      repo.setRefs(id, refs);
    }
    repo.rebuildOrgUnitPaths();
  })();
}

export const PERIODS: [string, string, string, string][] = [
  ['202401', 'Monthly', '2024-01-01', '2024-01-31'],
  ['202402', 'Monthly', '2024-02-01', '2024-02-29'],
  ['202403', 'Monthly', '2024-03-01', '2024-03-31'],
  ['2024Q1', 'Quarterly', '2024-01-01', '2024-03-31'],
  ['2023', 'Yearly', '2023-01-01', '2023-12-31'],
  ['2024W10', 'Weekly', '2024-03-04', '2024-03-10'],
];

export interface SeedValue {
  de: string;
  pe: string;
  ou: string;
  coc: string;
  aoc: string;
  value: string | null;
  storedBy?: string | null;
  comment?: string | null;
  followup?: boolean;
  deleted?: boolean;
  lastUpdated?: string;
  created?: string;
}

export function seedValues(): SeedValue[] {
  const d = U.def.coc;
  return [
    { de: U.deNum, pe: '202401', ou: U.ouA, coc: U.cocM, aoc: d, value: '12', storedBy: 'alice', comment: 'checked, ok', followup: true },
    { de: U.deNum, pe: '202401', ou: U.ouA, coc: U.cocF, aoc: d, value: '7', storedBy: 'alice' },
    { de: U.deNum, pe: '202402', ou: U.ouA1, coc: U.cocM, aoc: d, value: '3', storedBy: 'bob', comment: 'said "three"\nsecond line' },
    { de: U.deNum, pe: '202402', ou: U.ouB, coc: U.cocF, aoc: d, value: '0', storedBy: 'bob' },
    { de: U.deNum, pe: '202401', ou: U.ouA, coc: U.cocM, aoc: U.aocA, value: '40', storedBy: 'carol' },
    { de: U.deText, pe: '202401', ou: U.ouA, coc: d, aoc: d, value: 'Stock-out <24h> & "late"', storedBy: 'dave' },
    { de: U.deText, pe: '202403', ou: U.ouRoot, coc: d, aoc: d, value: 'Ünïcödé — ✓ 日本', storedBy: 'dave', lastUpdated: '2024-04-05T06:07:08.900Z' },
    { de: U.deText, pe: '202402', ou: U.ouB, coc: d, aoc: d, value: 'gone', storedBy: 'eve', deleted: true },
    { de: U.deOther, pe: '2023', ou: U.ouB, coc: d, aoc: d, value: '1.5', storedBy: 'frank' },
    { de: U.deOther, pe: '2024Q1', ou: U.ouA1, coc: d, aoc: d, value: '-2', storedBy: null, comment: 'tab\there' },
    { de: U.deOther, pe: '2024W10', ou: U.ouA, coc: d, aoc: d, value: '99', storedBy: 'gina' },
  ];
}

export function seedData(db: Db, values: SeedValue[] = seedValues()): void {
  const insP = db.prepare(`INSERT OR IGNORE INTO period (iso, type, start_date, end_date) VALUES (?, ?, ?, ?)`);
  const idOf = db.prepare(`SELECT id FROM metadata_object WHERE uid = ?`).pluck();
  const pe = db.prepare(`SELECT id FROM period WHERE iso = ?`).pluck();
  const ins = db.prepare(
    `INSERT INTO data_value (de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  db.transaction(() => {
    for (const p of PERIODS) insP.run(...p);
    for (const v of values)
      ins.run(idOf.get(v.de), pe.get(v.pe), idOf.get(v.ou), idOf.get(v.coc), idOf.get(v.aoc), v.value, v.storedBy ?? null,
        v.created ?? '2024-03-01T10:00:00.000Z', v.lastUpdated ?? '2024-03-02T11:00:00.000Z', v.comment ?? null, v.followup ? 1 : 0, v.deleted ? 1 : 0);
    adoptTextRows(db); // the texts as data_value_text ids, as an import stores them
  })();
}
