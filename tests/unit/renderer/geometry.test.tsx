/** The geometry wizard: its store sends DHIS2's parameter names, the screen draws the dry run's map preview. */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { GEOMETRY_DEFAULTS, geometryRequest, useGeometryImport } from '../../../src-renderer/stores/geometry.ts';
import { useApp, visibleMenu } from '../../../src-renderer/stores/app.ts';
import { GeometryImportScreen } from '../../../src-renderer/screens/geometry-import/GeometryImportScreen.tsx';
import { MapPreview, suspicious } from '../../../src-renderer/components/MapPreview.tsx';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import type { GeometryImportSummary, GeometryPreview } from '../../../src-shared/dhis2/geometry.ts';
import { fakeApi, jobRecord } from './fake-api.ts';

const square = (x: number, y: number, d = 0.5) => ({ type: 'Polygon' as const, coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });

const PREVIEW: GeometryPreview = {
  changes: [
    { index: 0, line: 3, uid: 'BoDistrict1', name: 'Bo', parent: 'Country0001', current: square(-12, 7.5), next: square(-11.9, 7.6), points: 5 },
    { index: 1, line: 4, uid: 'Kenema00001', name: 'Kenema', parent: 'Country0001', current: { type: 'Point', coordinates: [-11.2, 7.9] }, next: { type: 'Point', coordinates: [7.9, -11.2] }, points: 1 },
  ],
  unmatched: [{ index: 2, line: 5, identifier: 'Nowhere', errorCode: 'E7708', reason: 'GeoJSON target organisation unit does not exist', geometry: { type: 'Point', coordinates: [-12, 8] } }],
  parents: [{ uid: 'Country0001', name: 'Sierra Leone', geometry: square(-13.5, 6.9, 3.3) }],
  moreChanges: 0,
  moreUnmatched: 0,
  bbox: [-13.5, -11.2, 7.9, 10.2],
};

beforeEach(() => {
  useApp.setState({ formats: formatInfos(), capabilities: ['import:geometry'] });
  useGeometryImport.getState().reset();
});
afterEach(() => {
  cleanup();
  setApi(null);
});

describe('geometry store', () => {
  it('sends the feature id by default, the property options for GeoJSON, atomicMode for GML, the attribute when chosen', () => {
    expect(geometryRequest(GEOMETRY_DEFAULTS, 'auto')).toEqual({ dryRun: true, atomicMode: 'ALL' });
    const o = { ...GEOMETRY_DEFAULTS, matchBy: 'property' as const, geoJsonProperty: ' code ', orgUnitProperty: 'CODE' as const, asAttribute: true, attributeId: 'GeoAttr0001' };
    expect(geometryRequest(o, 'geojson')).toEqual({ dryRun: true, geoJsonId: false, geoJsonProperty: 'code', orgUnitProperty: 'CODE', attributeId: 'GeoAttr0001' });
    expect(geometryRequest(o, 'gml')).toEqual({ dryRun: true, attributeId: 'GeoAttr0001', atomicMode: 'ALL' });
  });

  it('runs the dry run as kind geometry and keeps the summary with its preview', async () => {
    const summary: GeometryImportSummary = {
      responseType: 'ImportSummary', status: 'WARNING', description: 'Import partially successful.', importCount: { imported: 1, updated: 1, ignored: 1, deleted: 0 },
      conflicts: [], rejectedIndexes: [], totalConflictOccurrenceCount: 1, preview: PREVIEW,
    };
    const api = fakeApi({
      'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 10 })),
      'import:start': () => ({ jobId: 7 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'geometry', dryRun: true, resultStatus: 'WARNING', summary }),
    });
    setApi(api);
    await useGeometryImport.getState().addPaths(['/gis/districts.geojson']);
    useGeometryImport.getState().setOption('matchBy', 'property');
    const run = await useGeometryImport.getState().start(true);
    expect(api.callsTo('import:start')[0]).toEqual({
      files: ['/gis/districts.geojson'],
      kind: 'geometry',
      format: undefined,
      options: { dryRun: true, geoJsonId: false, geoJsonProperty: 'name', orgUnitProperty: 'NAME', atomicMode: 'ALL' },
    });
    expect((run.record?.summary as GeometryImportSummary).preview?.changes).toHaveLength(2);
  });

  it('is on the menu under Import when the engine has import:geometry', () => {
    expect(visibleMenu(['import:geometry']).some((m) => m.screen === 'import-geometry' && m.group === 'Import')).toBe(true);
    expect(visibleMenu([]).some((m) => m.screen === 'import-geometry')).toBe(false);
  });
});

