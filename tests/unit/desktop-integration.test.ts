/**
 * Desktop integration: the icons electron-builder packs (PNG sizes, the ICO container), the file associations in
 * electron-builder.yml, the window icon, and files opened from the desktop routed to the wizard that reads them.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { filesFromArgv, windowIconPath } from '../../src-main/app/desktop.ts';
import { OpenFilesQueue, routeFiles, SCREEN_FOR_KIND } from '../../src-main/app/open-files.ts';
import { detectFile } from '../../src-main/services/import.ts';
import { IMPORT_KINDS } from '../../src-shared/dhis2/options.ts';
import type { OpenFilesRequest } from '../../src-shared/api/contract.ts';
import { icoOf } from '../../scripts/icons.ts';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';

const require = createRequire(import.meta.url);
const res = (...p: string[]): string => path.join(repoRoot, 'resources', ...p);
const E2E = path.join(repoRoot, 'tests/fixtures/e2e');

/** width, height, colour type of a PNG (IHDR), and the RGBA of its top-left pixel */
function png(buf: Buffer): { width: number; height: number; colourType: number; topLeft: number[] } {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(buf.toString('latin1', 12, 16)).toBe('IHDR');
  const idat: Buffer[] = [];
  for (let o = 8; o < buf.length; ) {
    const len = buf.readUInt32BE(o);
    if (buf.toString('latin1', o + 4, o + 8) === 'IDAT') idat.push(buf.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  // row 0, pixel 0: whatever the row's filter, the first pixel of the first row is stored as is (no left, no row above)
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), colourType: buf[25]!, topLeft: [...raw.subarray(1, 5)] };
}

