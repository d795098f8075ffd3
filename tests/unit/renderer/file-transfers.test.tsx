/**
 * Browser mode (the bridge of `ferry serve`: app:info lists files:upload, the api uploads): files are chosen or
 * dropped and uploaded, with progress, then listed like picked ones; exports get a download link. The desktop app
 * (window.ferry, no upload) keeps its dialogs and paths.
 */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi, uploadToBridge } from '../../../src-renderer/api.ts';
import { FilePicker } from '../../../src-renderer/components/FilePicker.tsx';
import { ExportResultView } from '../../../src-renderer/components/ExportResultView.tsx';
import { DataImportSummaryView } from '../../../src-renderer/components/ImportSummaryView.tsx';
import type { ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import { useApp } from '../../../src-renderer/stores/app.ts';
import type { ExportSummary, UploadedFile } from '../../../src-shared/api/contract.ts';
import { fakeApi, type FakeApi } from './fake-api.ts';

afterEach(() => {
  cleanup();
  setApi(null);
  useApp.setState({ capabilities: [] });
});

const BROWSER = ['import:data', 'files:upload', 'files:download'];

/** a fake bridge api: uploads answer a path under /srv/ferry-serve-files, reporting progress halfway and at the end */
function bridgeApi(o: { fail?: string } = {}): FakeApi & { uploaded: string[] } {
  const api = fakeApi({
    'files:downloadLink': ({ path }) => ({ url: `/api/download/T1/${encodeURIComponent(path.split('/').pop()!)}`, name: path.split('/').pop()!, size: 2048 }),
  }) as FakeApi & { uploaded: string[] };
  api.uploaded = [];
  api.upload = async (file, onProgress) => {
    const f = file as File;
    if (o.fail) throw Object.assign(new Error(o.fail), { code: 'TOO_LARGE', details: {} });
    onProgress?.(f.size / 2, f.size);
    onProgress?.(f.size, f.size);
    api.uploaded.push(f.name);
    return { path: `/srv/ferry-serve-files/upload-${api.uploaded.length}/${f.name}`, name: f.name, size: f.size } satisfies UploadedFile;
  };
  return api;
}

function picker(got: string[][], multiple = true) {
  return render(<FilePicker files={[]} multiple={multiple} extensions={['json', 'csv']} error={null} onChoose={() => {}} onPaths={(p) => got.push(p)} onRemove={() => {}} />);
}

describe('FilePicker in a browser', () => {
  it('offers "Upload files…" (no dialog button where the door has no dialogs), uploads the chosen files and hands over their paths', async () => {
    const api = bridgeApi();
    setApi(api);
    useApp.setState({ capabilities: BROWSER });
    const got: string[][] = [];
    picker(got);
    expect(screen.getByTestId('upload-files').textContent).toBe('Upload files…');
    expect(screen.queryByTestId('choose-files')).toBeNull();
    const input = screen.getByTestId('upload-input') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.multiple).toBe(true);
    expect(input.accept).toBe('.json,.csv');
    await act(async () => {
      fireEvent.change(input, { target: { files: [new File(['a'.repeat(10)], 'a.csv'), new File(['{}'], 'b.json')] } });
    });
    await waitFor(() => expect(got).toEqual([['/srv/ferry-serve-files/upload-1/a.csv', '/srv/ferry-serve-files/upload-2/b.json']]));
    expect(api.uploaded).toEqual(['a.csv', 'b.json']);
    expect(screen.queryByTestId('upload-progress')).toBeNull();
  });

  it('uploads dropped files (one when the wizard takes one)', async () => {
    const api = bridgeApi();
    setApi(api);
    useApp.setState({ capabilities: BROWSER });
    const got: string[][] = [];
    picker(got, false);
    expect(screen.getByTestId('upload-files').textContent).toBe('Upload file…');
    await act(async () => {
      fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer: { files: [new File(['x'], 'meta.json'), new File(['y'], 'other.json')] } });
    });
    await waitFor(() => expect(got).toEqual([['/srv/ferry-serve-files/upload-1/meta.json']]));
    expect(api.uploaded).toEqual(['meta.json']);
  });

  it('shows why an upload failed, and hands over nothing', async () => {
    setApi(bridgeApi({ fail: 'big.csv is larger than the 4 GB a browser may upload to Ferry.' }));
    useApp.setState({ capabilities: BROWSER });
    const got: string[][] = [];
    picker(got);
    await act(async () => {
      fireEvent.change(screen.getByTestId('upload-input'), { target: { files: [new File(['x'], 'big.csv')] } });
    });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('big.csv is larger than the 4 GB a browser may upload to Ferry.'));
    expect(got).toEqual([]);
  });

  it('keeps the dialog button where the bridge has dialogs (the browser tests’ stand-in), beside the upload', () => {
    setApi(bridgeApi());
    useApp.setState({ capabilities: [...BROWSER, 'files:dialogs'] });
    picker([]);
    expect(screen.getByTestId('upload-files')).toBeTruthy();
    expect(screen.getByTestId('choose-files').textContent).toBe('Choose files…');
  });

  it('the desktop app (no upload in its api) is unchanged: dialog button, no upload', () => {
    setApi(fakeApi({}));
    useApp.setState({ capabilities: ['import:data', 'files:dialogs'] });
    picker([]);
    expect(screen.getByTestId('choose-files').className).toBe('button primary');
    expect(screen.queryByTestId('upload-files')).toBeNull();
    expect(screen.queryByTestId('upload-input')).toBeNull();
  });
});

