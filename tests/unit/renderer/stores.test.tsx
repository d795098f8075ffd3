/** The wizard stores with a fake Api: what is sent (DHIS2 option names) and how outcomes land in the state. */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setApi } from '../../../src-renderer/api.ts';
import { useDataImport, useMetadataImport } from '../../../src-renderer/stores/imports.ts';
import { useDataExport, useDependencyExport, useMetadataExport } from '../../../src-renderer/stores/exports.ts';
import { timeLeftMs, useJobs, subscribeEvents } from '../../../src-renderer/stores/jobs.ts';
import { formatChoices, importExtensions, useApp, visibleMenu } from '../../../src-renderer/stores/app.ts';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import { fakeApi, jobRecord } from './fake-api.ts';

const stat = (paths: string[]) => paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: p.includes('missing') ? null : 1000 }));

beforeEach(() => {
  // what App's load() fetches from formats:list
  useApp.setState({ formats: formatInfos() });
  useMetadataImport.getState().reset();
  useDataImport.getState().reset();
  useDataExport.getState().reset();
  useMetadataExport.getState().reset();
  useDependencyExport.getState().reset();
});
afterEach(() => setApi(null));

describe('metadata import store', () => {
  it('chooses a file, runs a dry run with DHIS2 option names, then imports', async () => {
    let nextId = 10;
    const api = fakeApi({
      'dialog:openFiles': () => ({ paths: ['/data/meta.json'] }),
      'files:stat': (r) => stat(r.paths),
      'import:start': () => ({ jobId: nextId++ }),
      'jobs:wait': (r) => jobRecord({ id: r.id, dryRun: r.id === 10, resultStatus: 'OK' }),
    });
    setApi(api);
    const s = useMetadataImport.getState();
    await s.chooseFiles();
    expect(useMetadataImport.getState().files).toEqual([{ path: '/data/meta.json', name: 'meta.json', size: 1000 }]);
    expect(api.callsTo('dialog:openFiles')[0]).toMatchObject({ multiple: false });

    useMetadataImport.getState().setOption('atomicMode', 'NONE');
    useMetadataImport.getState().setOption('identifier', 'CODE');
    const dry = await useMetadataImport.getState().start(true);
    expect(dry.phase).toBe('finished');
    expect(dry.record?.id).toBe(10);
    expect(api.callsTo('import:start')[0]).toEqual({
      files: ['/data/meta.json'],
      kind: 'metadata',
      format: undefined,
      options: { dryRun: true, importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'NONE', identifier: 'CODE', skipValidation: false },
    });
    expect(useMetadataImport.getState().lastDryRun).toBe(true);

    await useMetadataImport.getState().start(false);
    expect((api.callsTo('import:start')[1] as { options: { dryRun: boolean } }).options.dryRun).toBe(false);
    expect(useMetadataImport.getState().run.record?.id).toBe(11);
  });

  it('keeps the engine error in plain words when a job cannot start', async () => {
    setApi(
      fakeApi({
        'import:start': () => {
          throw Object.assign(new Error('district.json: the file does not exist or cannot be read'), { code: 'FILE_NOT_FOUND', details: { file: 'district.json' } });
        },
      }),
    );
    useMetadataImport.setState({ files: [{ path: '/x/district.json', name: 'district.json', size: 1 }] });
    const r = await useMetadataImport.getState().start(true);
    expect(r.error).toBe('district.json: the file does not exist or cannot be read');
  });

  it('says which chosen file cannot be read', async () => {
    setApi(fakeApi({ 'files:stat': (r) => stat(r.paths) }));
    await useMetadataImport.getState().addPaths(['/x/missing.json']);
    expect(useMetadataImport.getState().files).toEqual([]);
    expect(useMetadataImport.getState().fileError).toBe('This file cannot be read: missing.json');
  });
});

