/**
 * Object bundle hooks of options (OptionObjectBundleHook), org units (OrganisationUnitObjectBundleHook), data sets
 * (DataSetObjectBundleHook) and data elements (DataElementObjectBundleHook), through the real metadata import service:
 * one test per code (message, uid, index, counts); atomic mode ALL writes nothing, NONE keeps the valid objects.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { invoke } from '../../src-main/ipc/register.ts';
import { useMetadataService } from '../helpers/metadata-service.ts';
import { tmpDir } from '../helpers/tmp.ts';

type Obj = Record<string, unknown>;
const svc = useMetadataService();
const NONE = { atomicMode: 'NONE' };

/** Imports a data value set through the same Ferry (the data value import service). */
async function importData(payload: Obj): Promise<void> {
  const file = path.join(tmpDir('ferry-dv-'), 'values.json');
  fs.writeFileSync(file, JSON.stringify(payload));
  const r = await invoke(svc.ferry.handlers, 'import:start', { files: [file], kind: 'data', options: {} });
  if (!r.ok) throw new Error(r.error.message);
  const job = await svc.ferry.jobs.wait((r.value as { jobId: number }).jobId);
  expect(job.summary).toMatchObject({ importCount: { imported: 1 } });
}

const set = (id: string, options: string[], valueType = 'TEXT'): Obj => ({ id, name: id, valueType, options: options.map((o) => ({ id: o })) });
const option = (id: string, name: string, code: string, setId = 'OptionSet01'): Obj => ({ id, name, code, optionSet: { id: setId } });
const ou = (id: string, extra: Obj = {}): Obj => ({ id, name: id, shortName: id, openingDate: '2020-01-01', ...extra });
const de = (id: string, extra: Obj = {}): Obj => ({ id, name: id, shortName: id, valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM', ...extra });

describe('options', () => {
  it('E4028: a stored option of the set has the same name or code (one error per such option, in the set\'s order)', async () => {
    await svc.run({ optionSets: [set('OptionSet01', ['OptionAaa01', 'OptionBbb01'])], options: [option('OptionAaa01', 'Yes', 'Y'), option('OptionBbb01', 'No', 'N')] });
    const r = await svc.run({ options: [option('OptionCcc01', 'Yes', 'N'), option('OptionAaa01', 'Yes', 'Y'), option('OptionDdd01', 'Maybe', 'M')] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.mainKlass, e.message])).toEqual([
      ['E4028', 0, 'OptionCcc01', 'org.hisp.dhis.option.OptionSet', 'Option set `OptionSet01` already contains option `OptionAaa01`'],
      ['E4028', 0, 'OptionCcc01', 'org.hisp.dhis.option.OptionSet', 'Option set `OptionSet01` already contains option `OptionBbb01`'],
    ]);
    expect(r.stats('Option')).toEqual({ created: 1, updated: 1, ignored: 1, total: 3 });
  });

  it('a new option set of the payload lists bare references: DHIS2 compares nothing (no E4028)', async () => {
    const r = await svc.run({
      optionSets: [set('OptionSet01', ['OptionAaa01', 'OptionBbb01'])],
      options: [option('OptionAaa01', 'Yes', 'Y'), option('OptionBbb01', 'Yes', 'N')],
    }, NONE);
    expect(r.errors.filter((e) => e.errorCode === 'E4028')).toEqual([]);
  });

  it('E4028 against a stored option set: a new option repeating a stored option\'s code', async () => {
    await svc.run({ optionSets: [set('OptionSet01', ['OptionAaa01'])], options: [option('OptionAaa01', 'Yes', 'Y')] });
    const r = await svc.run({ options: [option('OptionDdd01', 'Yes!', 'Y'), option('OptionEee01', 'Maybe', 'M')] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.args])).toEqual([['E4028', 'OptionDdd01', ['OptionSet01', 'OptionAaa01']]]);
    expect(svc.stored('OptionEee01')).toBeDefined();
    expect(svc.stored('OptionDdd01')).toBeUndefined();
  });

  it('E1118: a multi-text option set\'s option code with a comma', async () => {
    const r = await svc.run({
      optionSets: [set('OptionSet01', ['OptionAaa01', 'OptionBbb01'], 'MULTI_TEXT')],
      options: [option('OptionAaa01', 'A and B', 'A,B'), option('OptionBbb01', 'C', 'C')],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message])).toEqual([
      ['E1118', 'OptionAaa01', 'Option set `OptionSet01` of value type multi-text cannot have option codes with the separator character: `A,B`'],
    ]);
    expect(r.stats('Option')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
  });
});