describe('map preview', () => {
  it('draws parents, current and new geometries and the unmatched features, with the counts', () => {
    const { container } = render(<MapPreview preview={PREVIEW} />);
    expect(container.querySelectorAll('[data-test="map-parent"]')).toHaveLength(1);
    expect(container.querySelectorAll('[data-test="map-current"]')).toHaveLength(2);
    expect(container.querySelectorAll('[data-test="map-next"]')).toHaveLength(2);
    expect(container.querySelectorAll('[data-test="map-unmatched"]')).toHaveLength(1);
    expect(container.querySelector('[data-test="map-count-changes"]')!.textContent).toBe('2');
    expect(container.querySelector('[data-test="map-count-unmatched"]')!.textContent).toBe('1');
    expect(container.querySelector('[data-test="map-unmatched"] title')!.textContent).toBe('Feature 2 Nowhere: GeoJSON target organisation unit does not exist');
    const path = container.querySelector('path[data-test="map-next"]')!.getAttribute('d')!;
    expect(path).toMatch(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+){4}Z$/);
  });

  it('flags a swapped axis: the point that moved far and left its parent', () => {
    const odd = suspicious(PREVIEW);
    expect(odd.moved.map((c) => c.uid)).toEqual(['Kenema00001']);
    expect(odd.outsideParent.map((c) => c.uid)).toEqual(['Kenema00001']);
    const { container } = render(<MapPreview preview={PREVIEW} />);
    expect(container.querySelector('[data-test="map-suspicious"]')!.textContent).toContain('1 org unit would move more than about 50 km');
  });
});

describe('geometry screen', () => {
  it('offers GeoJSON matching options, and shows the map above the summary after the dry run', async () => {
    const summary: GeometryImportSummary = {
      responseType: 'ImportSummary', status: 'WARNING', description: 'Import partially successful.', importCount: { imported: 1, updated: 1, ignored: 1, deleted: 0 },
      conflicts: [{ object: 'd.geojson', objects: {}, value: 'GeoJSON target organisation unit does not exist', errorCode: 'E7708', property: '', indexes: [2], lines: [5] }],
      rejectedIndexes: [], totalConflictOccurrenceCount: 1, preview: PREVIEW,
    };
    setApi(
      fakeApi({
        'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 10 })),
        'import:start': () => ({ jobId: 3 }),
        'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'geometry', dryRun: true, resultStatus: 'WARNING', summary }),
      }),
    );
    await useGeometryImport.getState().addPaths(['/gis/d.geojson']);
    useGeometryImport.getState().setStep('options');
    const { container } = render(<GeometryImportScreen />);
    fireEvent.click(screen.getByLabelText('A feature property'));
    expect(screen.getByLabelText('Feature property')).toHaveProperty('value', 'name');
    fireEvent.click(container.querySelector('[data-test="start"]')!);
    await waitFor(() => expect(container.querySelector('[data-test="map-preview"]')).not.toBeNull());
    expect(container.querySelector('[data-test="summary-card"]')!.textContent).toContain('Import partially successful');
  });

  it('a GML dry run that fails as a whole (atomic ALL) says why importing would change nothing, and offers no Import', async () => {
    const report = {
      responseType: 'ImportReport' as const, status: 'ERROR' as const, stats: { created: 0, updated: 0, deleted: 0, ignored: 3, total: 3 },
      typeReports: [{ klass: 'org.hisp.dhis.organisationunit.OrganisationUnit', stats: { created: 0, updated: 0, deleted: 0, ignored: 3, total: 3 }, objectReports: [] }],
      preview: PREVIEW,
    };
    setApi(
      fakeApi({
        'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 10 })),
        'import:start': () => ({ jobId: 4 }),
        'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'geometry', dryRun: true, resultStatus: 'ERROR', summary: report }),
      }),
    );
    await useGeometryImport.getState().addPaths(['/gis/d.gml']);
    useGeometryImport.getState().setStep('options');
    const { container } = render(<GeometryImportScreen />);
    fireEvent.click(container.querySelector('[data-test="start"]')!);
    await waitFor(() => expect(container.querySelector('[data-test="map-preview"]')).not.toBeNull());
    expect(container.textContent).toContain('one GML feature without an org unit stops the whole file');
    expect(container.querySelector('[data-test="import-now"]')).toBeNull();
  });
});