describe('data import store', () => {
  it('takes several files, removes one, and sends only the id schemes that were set', async () => {
    const api = fakeApi({
      'files:stat': (r) => stat(r.paths),
      'import:start': () => ({ jobId: 3 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'data' }),
    });
    setApi(api);
    await useDataImport.getState().addPaths(['/d/a.json', '/d/b.csv', '/d/c.xml']);
    await useDataImport.getState().addPaths(['/d/a.json']); // no duplicates
    useDataImport.getState().removeFile(2);
    expect(useDataImport.getState().files.map((f) => f.name)).toEqual(['a.json', 'b.csv']);
    useDataImport.getState().setOption('orgUnitIdScheme', 'CODE');
    useDataImport.getState().setOption('strictPeriods', true);
    await useDataImport.getState().start(true);
    const req = api.callsTo('import:start')[0] as { kind: string; files: string[]; options: Record<string, unknown> };
    expect(req.kind).toBe('data');
    expect(req.files).toEqual(['/d/a.json', '/d/b.csv']);
    expect(req.options).toMatchObject({ dryRun: true, idScheme: 'UID', orgUnitIdScheme: 'CODE', strictPeriods: true });
    // the first CSV row is left to the engine (it detects a header by its column names) unless the user chose
    expect(req.options).not.toHaveProperty('firstRowIsHeader');
    expect(req.options).not.toHaveProperty('dataElementIdScheme');
    expect(req.options).not.toHaveProperty('categoryOptionComboIdScheme');
  });

  it('sends firstRowIsHeader only when the user chose how to read the first CSV row', async () => {
    const api = fakeApi({
      'files:stat': (r) => stat(r.paths),
      'import:start': () => ({ jobId: 4 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'data' }),
    });
    setApi(api);
    useDataImport.getState().reset();
    await useDataImport.getState().addPaths(['/d/nohead.csv']);
    useDataImport.getState().setOption('firstRowIsHeader', 'data');
    await useDataImport.getState().start(true);
    useDataImport.getState().setOption('firstRowIsHeader', 'header');
    await useDataImport.getState().start(true);
    const sent = api.callsTo('import:start').map((r) => (r as { options: Record<string, unknown> }).options.firstRowIsHeader);
    expect(sent).toEqual([false, true]);
  });

  it('cancels the running job', async () => {
    let release: (() => void) | null = null;
    const api = fakeApi({
      'import:start': () => ({ jobId: 5 }),
      'jobs:wait': (r) => new Promise((res) => (release = () => res(jobRecord({ id: r.id, status: 'cancelled', kind: 'data' })))),
      'jobs:cancel': () => ({ cancelled: true }),
    });
    setApi(api);
    useDataImport.setState({ files: [{ path: '/d/a.json', name: 'a.json', size: 1 }] });
    const done = useDataImport.getState().start(false);
    await new Promise((r) => setTimeout(r, 0));
    expect(useDataImport.getState().run.jobId).toBe(5);
    await useDataImport.getState().cancel();
    expect(api.callsTo('jobs:cancel')).toEqual([{ id: 5 }]);
    expect(useDataImport.getState().run.cancelling).toBe(true);
    release!();
    await done;
    expect(useDataImport.getState().run.record?.status).toBe('cancelled');
  });
});

describe('run again (job overview → wizard)', () => {
  it('prefills the files and the known options, dry run first', () => {
    useDataImport.getState().prefill([{ path: '/d/a.csv', name: 'a.csv', size: 10 }], {
      dryRun: false,
      importStrategy: 'UPDATE',
      orgUnitIdScheme: 'CODE',
      strictPeriods: true,
      firstRowIsHeader: false,
      storedBy: 'someone',
      skipExistingCheck: 'yes',
    });
    const s = useDataImport.getState();
    expect(s.step).toBe('options');
    expect(s.files.map((f) => f.path)).toEqual(['/d/a.csv']);
    expect(s.options).toMatchObject({ dryRun: true, importStrategy: 'UPDATE', orgUnitIdScheme: 'CODE', strictPeriods: true, firstRowIsHeader: 'data', skipExistingCheck: false });
    expect(s.options).not.toHaveProperty('storedBy');
  });
});