describe('ExportResultView in a browser', () => {
  const summary: ExportSummary = {
    responseType: 'ExportSummary',
    status: 'OK',
    file: '/srv/site.sqlite-serve-files/save-3/ferry-data-Bo.csv.zip',
    format: 'csv',
    compression: 'zip',
    bytes: 2048,
    sha256: 'f'.repeat(64),
    counts: { dataValues: 4 },
  };

  it('says the export is ready, names the file (not Ferry’s folder) and links its download', async () => {
    const api = bridgeApi();
    setApi(api);
    useApp.setState({ capabilities: BROWSER });
    render(<ExportResultView summary={summary} />);
    expect(screen.getByTestId('summary-headline').textContent).toBe('Export ready: 4 data values in 2.0 KB.');
    expect(screen.getByTestId('export-file').textContent).toBe('ferry-data-Bo.csv.zip');
    const link = (await screen.findByTestId('download-export')) as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/api/download/T1/ferry-data-Bo.csv.zip');
    expect(link.getAttribute('download')).toBe('ferry-data-Bo.csv.zip');
    expect(link.textContent).toBe('Download ferry-data-Bo.csv.zip (2.0 KB)');
    expect(api.callsTo('files:downloadLink')).toEqual([{ path: summary.file }]);
  });

  it('says when the file can no longer be downloaded (an export of an earlier run)', async () => {
    const api = fakeApi({
      'files:downloadLink': () => {
        throw Object.assign(new Error('Ferry offers for download only files it saved for this page (x.csv).'), { code: 'BAD_REQUEST', details: {} });
      },
    });
    api.upload = bridgeApi().upload;
    setApi(api);
    useApp.setState({ capabilities: BROWSER });
    render(<ExportResultView summary={summary} />);
    expect((await screen.findByTestId('download-unavailable')).textContent).toBe(
      'Not available for download: Ferry offers for download only files it saved for this page (x.csv).',
    );
  });

  it('the desktop app: "Export saved", the full path, no download link', () => {
    setApi(fakeApi({}));
    useApp.setState({ capabilities: ['files:dialogs'] });
    render(<ExportResultView summary={summary} />);
    expect(screen.getByTestId('summary-headline').textContent).toBe('Export saved: 4 data values in 2.0 KB.');
    expect(screen.getByTestId('export-file').textContent).toBe(summary.file);
    expect(screen.queryByTestId('download-export')).toBeNull();
  });
});