describe('geometry files DHIS2 cannot read', () => {
  const run = async (file: string, summary: unknown, resultStatus = 'ERROR') => {
    setApi(
      fakeApi({
        'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 10 })),
        'import:start': () => ({ jobId: 5 }),
        'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'geometry', dryRun: true, resultStatus, summary: summary as GeometryImportSummary }),
      }),
    );
    await useGeometryImport.getState().addPaths([file]);
    useGeometryImport.getState().setStep('options');
    const view = render(<GeometryImportScreen />);
    fireEvent.click(view.container.querySelector('[data-test="start"]')!);
    await waitFor(() => expect(view.container.querySelector('[data-test="summary-card"]')).not.toBeNull());
    return view.container;
  };

  it('GeoJSON E7701: the conflict with DHIS2\'s message, Ferry\'s words and line, and no Import', async () => {
    const summary: GeometryImportSummary = {
      responseType: 'ImportSummary', status: 'ERROR', description: 'Import failed.', importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 },
      conflicts: [{
        object: 'list.geojson', objects: {}, value: 'Input is not a valid GeoJSON document: No list of features found', errorCode: 'E7701', property: '', lines: [3],
        detail: 'list.geojson, line 3: a JSON array is not a GeoJSON feature collection (expected an object)',
      }],
      rejectedIndexes: [], totalConflictOccurrenceCount: 1, dryRun: true,
    };
    const c = await run('/gis/list.geojson', summary);
    const cells = [...c.querySelectorAll('[data-test="import-summary"] tbody tr')].map((tr) => tr.textContent ?? '').filter((t) => t.includes('E7701'));
    expect(cells).toHaveLength(1);
    expect(cells[0]).toContain('Input is not a valid GeoJSON document: No list of features found — list.geojson, line 3: a JSON array is not a GeoJSON feature collection');
    expect(cells[0]).toContain('line 3');
    expect(c.textContent).toContain('DHIS2 could not read this file');
    expect(c.querySelector('[data-test="import-now"]')).toBeNull();
    expect(c.querySelector('[data-test="map-preview"]')).toBeNull();
  });

  it('GML E7010: the error report of DHIS2\'s GML import service, and no Import', async () => {
    const arg = 'GML import failed: malformed XML (unexpected close tag.) On line 4 column 139.';
    const report = {
      responseType: 'ImportReport' as const, status: 'ERROR' as const, stats: { created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 },
      typeReports: [{
        klass: 'org.hisp.dhis.dxf2.gml.DefaultGmlImportService', stats: { created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 },
        objectReports: [{ klass: 'org.hisp.dhis.dxf2.gml.DefaultGmlImportService', index: 0, errorReports: [{ message: `Failed to validate job runtime: \`${arg}\``, mainKlass: 'org.hisp.dhis.dxf2.gml.DefaultGmlImportService', args: [arg], errorCode: 'E7010' }] }],
      }],
    };
    const c = await run('/gis/d.gml', report);
    const text = c.querySelector('[data-test="import-report"]')!.textContent ?? '';
    expect(text).toContain('E7010');
    expect(text).toContain(`Failed to validate job runtime: \`${arg}\``);
    expect(c.textContent).toContain('DHIS2 could not read this file');
    expect(c.querySelector('[data-test="import-now"]')).toBeNull();
  });
});

describe('job overview', () => {
  it('"Run again" on a geometry job opens the geometry wizard with the same file and matching options, dry run first', async () => {
    const { App } = await import('../../../src-renderer/App.tsx');
    setApi(
      fakeApi({
        'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: ['import:geometry'] }),
        'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
        'jobs:list': () => [
          jobRecord({
            id: 9,
            kind: 'geometry',
            dryRun: false,
            options: { dryRun: false, geoJsonId: false, geoJsonProperty: 'code', orgUnitProperty: 'CODE' },
            files: [{ index: 0, path: '/gis/districts.geojson', name: 'districts.geojson', size: 120, sha256: 'b'.repeat(64), format: 'geojson', compression: 'none', status: 'OK' }],
          }),
        ],
      }),
    );
    render(<App />);
    await screen.findByText('/db');
    fireEvent.click(screen.getByTestId('menu-jobs'));
    fireEvent.click(await screen.findByTestId('open-job'));
    fireEvent.click(await screen.findByTestId('run-again'));
    await screen.findByText('Geometry import', { selector: 'h1' });
    expect(useGeometryImport.getState().files.map((f) => f.path)).toEqual(['/gis/districts.geojson']);
    expect(useGeometryImport.getState().options).toMatchObject({ dryRun: true, matchBy: 'property', geoJsonProperty: 'code', orgUnitProperty: 'CODE' });
    expect(useGeometryImport.getState().step).toBe('options');
  });
});