describe('export stores', () => {
  it('data export sends DHIS2 names and suggests ferry-data-<orgunit>-<from>-<to>.<fmt>.zip', async () => {
    const api = fakeApi({
      'dialog:saveFile': () => ({ path: '/out/x.json.zip' }),
      'export:start': () => ({ jobId: 7 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, direction: 'export', kind: 'data' }),
    });
    setApi(api);
    const s = useDataExport.getState();
    s.patchOptions({
      orgUnits: [
        { id: 'OuBo0000001', name: 'Bo District', mode: 'DESCENDANTS' },
        { id: 'OuKenema001', name: 'Kenema', mode: 'SELECTED' },
      ],
      dataSets: [{ id: 'DsAnc000001', name: 'ANC' }],
      startDate: '2024-01-01',
      endDate: '2024-03-31',
      lastUpdated: '2024-02-01',
      dataElementIdScheme: 'CODE',
    });
    expect(useDataExport.getState().defaultName()).toBe('ferry-data-Bo-District-and-1-more-2024-01-01-2024-03-31.json.zip');
    expect(await useDataExport.getState().start()).toBe(true);
    expect(api.callsTo('dialog:saveFile')[0]).toMatchObject({ defaultName: 'ferry-data-Bo-District-and-1-more-2024-01-01-2024-03-31.json.zip' });
    expect(api.callsTo('export:start')[0]).toEqual({
      kind: 'data',
      out: '/out/x.json.zip',
      format: 'json',
      compression: 'zip',
      options: {
        orgUnit: ['OuBo0000001', 'OuKenema001'],
        orgUnits: [
          { id: 'OuBo0000001', mode: 'DESCENDANTS' },
          { id: 'OuKenema001', mode: 'SELECTED' },
        ],
        dataSet: ['DsAnc000001'],
        startDate: '2024-01-01',
        endDate: '2024-03-31',
        includeDeleted: false,
        lastUpdated: '2024-02-01',
        idScheme: 'UID',
        dataElementIdScheme: 'CODE',
        orgUnitIdScheme: 'UID',
        categoryOptionComboIdScheme: 'UID',
      },
    });
  });

  it('data export refuses to start without org units, and does nothing when the save dialog is closed', async () => {
    const api = fakeApi({ 'dialog:saveFile': () => ({ path: null }) });
    setApi(api);
    expect(await useDataExport.getState().start()).toBe(false);
    expect(useDataExport.getState().formError).toBe('Choose at least one organisation unit.');
    useDataExport.getState().patchOptions({ orgUnits: [{ id: 'a', name: 'A', mode: 'SELECTED' }], dataSets: [{ id: 'd', name: 'D' }] });
    expect(await useDataExport.getState().start()).toBe(false);
    expect(api.callsTo('export:start')).toEqual([]);
    expect(useDataExport.getState().step).toBe('edit');
  });

  it('metadata and dependency exports name their files and options like DHIS2', () => {
    useMetadataExport.getState().setCompression('gzip');
    expect(useMetadataExport.getState().defaultName()).toMatch(/^ferry-metadata-\d{4}-\d\d-\d\d\.json\.gz$/);
    useDependencyExport.getState().patchOptions({ uid: 'DsAnc000001', name: 'ANC monthly' });
    expect(useDependencyExport.getState().defaultName()).toMatch(/^ferry-dataSets-ANC-monthly-\d{4}-\d\d-\d\d\.json\.zip$/);
    useDataExport.getState().patchOptions({ orgUnits: [{ id: 'x', name: 'Kailahun – Ñgiya', mode: 'SELECTED' }], startDate: '2024-01-01', endDate: '2024-01-31' });
    useDataExport.getState().setFormat('adx');
    useDataExport.getState().setCompression('none');
    expect(useDataExport.getState().defaultName()).toBe('ferry-data-Kailahun-Ñgiya-2024-01-01-2024-01-31.adx.xml');
  });
});

describe('jobs store', () => {
  it('keeps live progress per job and estimates time left', () => {
    const api = fakeApi({});
    setApi(api);
    const off = subscribeEvents();
    api.emit('job:progress', { jobId: 4, stage: 'reading', done: 25, total: 100, unit: 'bytes', records: 500, fileIndex: 0, fileName: 'a.json', elapsedMs: 1000 });
    const p = useJobs.getState().progress[4]!;
    expect(p.records).toBe(500);
    expect(timeLeftMs(p)).toBe(3000);
    expect(timeLeftMs({ ...p, total: null })).toBeNull();
    off();
  });

  it('the menu lists only capabilities that exist (and always the job overview)', () => {
    expect(visibleMenu(['import:metadata', 'export:data']).map((m) => m.label)).toEqual(['Metadata import', 'Data export', 'Job overview']);
  });
});

describe('format pickers come from the format registry', () => {
  it('offers the formats that read or write each kind, and their extensions to the open dialog', async () => {
    const f = formatInfos();
    expect(formatChoices(f, 'data', 'reads').map((c) => c.value)).toEqual(['json', 'xml', 'csv', 'adx', 'pdf']);
    expect(formatChoices(f, 'data', 'writes').map((c) => c.value)).toEqual(['json', 'xml', 'csv', 'adx', 'xlsx']);
    expect(formatChoices(f, 'metadata', 'writes').map((c) => c.value)).toEqual(['json', 'xml', 'xlsx']);
    expect(importExtensions(f, 'metadata')).toEqual(['json', 'xml', 'gz', 'zip']);
    const a = fakeApi({ 'dialog:openFiles': () => ({ paths: [] }) });
    setApi(a);
    await useDataImport.getState().chooseFiles();
    expect(a.callsTo('dialog:openFiles')).toEqual([expect.objectContaining({ extensions: ['json', 'xml', 'csv', 'pdf', 'gz', 'zip'] })]);
  });
});
