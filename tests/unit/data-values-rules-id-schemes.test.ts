/**
 * The default category option combo under id schemes, as DHIS2 2.42 resolves it (DefaultDataValueSetService
 * .createDataValueContext: `trimToNull(id)` looked up through CategoryOptionComboAclCallable with the
 * categoryOptionComboIdScheme for both the COC and the AOC; a null id falls back to the default combo in
 * DataValueSetImportValidator.checkDataValueCategoryOptionCombo / checkDataValueAttrOptionCombo). DHIS2 creates the
 * default combo with UID HllvX50cXC0, code "default" and name "default" (DefaultCategoryService.generateDefaultDimension),
 * so a file names it by whatever the scheme reads, or leaves it out.
 */
import { describe, expect, it } from 'vitest';
import { storedValues, useDataSite, writeFile } from './importers/data-values/helpers.ts';

const site = useDataSite();
const { csv, imp } = site;
const combos = () => storedValues(site.ferry.db).map((v) => [v.period, v.categoryOptionCombo, v.attributeOptionCombo]);
const D = 'HllvX50cXC0';

describe('the default category option combo under id schemes', () => {
  it('CODE: "default" names it, a blank or absent one is it, its UID is not a code (E7613 / E7615)', async () => {
    const s = await imp(
      csv(
        'code.csv',
        'DE_INT,202401,OU_A,default,default,1,,,,,',
        'DE_INT,202402,OU_A,,,2,,,,,',
        `DE_INT,202403,OU_A,${D},,3,,,,,`,
        `DE_INT,202404,OU_A,default,${D},4,,,,,`,
        'DE_NUM,202405,OU_A,COC_M,default,5,,,,,',
      ),
      { idScheme: 'CODE' },
    );
    expect(s.importCount).toEqual({ imported: 3, updated: 0, ignored: 2, deleted: 0 });
    expect(s.conflicts.map((c) => [c.errorCode, c.indexes, c.value])).toEqual([
      ['E7613', [2], `Category option combo not found or not accessible for writing data: \`${D}\``],
      ['E7615', [3], `Attribute option combo not found or not accessible for writing data: \`${D}\``],
    ]);
    expect(combos()).toEqual([['202401', D, D], ['202402', D, D], ['202405', 'CocMale0001', D]]);
  });

  it('NAME: "default" names it', async () => {
    const s = await imp(csv('name.csv', 'Integer,202401,Clinic A,default,default,1,,,,,', 'Number,202402,Clinic A,Female,default,2,,,,,'), { idScheme: 'NAME' });
    expect([s.importCount.imported, s.conflicts]).toEqual([2, []]);
    expect(combos()).toEqual([['202401', D, D], ['202402', 'CocFemale01', D]]);
  });

  it('UID: "default" is no UID (E7613); categoryOptionComboIdScheme CODE alone reads it for both combos', async () => {
    const u = await imp(csv('uid.csv', 'DeInteger01,202401,OuClinicA01,default,,1,,,,,'));
    expect(u.conflicts.map((c) => [c.errorCode, c.object])).toEqual([['E7613', 'default']]);
    const c = await imp(csv('coc.csv', 'DeInteger01,202402,OuClinicA01,default,default,2,,,,,'), { categoryOptionComboIdScheme: 'CODE' });
    expect([c.importCount.imported, c.conflicts]).toEqual([1, []]);
  });

  it('JSON/XML: an empty or blank combo id is none (the default combo), in the rows and the root', async () => {
    const json = writeFile(site.dir, 'blank.json', JSON.stringify({
      attributeOptionCombo: ' ',
      dataValues: [
        { dataElement: 'DeInteger01', period: '202401', orgUnit: 'OuClinicA01', categoryOptionCombo: '', attributeOptionCombo: '  ', value: '1' },
        { dataElement: ' DeInteger01 ', period: '202402', orgUnit: ' OuClinicA01', categoryOptionCombo: ` ${D} `, value: '2' },
      ],
    }));
    const s = await imp(json);
    expect([s.status, s.importCount.imported, s.conflicts]).toEqual(['SUCCESS', 2, []]);
    const xml = writeFile(site.dir, 'root.xml', `<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" idScheme="CODE" attributeOptionCombo="default">
  <dataValue dataElement="DE_INT" period="202403" orgUnit="OU_A" categoryOptionCombo="default" value="3"/>
</dataValueSet>`);
    const x = await imp(xml);
    expect([x.status, x.importCount.imported]).toEqual(['SUCCESS', 1]);
    expect(combos()).toEqual([['202401', D, D], ['202402', D, D], ['202403', D, D]]);
  });
});
