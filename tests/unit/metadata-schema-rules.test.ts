/**
 * DHIS2's DefaultSchemaValidator rules beyond required/length (E4002, E4003, E4006, E4007, E4008: dhis2-core master's
 * @PropertyRange and EMAIL/COLOR property types) and TranslationsCheck (E1107, E1106, E4000), through the real metadata
 * import service: per code the message, uid, class and counts; atomic mode ALL writes nothing, NONE keeps the valid
 * objects.
 */
import { describe, expect, it } from 'vitest';
import { useMetadataService } from '../helpers/metadata-service.ts';

type Obj = Record<string, unknown>;
const svc = useMetadataService();
const NONE = { atomicMode: 'NONE' };
const ALL = { atomicMode: 'ALL' };
const P = 'org.hisp.dhis.';

const de = (id: string, extra: Obj = {}): Obj => ({ id, name: id, shortName: id, valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM', ...extra });
const ou = (id: string, extra: Obj = {}): Obj => ({ id, name: id, shortName: id, openingDate: '2020-01-01', ...extra });
const tr = (property: string, locale: string, value: string): Obj => ({ property, locale, value });

interface Case {
  title: string;
  type: string;
  simple: string;
  payload: Obj;
  /** [code, uid, mainKlass, errorProperty, message, args] */
  errors: [string, string, string, string | undefined, string, string[]][];
  good: string;
  bad: string;
}

const CASES: Case[] = [
  {
    title: 'E4002: a data element form name shorter than its range (DataElement.getFormName @PropertyRange(min = 2))',
    type: 'dataElements', simple: 'DataElement', good: 'DeGood00001', bad: 'DeBad000001',
    payload: { dataElements: [de('DeGood00001', { formName: 'Ok' }), de('DeBad000001', { formName: 'X' })] },
    errors: [['E4002', 'DeBad000001', P + 'dataelement.DataElement', 'formName', 'Allowed length range for property `formName` is [2 to 230], but given length was 1', ['formName', '2.0', '230.0', '1']]],
  },
  {
    title: 'E4002: a uid shorter than 11 (BaseIdentifiableObject.getUid @PropertyRange(min = 11, max = 11)), before UidFormatCheck',
    type: 'dataElements', simple: 'DataElement', good: 'DeGood00001', bad: 'DeShort',
    payload: { dataElements: [de('DeGood00001'), de('DeShort')] },
    errors: [['E4002', 'DeShort', P + 'dataelement.DataElement', 'id', 'Allowed length range for property `id` is [11 to 11], but given length was 7', ['id', '11.0', '11.0', '7']]],
  },
  {
    title: 'E4002: a program stage label of one character (ProgramStage.getEventLabel @PropertyRange(min = 2), 255 long)',
    type: 'programStages', simple: 'ProgramStage', good: 'PsGood00001', bad: 'PsBad000001',
    payload: {
      programs: [{ id: 'ProgramA001', name: 'P', shortName: 'P', programType: 'WITHOUT_REGISTRATION', programStages: [{ id: 'PsGood00001' }, { id: 'PsBad000001' }] }],
      programStages: [
        { id: 'PsGood00001', name: 'Good', eventLabel: 'Visit', program: { id: 'ProgramA001' } },
        { id: 'PsBad000001', name: 'Bad', eventLabel: 'V', program: { id: 'ProgramA001' } },
      ],
    },
    errors: [['E4002', 'PsBad000001', P + 'program.ProgramStage', 'eventLabel', 'Allowed length range for property `eventLabel` is [2 to 255], but given length was 1', ['eventLabel', '2.0', '255.0', '1']]],
  },
  {
    title: 'E4003: an org unit e-mail that is not an e-mail address (OrganisationUnit.getEmail PropertyType.EMAIL)',
    type: 'organisationUnits', simple: 'OrganisationUnit', good: 'OuGood00001', bad: 'OuBad000001',
    payload: { organisationUnits: [ou('OuGood00001', { email: 'clinic@example.org' }), ou('OuBad000001', { email: 'clinic at example' })] },
    errors: [['E4003', 'OuBad000001', P + 'organisationunit.OrganisationUnit', 'email', 'Property `email` requires a valid email address, was given `clinic at example`', ['email', 'clinic at example']]],
  },
  {
    title: 'E4006: a map view colour that is not a hex colour (MapView.getColorLow PropertyType.COLOR, reported on the Map)',
    type: 'maps', simple: 'Map', good: 'MapGood0001', bad: 'MapBad00001',
    payload: {
      maps: [
        { id: 'MapGood0001', name: 'Good', mapViews: [{ id: 'MvGood00001', layer: 'thematic', colorLow: '#fff', colorHigh: '#00ff00' }] },
        { id: 'MapBad00001', name: 'Bad', mapViews: [{ id: 'MvBad000001', layer: 'thematic', colorLow: 'red', colorHigh: '#00ff00' }] },
      ],
    },
    errors: [['E4006', 'MapBad00001', P + 'mapping.Map', 'colorLow', 'Property `colorLow` requires a valid HEX color, was given `red`', ['colorLow', 'red']]],
  },
  {
    title: 'E4007: a visualization with more raw periods than ten years of days (BaseAnalyticalObject.getRawPeriods)',
    type: 'visualizations', simple: 'Visualization', good: 'VisGood0001', bad: 'VisBad00001',
    payload: {
      visualizations: [
        { id: 'VisGood0001', name: 'Good', type: 'COLUMN', rawPeriods: ['LAST_12_MONTHS'] },
        { id: 'VisBad00001', name: 'Bad', type: 'COLUMN', rawPeriods: Array.from({ length: 3651 }, (_, i) => `2020${String(i).padStart(4, '0')}`) },
      ],
    },
    errors: [['E4007', 'VisBad00001', P + 'visualization.Visualization', 'rawPeriods', 'Allowed size range for collection property `rawPeriods` is [0 to 3,650], but size given was 3651', ['rawPeriods', '0.0', '3650.0', '3651']]],
  },
  {
    title: 'E4008: an org unit level above 999 (OrganisationUnitLevel.getLevel @PropertyRange(min = 1, max = 999))',
    type: 'organisationUnitLevels', simple: 'OrganisationUnitLevel', good: 'OulGood0001', bad: 'OulBad00001',
    payload: { organisationUnitLevels: [{ id: 'OulGood0001', name: 'Good', level: 3 }, { id: 'OulBad00001', name: 'Bad', level: 1000 }] },
    errors: [['E4008', 'OulBad00001', P + 'organisationunit.OrganisationUnitLevel', 'level', 'Allowed range for numeric property `level` is [1 to 999], but number given was 1,000', ['level', '1.0', '999.0', '1000']]],
  },
  {
    title: 'E4008: a map longitude outside [-180, 180] (Map.getLongitude, a Double)',
    type: 'maps', simple: 'Map', good: 'MapGood0001', bad: 'MapBad00001',
    payload: { maps: [{ id: 'MapGood0001', name: 'Good', longitude: -12.5, latitude: 8 }, { id: 'MapBad00001', name: 'Bad', longitude: 200, latitude: 8 }] },
    errors: [['E4008', 'MapBad00001', P + 'mapping.Map', 'longitude', 'Allowed range for numeric property `longitude` is [-180 to 180], but number given was 200', ['longitude', '-180.0', '180.0', '200.0']]],
  },
  {
    title: 'E1106: two translations of one property and locale with different values (an exact copy is no error)',
    type: 'dataElements', simple: 'DataElement', good: 'DeGood00001', bad: 'DeBad000001',
    payload: {
      dataElements: [
        de('DeGood00001', { translations: [tr('NAME', 'fr', 'Bon'), tr('NAME', 'fr', 'Bon'), tr('NAME', 'pt', 'Bom')] }),
        de('DeBad000001', { translations: [tr('NAME', 'fr', 'Mauvais'), tr('SHORT_NAME', 'fr', 'M'), tr('NAME', 'fr', 'Mal')] }),
      ],
    },
    errors: [['E1106', 'DeBad000001', P + 'translation.Translation', undefined, 'There are duplicate translation records for property `NAME` and locale `fr` on DataElement `DeBad000001`', ['NAME', 'fr', 'DataElement', 'DeBad000001']]],
  },
  {
    title: 'E4000: a translation without a value (TranslationsCheck: locale, else property, else value)',
    type: 'dataElements', simple: 'DataElement', good: 'DeGood00001', bad: 'DeBad000001',
    payload: {
      dataElements: [
        de('DeGood00001', { translations: [tr('NAME', 'fr', 'Bon')] }),
        de('DeBad000001', { translations: [{ property: 'NAME', locale: 'fr' }, { property: 'NAME', value: 'x' }] }),
      ],
    },
    errors: [
      ['E4000', 'DeBad000001', P + 'translation.Translation', 'value', 'Missing required property `value`', ['value']],
      ['E4000', 'DeBad000001', P + 'translation.Translation', 'locale', 'Missing required property `locale`', ['locale']],
    ],
  },
];

describe('SchemaCheck ranges and property types, TranslationsCheck', () => {
  for (const c of CASES) {
    it(`${c.title} — NONE keeps the valid object`, async () => {
      const r = await svc.run(c.payload, NONE);
      expect(r.report.status).toBe('WARNING');
      expect(r.errors.map((e) => [e.errorCode, e.uid, e.mainKlass, e.errorProperty, e.message, e.args])).toEqual(c.errors);
      expect(r.stats(c.simple)).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
      expect(svc.stored(c.good)).toBeDefined();
      expect(svc.stored(c.bad)).toBeUndefined();
    });
    it(`${c.title} — ALL writes nothing`, async () => {
      const r = await svc.run(c.payload, ALL);
      expect(r.report.status).toBe('ERROR');
      expect(r.errors.map((e) => [e.errorCode, e.uid])).toEqual(c.errors.map((e) => [e[0], e[1]]));
      expect(r.stats(c.simple)).toEqual({ created: 0, updated: 0, ignored: 2, total: 2 });
      expect(svc.count(c.type)).toBe(0);
    });
  }

  it('E1107: translations on a type that is not translatable (SqlView): reported, the object kept (DHIS2 does not remove it)', async () => {
    const payload = {
      sqlViews: [
        { id: 'SqlViewA001', name: 'A', sqlQuery: 'select 1', translations: [tr('NAME', 'fr', 'Un')] },
        { id: 'SqlViewB001', name: 'B', sqlQuery: 'select 2' },
      ],
    };
    const none = await svc.run(payload, NONE);
    expect(none.errors.map((e) => [e.errorCode, e.uid, e.mainKlass, e.errorKlass, e.message, e.args])).toEqual([
      ['E1107', 'SqlViewA001', P + 'translation.Translation', P + 'sqlview.SqlView', 'Object type `SqlView` is not translatable', ['SqlView']],
    ]);
    expect(none.stats('SqlView')).toMatchObject({ created: 2, total: 2 });
    expect(svc.stored('SqlViewA001')).toBeDefined();
  });

  it('E1107 under ALL: the error fails the import, nothing written', async () => {
    const r = await svc.run({ sqlViews: [{ id: 'SqlViewA001', name: 'A', sqlQuery: 'select 1', translations: [tr('NAME', 'fr', 'Un')] }] }, ALL);
    expect(r.report.status).toBe('ERROR');
    expect(r.errors.map((e) => e.errorCode)).toEqual(['E1107']);
    expect(svc.count('sqlViews')).toBe(0);
  });

  it('an empty string and values inside the ranges raise nothing', async () => {
    const r = await svc.run({
      dataElements: [de('DeGood00001', { formName: '', translations: [] })],
      organisationUnits: [ou('OuGood00001', { email: '' })],
      organisationUnitLevels: [{ id: 'OulGood0001', name: 'L1', level: 1 }, { id: 'OulGood0002', name: 'L999', level: 999 }],
      maps: [{ id: 'MapGood0001', name: 'M', longitude: 180, latitude: -90 }],
    }, ALL);
    expect(r.errors).toEqual([]);
    expect(r.report.status).toBe('OK');
  });
});
