/** The first run: a fresh database (only DHIS2's system defaults) says what to do first; every home tile says what it is for. */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import { useApp, MENU } from '../../../src-renderer/stores/app.ts';
import { isFreshDatabase, TILE_PURPOSE, userMetadataCount } from '../../../src-renderer/screens/home/first-run.ts';
import { fakeApi, jobRecord, resetApp } from './fake-api.ts';

afterEach(resetApp);

/** what db:info answers on a database just created: migration 0002's four default objects */
const DEFAULTS_ONLY = { categoryOptions: 1, categories: 1, categoryCombos: 1, categoryOptionCombos: 1 };
const ALL = ['import:metadata', 'import:data', 'import:transfer', 'export:data', 'db:check'];

function api(metadata: Record<string, number>, dataValues = 0) {
  return fakeApi({
    'app:info': () => ({ version: '0.1.0', dbPath: '/home/dm/ferry/site.db', capabilities: ALL }),
    'db:info': () => ({ metadata, dataValues, events: 0 }),
  });
}

describe('first run', () => {
  it('counts the system defaults as no metadata', () => {
    expect(userMetadataCount(DEFAULTS_ONLY)).toBe(0);
    expect(userMetadataCount({ ...DEFAULTS_ONLY, categoryCombos: 3, organisationUnits: 5 })).toBe(7);
    expect(isFreshDatabase({ metadata: DEFAULTS_ONLY, dataValues: 0, events: 0 })).toBe(true);
    expect(isFreshDatabase({ metadata: DEFAULTS_ONLY, dataValues: 1, events: 0 })).toBe(false);
    expect(isFreshDatabase({ metadata: { ...DEFAULTS_ONLY, dataElements: 1 }, dataValues: 0, events: 0 })).toBe(false);
  });

  it('a fresh database explains what to do first and leads to the metadata import', async () => {
    setApi(api(DEFAULTS_ONLY));
    render(<App />);
    const card = await screen.findByTestId('first-run');
    expect(card.querySelector('h2')!.textContent).toBe('Start here: this database is empty');
    const steps = Array.from(card.querySelectorAll('li strong')).map((s) => s.textContent);
    expect(steps).toEqual(['Import the metadata first', 'Then import data', 'Or receive a package']);
    // the defaults are not shown as if they were the user's metadata
    expect(screen.queryByTestId('db-counts')).toBeNull();
    expect(screen.getByTestId('no-metadata').textContent).toBe('No metadata yet (only the system defaults). Start with a metadata import.');
    fireEvent.click(screen.getByTestId('first-run-metadata'));
    await waitFor(() => expect(useApp.getState().screen).toBe('import-metadata'));
  });

  it('offers Receive only where the engine can receive packages', async () => {
    setApi(
      fakeApi({
        'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: ['import:metadata'] }),
        'db:info': () => ({ metadata: DEFAULTS_ONLY, dataValues: 0, events: 0 }),
      }),
    );
    render(<App />);
    const card = await screen.findByTestId('first-run');
    expect(Array.from(card.querySelectorAll('li strong')).map((s) => s.textContent)).toEqual(['Import the metadata first', 'Then import data']);
    expect(screen.queryByTestId('first-run-receive')).toBeNull();
  });

  it('a database with metadata shows its counts and no first-run card', async () => {
    setApi(api({ ...DEFAULTS_ONLY, organisationUnits: 6 }, 12));
    render(<App />);
    await screen.findByTestId('db-counts');
    expect(screen.queryByTestId('first-run')).toBeNull();
    expect(screen.getByTestId('db-counts').querySelector('tr[data-type="organisationUnits"] td')!.textContent).toBe('6');
  });

  it('each home tile says in one line what it is for', async () => {
    setApi(api(DEFAULTS_ONLY));
    render(<App />);
    await screen.findByTestId('first-run');
    const tiles = Array.from(document.querySelectorAll('.tiles .tile'));
    expect(tiles.map((t) => t.getAttribute('data-test'))).toEqual([
      'tile-import-metadata',
      'tile-import-data',
      'tile-export-data',
      'tile-receive',
      'tile-sites',
      'tile-db-check',
    ]);
    for (const t of tiles) {
      const purpose = t.querySelector('.tile-purpose')!.textContent!;
      expect(purpose.length).toBeGreaterThan(20);
      expect(purpose.length).toBeLessThan(100);
    }
    expect(document.querySelector('[data-test="tile-import-data"] .tile-purpose')!.textContent).toBe(TILE_PURPOSE['import-data']);
    // every menu entry has its line (a new screen without one fails here)
    for (const m of MENU) if (m.screen !== 'home') expect(TILE_PURPOSE[m.screen], m.screen).toMatch(/\.$/);
  });
});

describe('the empty Job overview', () => {
  it('says what will appear there', async () => {
    setApi(
      fakeApi({
        'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: ['import:metadata'] }),
        'db:info': () => ({ metadata: DEFAULTS_ONLY, dataValues: 0, events: 0 }),
        'jobs:list': () => [],
      }),
    );
    render(<App />);
    await screen.findByTestId('first-run');
    fireEvent.click(screen.getByTestId('menu-jobs'));
    const empty = await screen.findByTestId('jobs-empty');
    expect(empty.textContent).toBe(
      'No jobs yet.Every import and export run here will be listed: when it ran, its files (with their SHA-256), whether it was a dry run, and its outcome. Open one to read its summary, download it, run it again or undo it.',
    );
  });

  it('a filter with nothing in it says so in its own words', async () => {
    setApi(
      fakeApi({
        'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: ['import:metadata'] }),
        'db:info': () => ({ metadata: DEFAULTS_ONLY, dataValues: 0, events: 0 }),
        'jobs:list': () => [jobRecord({ id: 1, direction: 'import' })],
      }),
    );
    render(<App />);
    await screen.findByTestId('first-run');
    fireEvent.click(screen.getByTestId('menu-jobs'));
    await screen.findByTestId('jobs-table');
    fireEvent.click(screen.getByRole('button', { name: 'Exports' }));
    expect(screen.getByTestId('jobs-empty').textContent).toBe('No exports yet.');
  });
});

describe('an import that needs metadata, on a fresh database', () => {
  it('the data import says to import the metadata first and leads there; the metadata import does not', async () => {
    setApi(api(DEFAULTS_ONLY));
    render(<App />);
    await screen.findByTestId('first-run');
    fireEvent.click(screen.getByTestId('menu-import-data'));
    const note = await screen.findByTestId('metadata-first');
    expect(note.textContent).toBe(
      'This database has no metadata yet: data values can only be stored for the org units, data elements and programs it knows. Go to Metadata import',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Go to Metadata import' }));
    await screen.findByTestId('wizard-metadata');
    expect(screen.queryByTestId('metadata-first')).toBeNull();
  });

  it('says nothing once metadata is there', async () => {
    setApi(api({ ...DEFAULTS_ONLY, dataElements: 3 }));
    render(<App />);
    await screen.findByTestId('db-counts');
    fireEvent.click(screen.getByTestId('menu-import-data'));
    await screen.findByTestId('wizard-data');
    expect(screen.queryByTestId('metadata-first')).toBeNull();
  });
});
