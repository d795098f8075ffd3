/** BrowserTransfers: uploads streamed to their own folder and made readable; save targets and download tickets. */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { BrowserTransfers, MAX_UPLOAD_BYTES, safeFileName } from '../../../src-main/bridge/transfers.ts';
import { pickedPaths } from '../../../src-main/ipc/ports.ts';
import { tmpDir } from '../../helpers/tmp.ts';

const made: BrowserTransfers[] = [];
function transfers(max?: number): { t: BrowserTransfers; paths: ReturnType<typeof pickedPaths> } {
  const paths = pickedPaths();
  const t = new BrowserTransfers({ dir: path.join(tmpDir(), 'serve-files'), paths, maxUploadBytes: max });
  made.push(t);
  return { t, paths };
}
afterEach(() => {
  for (const t of made.splice(0)) t.dispose();
});

/** a body delivered in chunks, as a socket does */
function body(chunks: (string | Buffer)[]): Readable {
  return Readable.from(chunks.map((c) => Buffer.from(c)));
}

describe('safeFileName', () => {
  it('keeps ordinary names, with their extensions', () => {
    expect(safeFileName('clinic-A 2024.csv.zip')).toBe('clinic-A 2024.csv.zip');
    expect(safeFileName('données été.json')).toBe('données été.json');
  });

  it('keeps the last path segment only, either separator, and never leading dots', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\dm\\data.csv')).toBe('data.csv');
    expect(safeFileName('..')).toBe('upload');
    expect(safeFileName('.bashrc')).toBe('bashrc');
    expect(safeFileName('')).toBe('upload');
  });

  it('replaces control, Windows-reserved and direction-changing characters; no trailing dots or spaces; no device names', () => {
    expect(safeFileName('a<b>c:d"e|f?g*h.csv')).toBe('a_b_c_d_e_f_g_h.csv');
    expect(safeFileName('evil\u202Egpj.exe')).toBe('evil_gpj.exe');
    expect(safeFileName('line\nbreak\t.json')).toBe('line_break_.json');
    expect(safeFileName('report.csv. . ')).toBe('report.csv');
    expect(safeFileName('CON.json')).toBe('_CON.json');
    expect(safeFileName('lpt1')).toBe('_lpt1');
  });

  it('shortens long names to 120 characters, keeping the extensions', () => {
    const s = safeFileName(`${'x'.repeat(300)}.csv.zip`);
    expect(s).toHaveLength(120);
    expect(s.endsWith('x.csv.zip')).toBe(true);
  });
});

describe('BrowserTransfers', () => {
  it('streams an upload to its own folder, under a safe name, and lets the page read it (only it)', async () => {
    const { t, paths } = transfers();
    const up = await t.receive(body(['dataelement,period\n', 'a,b\n']), '../secret/clinic.csv', 23);
    expect(up).toEqual({ path: path.join(t.dir, 'upload-1', 'clinic.csv'), name: 'clinic.csv', size: 23 });
    expect(fs.readFileSync(up.path, 'utf8')).toBe('dataelement,period\na,b\n');
    expect(paths.mayRead(up.path)).toBe(true);
    expect(paths.mayWrite(up.path)).toBe(false);
    // the same name again: another folder, nothing overwritten
    const again = await t.receive(body(['x']), 'clinic.csv', null);
    expect(again.path).toBe(path.join(t.dir, 'upload-2', 'clinic.csv'));
    expect(fs.readFileSync(up.path, 'utf8')).toBe('dataelement,period\na,b\n');
  });

  it('refuses an upload over the limit: before reading when it says its size, while streaming when it does not; no file is left', async () => {
    const { t } = transfers(10);
    await expect(t.receive(body(['0123456789A']), 'big.csv', 11)).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringContaining('big.csv') });
    await expect(t.receive(body(['01234', '56789', 'A']), 'big.csv', null)).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(fs.readdirSync(t.dir)).toEqual([]);
    expect(MAX_UPLOAD_BYTES).toBe(4 * 1024 ** 3);
  });

  it('an upload cut off before its declared size, or broken off, leaves no file and is not readable', async () => {
    const { t, paths } = transfers();
    await expect(t.receive(body(['abc']), 'cut.csv', 10)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('3 of 10 bytes') });
    const broken = new Readable({
      read() {
        this.push('abc');
        this.destroy(new Error('socket hang up'));
      },
    });
    await expect(t.receive(broken, 'broken.csv', null)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('socket hang up') });
    expect(fs.readdirSync(t.dir)).toEqual([]);
    expect(paths.mayRead(path.join(t.dir, 'upload-1', 'cut.csv'))).toBe(false);
  });

  it('is no dialog: opens nothing, saves into its own folder, and gives one download ticket per file', async () => {
    const { t } = transfers();
    expect(t.native).toBe(false);
    expect(await t.openFiles()).toEqual([]);
    const out = await t.saveFile({ defaultName: 'ferry-data-Bo/../2024.csv.zip' });
    expect(out).toBe(path.join(t.dir, 'save-1', '2024.csv.zip'));
    expect(() => t.downloadLink(out)).toThrow(/no longer there/);
    fs.writeFileSync(out, 'zip bytes');
    const link = t.downloadLink(out);
    expect(link).toEqual({ url: expect.stringMatching(/^\/api\/download\/[A-Za-z0-9_-]{32}\/2024\.csv\.zip$/), name: '2024.csv.zip', size: 9 });
    expect(t.downloadLink(out).url).toBe(link.url);
    const ticket = link.url.split('/')[3]!;
    expect(t.fileFor(ticket)).toBe(out);
    expect(t.fileFor('x' + ticket.slice(1))).toBeNull();
  });

  it('dispose removes every uploaded and saved file and forgets the tickets', async () => {
    const { t } = transfers();
    await t.receive(body(['a']), 'a.csv', 1);
    const out = await t.saveFile({ defaultName: 'x.json' });
    fs.writeFileSync(out, '{}');
    const ticket = t.downloadLink(out).url.split('/')[3]!;
    t.dispose();
    expect(fs.existsSync(t.dir)).toBe(false);
    expect(t.fileFor(ticket)).toBeNull();
    await expect(t.receive(body(['a']), 'late.csv', 1)).rejects.toMatchObject({ code: 'BUSY' });
  });
});