describe('org units and data sets', () => {
  it('E4013: an org unit closed before it opened (dates as Java prints them)', async () => {
    const r = await svc.run({ organisationUnits: [ou('OrgUnitA001', { closedDate: '2019-06-15T13:05:00.000' }), ou('OrgUnitB001', { closedDate: '2021-01-01' })] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.message, e.args])).toEqual([
      ['E4013', 0, 'OrgUnitA001', 'Invalid closing date `6/15/19, 1:05 PM`, must be after opening date `1/1/20, 12:00 AM`',
        ['Sat Jun 15 13:05:00 UTC 2019', 'Wed Jan 01 00:00:00 UTC 2020']],
    ]);
    expect(r.stats('OrganisationUnit')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
  });

  it('E4013: a data input period that opens after it closes (one error per period)', async () => {
    const r = await svc.run({
      dataSets: [{
        id: 'DataSetA001', name: 'A', shortName: 'A', periodType: 'Monthly',
        dataInputPeriods: [
          { period: { id: '202001' }, openingDate: '2020-02-10', closingDate: '2020-02-01' },
          { period: { id: '202002' }, openingDate: '2020-03-01', closingDate: '2020-03-10' },
        ],
      }],
    });
    expect(r.report.status).toBe('ERROR');
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.mainKlass, e.message])).toEqual([
      ['E4013', 'DataSetA001', 'org.hisp.dhis.dataset.DataSet', 'Invalid closing date `2/1/20, 12:00 AM`, must be after opening date `2/10/20, 12:00 AM`'],
    ]);
    expect(svc.stored('DataSetA001')).toBeUndefined();
  });
});

describe('documents', () => {
  it('E4004: an external document whose url is not an http(s) URL', async () => {
    const doc = (id: string, url: string): Obj => ({ id, name: id, url, external: true });
    const r = await svc.run({ documents: [doc('DocumentA01', 'ftp://files.example.org/a.pdf'), doc('DocumentB01', 'https://example.org/b.pdf')] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.mainKlass, e.message])).toEqual([
      ['E4004', 0, 'DocumentA01', 'org.hisp.dhis.document.Document', 'Property `url` requires a valid URL, was given `ftp://files.example.org/a.pdf`'],
    ]);
    expect(r.stats('Document')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
  });

  it('E4000: a document without a url (the hook reports it, then SchemaCheck too, as in DHIS2)', async () => {
    const r = await svc.run({ documents: [{ id: 'DocumentA01', name: 'A', external: true }] });
    expect(r.errors.map((e) => [e.errorCode, e.message])).toEqual([
      ['E4000', 'Missing required property `url`'],
      ['E4000', 'Missing required property `url`'],
    ]);
    expect(r.report.status).toBe('ERROR');
  });
});

describe('data elements', () => {
  it('E4019: a field mask that is not a TextPattern TEXT segment', async () => {
    const r = await svc.run({ dataElements: [de('DataElemA01', { fieldMask: '"+' }), de('DataElemB01', { fieldMask: '999-999' })] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.message])).toEqual([
      ['E4019', 0, 'DataElemA01', 'Failed to parse pattern `"+` Not a valid TextPattern \'TEXT\' segment'],
    ]);
    expect(r.stats('DataElement')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
  });

  it('E1121: the value type of a data element with data values cannot change; one without data can', async () => {
    await svc.run({ dataElements: [de('DataElemA01'), de('DataElemB01')], organisationUnits: [ou('OrgUnitA001')] });
    await importData({ dataValues: [{ dataElement: 'DataElemA01', period: '202001', orgUnit: 'OrgUnitA001', value: '5' }] });
    const r = await svc.run({ dataElements: [de('DataElemA01', { valueType: 'TEXT' }), de('DataElemB01', { valueType: 'TEXT' })] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.message])).toEqual([
      ['E1121', 0, 'DataElemA01', 'Data element `DataElemA01` value type cannot be changed as it has associated data values'],
    ]);
    expect(r.stats('DataElement')).toEqual({ created: 0, updated: 1, ignored: 1, total: 2 });
    expect(svc.stored('DataElemA01')?.valueType).toBe('NUMBER');
    expect(svc.stored('DataElemB01')?.valueType).toBe('TEXT');
  });
});