describe('icons', () => {
  it('the Linux set: square RGBA PNGs 16-512 named by size, transparent outside the rounded square', () => {
    for (const n of [16, 24, 32, 48, 64, 128, 256, 512]) {
      const p = png(fs.readFileSync(res('icons', `${n}x${n}.png`)));
      expect([p.width, p.height, p.colourType], `${n}x${n}`).toEqual([n, n, 6]);
      expect(p.topLeft[3], `${n}x${n} corner alpha`).toBe(0);
    }
    expect(png(fs.readFileSync(res('icon.png'))).width).toBe(512);
    expect(fs.readFileSync(res('icon.png')).equals(fs.readFileSync(res('icons', '512x512.png')))).toBe(true);
  });

  it('the Windows ICO: a valid icon directory of PNG entries 16-256, each the size its entry claims', () => {
    const ico = fs.readFileSync(res('icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    let end = 6 + 16 * count;
    for (let i = 0; i < count; i++) {
      const e = 6 + 16 * i;
      const claimed = ico[e] === 0 ? 256 : ico[e]!;
      expect(ico[e + 1]).toBe(ico[e]);
      expect(ico.readUInt16LE(e + 6)).toBe(32);
      const size = ico.readUInt32LE(e + 8);
      const offset = ico.readUInt32LE(e + 12);
      expect(offset).toBe(end); // images follow the directory back to back
      end = offset + size;
      const p = png(ico.subarray(offset, offset + size));
      expect([p.width, p.height]).toEqual([claimed, claimed]);
      sizes.push(claimed);
    }
    expect(end).toBe(ico.length);
    // electron-builder refuses a Windows icon without a 256×256 image
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('icoOf writes what it is given (the container, not the drawing)', () => {
    const a = fs.readFileSync(res('icons', '16x16.png'));
    const ico = icoOf([{ size: 16, png: a }]);
    expect(ico.length).toBe(6 + 16 + a.length);
    expect(ico.readUInt32LE(6 + 8)).toBe(a.length);
    expect(ico.subarray(22).equals(a)).toBe(true);
  });
});

describe('electron-builder.yml: icons and file associations', () => {
  const cfg = load(fs.readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<string, Record<string, unknown>>;

  it('validates against electron-builder’s schema, with the icons it needs per platform', () => {
    const Ajv = require('ajv') as typeof import('ajv').default;
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object);
    expect(validate(cfg), ajv.errorsText(validate.errors)).toBe(true);
    expect(cfg.win!.icon).toBe('resources/icon.ico');
    expect(cfg.linux!.icon).toBe('resources/icons');
    for (const f of [cfg.win!.icon as string, cfg.linux!.icon as string]) expect(fs.existsSync(path.join(repoRoot, f)), f).toBe(true);
    // the window icon at run time sits beside the app on Linux (desktop.ts reads resourcesPath/icon.png)
    expect(cfg.linux!.extraResources).toContainEqual({ from: 'resources/icon.png', to: 'icon.png' });
  });

  it('offers Ferry for the files DHIS2 exchanges on Linux (with MIME types), not PDF, and none on Windows', () => {
    const assoc = cfg.linux!.fileAssociations as { ext: string; mimeType: string; name: string }[];
    expect(assoc.map((a) => a.ext)).toEqual(['json', 'xml', 'csv', 'zip', 'gz', 'mdb']);
    for (const a of assoc) expect(a.mimeType, a.ext).toMatch(/^(application|text)\/[\w.+-]+$/);
    expect(cfg.fileAssociations).toBeUndefined();
    expect(cfg.win!.fileAssociations).toBeUndefined();
  });
});

describe('window icon', () => {
  it('the exe’s icon on Windows, the PNG beside the app elsewhere, the repository’s when unpackaged', () => {
    expect(windowIconPath({ platform: 'win32', isPackaged: true, resourcesPath: 'C:\\Ferry\\resources', appRoot: 'x' })).toBeUndefined();
    expect(windowIconPath({ platform: 'linux', isPackaged: true, resourcesPath: '/opt/Ferry/resources', appRoot: 'x' })).toBe('/opt/Ferry/resources/icon.png');
    const dev = windowIconPath({ platform: 'linux', isPackaged: false, resourcesPath: '/x', appRoot: repoRoot })!;
    expect(fs.existsSync(dev)).toBe(true);
  });

  it('main.ts sets it and wires the files the desktop opens', () => {
    const main = fs.readFileSync(path.join(repoRoot, 'src-main/app/main.ts'), 'utf8');
    expect(main).toMatch(/icon: windowIconPath\(/);
    expect(main).toMatch(/app\.on\('second-instance'/);
    expect(main).toMatch(/app\.on\('open-file'/);
    expect(main).toMatch(/routeFiles\(files, detectFile\)/);
  });
});

describe('files opened from the desktop', () => {
  it('takes the files of a command line, not the binary, the app folder or switches', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'a.json'), '{}');
    const isFile = (p: string): boolean => fs.existsSync(p) && fs.statSync(p).isFile();
    expect(filesFromArgv(['/opt/Ferry/ferry', '--no-sandbox', path.join(dir, 'a.json'), '/nowhere/b.csv', dir], { isPackaged: true, cwd: '/', isFile })).toEqual([
      path.join(dir, 'a.json'),
    ]);
    // unpackaged: `electron . file` — the app folder is no file to open; relative paths from the command's folder
    expect(filesFromArgv(['/x/electron', '.', 'a.json', 'a.json'], { isPackaged: false, cwd: dir, isFile })).toEqual([path.join(dir, 'a.json')]);
    expect(filesFromArgv(['C:\\Ferry\\Ferry.exe', 'C:\\data\\x.json'], { isPackaged: true, cwd: 'C:\\', isFile: () => true })).toEqual(['C:\\data\\x.json']);
  });

  it('every kind a file can be sniffed as has its wizard (undo is no file kind)', () => {
    for (const k of IMPORT_KINDS) expect(SCREEN_FOR_KIND[k] !== undefined, k).toBe(true);
    expect(SCREEN_FOR_KIND.undo).toBeNull();
  });

  it('routes real files by their content, grouped per wizard, unknown ones by their name', async () => {
    const dir = tmpDir();
    const notes = path.join(dir, 'notes.json');
    fs.writeFileSync(notes, '{"hello": "world"}');
    const access = path.join(dir, 'district.mdb');
    fs.writeFileSync(access, 'not really Access');
    const renamed = path.join(dir, 'export.txt'); // metadata under a name that says nothing
    fs.copyFileSync(path.join(E2E, 'metadata-small.json'), renamed);
    const groups = await routeFiles(
      [path.join(E2E, 'data-bo.json'), path.join(E2E, 'metadata-small.json'), path.join(E2E, 'data-kenema.csv'), access, renamed, notes, path.join(dir, 'gone.json')],
      detectFile,
    );
    expect(groups).toEqual<OpenFilesRequest[]>([
      { screen: 'import-data', paths: [path.join(E2E, 'data-bo.json'), path.join(E2E, 'data-kenema.csv'), path.join(dir, 'gone.json')] },
      // a JSON object without data values is taken as metadata (the registry's sniff): that wizard's dry run says what is in it
      { screen: 'import-metadata', paths: [path.join(E2E, 'metadata-small.json'), renamed, notes] },
      { screen: 'import-dhis14', paths: [access] },
    ]);
  });

  it('holds what arrives before the page listens, then passes it on in order', () => {
    const q = new OpenFilesQueue();
    const got: string[] = [];
    q.push([{ screen: 'import-data', paths: ['/a.csv'] }]);
    q.push([{ screen: 'receive', paths: ['/p.zip'] }]);
    expect(got).toEqual([]);
    q.ready((r) => got.push(`${r.screen}:${r.paths.join(',')}`));
    expect(got).toEqual(['import-data:/a.csv', 'receive:/p.zip']);
    q.push([{ screen: 'import-metadata', paths: ['/m.json'] }]);
    expect(got).toHaveLength(3);
    q.detach();
    q.push([{ screen: 'import-data', paths: ['/later.csv'] }]);
    expect(got).toHaveLength(3);
    q.ready((r) => got.push(`again ${r.paths[0]}`));
    expect(got[3]).toBe('again /later.csv');
  });
});