describe('uploadToBridge', () => {
  it('POSTs the bytes to /api/upload?name=… with the token as Bearer and an octet-stream body', async () => {
    const sent: { method: string; url: string; headers: Record<string, string>; body: unknown }[] = [];
    class FakeXhr {
      upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
      onload: (() => void) | null = null;
      onerror: (() => void) | null = null;
      onabort: (() => void) | null = null;
      responseType = '';
      responseText = '';
      status = 0;
      private req = { method: '', url: '', headers: {} as Record<string, string> };
      open(method: string, url: string): void {
        this.req.method = method;
        this.req.url = url;
      }
      setRequestHeader(k: string, v: string): void {
        this.req.headers[k] = v;
      }
      send(body: unknown): void {
        sent.push({ ...this.req, body });
        this.upload.onprogress?.({ loaded: 3, total: 3, lengthComputable: true });
        this.status = 200;
        this.responseText = JSON.stringify({ ok: true, value: { path: '/srv/upload-1/données été.csv', name: 'données été.csv', size: 3 } });
        this.onload?.();
      }
    }
    const real = globalThis.XMLHttpRequest;
    (globalThis as { XMLHttpRequest: unknown }).XMLHttpRequest = FakeXhr;
    try {
      const progress: number[] = [];
      const file = new File(['abc'], 'données été.csv');
      const up = await uploadToBridge('http://127.0.0.1:4321', 'TOKEN', file, (s) => progress.push(s));
      expect(up).toEqual({ path: '/srv/upload-1/données été.csv', name: 'données été.csv', size: 3 });
      expect(sent).toEqual([
        {
          method: 'POST',
          url: `http://127.0.0.1:4321/api/upload?name=${encodeURIComponent('données été.csv')}`,
          headers: { 'content-type': 'application/octet-stream', authorization: 'Bearer TOKEN' },
          body: file,
        },
      ]);
      expect(progress).toEqual([3]);
    } finally {
      (globalThis as { XMLHttpRequest: unknown }).XMLHttpRequest = real;
    }
  });
});

describe('Download conflicts (CSV) in a browser', () => {
  const summary: ImportSummary = {
    responseType: 'ImportSummary',
    status: 'WARNING',
    description: 'Import process completed successfully',
    importCount: { imported: 1, updated: 0, ignored: 1, deleted: 0 },
    conflicts: [{ object: 'XXXXXXXXXXX', objects: { dataElement: 'XXXXXXXXXXX' }, value: 'Data element not found or not accessible: `XXXXXXXXXXX`', errorCode: 'E7610', indexes: [1] }],
    rejectedIndexes: [1],
  };

  it('writes the CSV in Ferry’s folder and offers it as a download link (no server path shown)', async () => {
    const written: { path: string; text: string }[] = [];
    const api = fakeApi({
      'dialog:saveFile': ({ defaultName }) => ({ path: `/srv/site.sqlite-serve-files/save-1/${defaultName}` }),
      'files:writeText': (r) => {
        written.push(r);
        return { path: r.path, bytes: r.text.length };
      },
      'files:downloadLink': ({ path }) => ({ url: `/api/download/T9/${path.split('/').pop()!}`, name: path.split('/').pop()!, size: 120 }),
    });
    api.upload = bridgeApi().upload;
    setApi(api);
    useApp.setState({ capabilities: BROWSER });
    render(<DataImportSummaryView summary={summary} dryRun={false} />);
    await act(async () => {
      fireEvent.click(screen.getByTestId('download-conflicts'));
    });
    const link = (await screen.findByTestId('download-export')) as HTMLAnchorElement;
    expect(written).toHaveLength(1);
    expect(written[0]!.text).toContain('E7610');
    expect(link.getAttribute('href')).toMatch(/^\/api\/download\/T9\/ferry-conflicts-\d{4}-\d\d-\d\d\.csv$/);
    expect(document.body.textContent).not.toContain('/srv/site.sqlite-serve-files');
  });
});
