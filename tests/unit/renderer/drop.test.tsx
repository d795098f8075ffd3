/**
 * Dropping files onto an import wizard: the same checks as the open dialog (folders, file types, one file when the
 * wizard takes one), then the same path as a picked file (files:stat, the file list); in a browser, dropped files are
 * uploaded.
 */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { checkDropped, useStrayDropGuard } from '../../../src-renderer/components/FilePicker.tsx';
import { useApp } from '../../../src-renderer/stores/app.ts';
import { useDataImport, useMetadataImport } from '../../../src-renderer/stores/imports.ts';
import { DataImportScreen } from '../../../src-renderer/screens/data-import/DataImportScreen.tsx';
import { MetadataImportScreen } from '../../../src-renderer/screens/metadata-import/MetadataImportScreen.tsx';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import { fakeApi } from './fake-api.ts';

beforeEach(() => {
  useApp.setState({ formats: formatInfos(), capabilities: ['import:data', 'import:metadata'] });
  useDataImport.getState().reset();
  useMetadataImport.getState().reset();
});
afterEach(() => {
  cleanup();
  setApi(null);
});

function drop(names: string[], folders: string[] = []): void {
  const files = names.map((n) => new File(['x'], n));
  const items = names.map((n) => ({ webkitGetAsEntry: () => ({ name: n, isDirectory: folders.includes(n) }) }));
  fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer: { files, items } });
}

describe('checkDropped', () => {
  it('keeps the files of types the wizard reads, and says which were left out', () => {
    expect(checkDropped(['a.json', 'b.CSV', 'c.json.gz', 'd.zip'], ['json', 'csv', 'gz', 'zip'], true)).toEqual({
      accepted: ['a.json', 'b.CSV', 'c.json.gz', 'd.zip'],
      indexes: [0, 1, 2, 3],
      note: null,
    });
    expect(checkDropped(['a.json', 'notes.docx', 'photo.jpg'], ['json', 'xml'], true)).toEqual({
      accepted: ['a.json'],
      indexes: [0],
      note: 'notes.docx, photo.jpg are not files this import reads (.json, .xml).',
    });
    expect(checkDropped(['2024', 'a.json'], ['json'], true, new Set(['2024'])).note).toBe('2024 is a folder: drop the files inside instead.');
    expect(checkDropped(['a.json', 'b.json', 'c.json'], ['json'], false)).toEqual({
      accepted: ['a.json'],
      indexes: [0],
      note: 'This import takes one file at a time: a.json was taken, b.json, c.json left out.',
    });
  });
});

describe('drop onto the import wizards (desktop app)', () => {
  it('a dropped file goes the way of a picked one: files:stat, then listed with its size', async () => {
    const api = fakeApi({ 'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 2048 })) });
    api.pathForFile = (f) => `/home/dm/${(f as File).name}`;
    setApi(api);
    render(<DataImportScreen />);
    drop(['bo.json', 'kenema.csv', 'letter.docx']);
    await waitFor(() => expect(useDataImport.getState().files.map((f) => f.path)).toEqual(['/home/dm/bo.json', '/home/dm/kenema.csv']));
    expect(api.callsTo('files:stat')).toEqual([{ paths: ['/home/dm/bo.json', '/home/dm/kenema.csv'] }]);
    const rows = Array.from(screen.getByTestId('file-list').querySelectorAll('tbody tr .file-name')).map((r) => r.textContent);
    expect(rows).toEqual(['bo.json', 'kenema.csv']);
    expect(screen.getByRole('alert').textContent).toContain('letter.docx is not a file this import reads (');
  });

  it('a file that cannot be read is refused as a picked one is', async () => {
    const api = fakeApi({ 'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: null })) });
    api.pathForFile = (f) => `/media/usb/${(f as File).name}`;
    setApi(api);
    render(<MetadataImportScreen />);
    drop(['gone.json']);
    await screen.findByText('This file cannot be read: gone.json');
    expect(useMetadataImport.getState().files).toEqual([]);
  });

  it('a folder or only foreign files: nothing is asked of the engine', async () => {
    const api = fakeApi({});
    api.pathForFile = (f) => `/x/${(f as File).name}`;
    setApi(api);
    render(<DataImportScreen />);
    drop(['2024-reports', 'scan.jpg'], ['2024-reports']);
    await screen.findByText(/2024-reports is a folder: drop the files inside instead\. scan\.jpg is not a file this import reads/);
    expect(api.calls.filter((c) => c.channel === 'files:stat')).toEqual([]);
  });
});

describe('drop in a browser (ferry serve)', () => {
  it('uploads the dropped files of the right type and lists them', async () => {
    const uploaded: string[] = [];
    const api = fakeApi({
      'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: [] }),
      'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 1 })),
    });
    api.upload = async (f) => {
      const name = (f as File).name;
      uploaded.push(name);
      return { path: `/uploads/${name}`, name, size: 1 };
    };
    setApi(api);
    useApp.setState({ capabilities: ['import:data', 'files:upload'] });
    render(<DataImportScreen />);
    drop(['bo.json', 'readme.txt']);
    await waitFor(() => expect(useDataImport.getState().files.map((f) => f.path)).toEqual(['/uploads/bo.json']));
    expect(uploaded).toEqual(['bo.json']);
    expect(screen.getByRole('alert').textContent).toContain('readme.txt is not a file this import reads');
  });
});

describe('drops beside the drop zone', () => {
  function Guarded() {
    useStrayDropGuard();
    return (
      <div>
        <p data-test="beside">text</p>
        <div className="drop-zone" data-test="zone">
          <span data-test="inside">zone</span>
        </div>
      </div>
    );
  }

  it('are stopped (the page stays), while the drop zone gets its own', () => {
    render(<Guarded />);
    const beside = new Event('drop', { bubbles: true, cancelable: true });
    screen.getByTestId('beside').dispatchEvent(beside);
    expect(beside.defaultPrevented).toBe(true);
    const over = new Event('dragover', { bubbles: true, cancelable: true });
    screen.getByTestId('beside').dispatchEvent(over);
    expect(over.defaultPrevented).toBe(true);
    const inside = new Event('drop', { bubbles: true, cancelable: true });
    screen.getByTestId('inside').dispatchEvent(inside);
    expect(inside.defaultPrevented).toBe(false);
    cleanup();
    // unmounted: no longer stopped
    const after = new Event('drop', { bubbles: true, cancelable: true });
    document.body.dispatchEvent(after);
    expect(after.defaultPrevented).toBe(false);
  });
});
