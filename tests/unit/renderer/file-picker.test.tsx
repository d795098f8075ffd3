/** Dropping files: the desktop app gives their paths (Api.pathForFile); where it cannot, the user is told what to do. */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { FilePicker } from '../../../src-renderer/components/FilePicker.tsx';
import { fakeApi } from './fake-api.ts';

afterEach(() => {
  cleanup();
  setApi(null);
});

function drop(names: string[]): void {
  const files = names.map((n) => new File(['x'], n));
  fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer: { files } });
}

describe('FilePicker', () => {
  it('takes the paths of dropped files from the desktop app', () => {
    const api = fakeApi({});
    api.pathForFile = (f) => `/home/dm/${(f as File).name}`;
    setApi(api);
    const got: string[][] = [];
    render(<FilePicker files={[]} multiple extensions={['json']} error={null} onChoose={() => {}} onPaths={(p) => got.push(p)} onRemove={() => {}} />);
    drop(['a.json', 'b.json']);
    expect(got).toEqual([['/home/dm/a.json', '/home/dm/b.json']]);
  });

  it('keeps only one dropped file when the wizard takes one', () => {
    const api = fakeApi({});
    api.pathForFile = (f) => `/x/${(f as File).name}`;
    setApi(api);
    const got: string[][] = [];
    render(<FilePicker files={[]} multiple={false} extensions={['json']} error={null} onChoose={() => {}} onPaths={(p) => got.push(p)} onRemove={() => {}} />);
    drop(['a.json', 'b.json']);
    expect(got).toEqual([['/x/a.json']]);
  });

  it('explains when dropped files cannot be opened (browser without the desktop app)', () => {
    setApi(fakeApi({}));
    const got: string[][] = [];
    render(<FilePicker files={[]} multiple extensions={['json']} error={null} onChoose={() => {}} onPaths={(p) => got.push(p)} onRemove={() => {}} />);
    drop(['a.json']);
    expect(got).toEqual([]);
    expect(screen.getByRole('alert').textContent).toBe('Dropped files cannot be opened here. Use "Choose files…" instead.');
  });

  it('lists chosen files with their sizes and a total, and removes one', () => {
    const removed: number[] = [];
    render(
      <FilePicker
        files={[
          { path: '/d/a.json', name: 'a.json', size: 2048 },
          { path: '/d/b.csv', name: 'b.csv', size: 3 * 1024 * 1024 },
        ]}
        multiple
        extensions={['json', 'csv']}
        error={null}
        onChoose={() => {}}
        onPaths={() => {}}
        onRemove={(i) => removed.push(i)}
      />,
    );
    const rows = screen.getByTestId('file-list').querySelectorAll('tbody tr');
    expect(Array.from(rows).map((r) => r.querySelector('.num')!.textContent)).toEqual(['2.0 KB', '3.0 MB']);
    expect(screen.getByTestId('file-list').querySelector('tfoot')!.textContent).toBe('2 files3.0 MB');
    fireEvent.click(screen.getByRole('button', { name: 'Remove b.csv' }));
    expect(removed).toEqual([1]);
  });
});
