import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { openFerry } from '../../src-main/services/context.ts';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';
import { PDFDocument } from '@cantoo/pdf-lib';
import { SMALL_METADATA, loadMetadata } from '../unit/importers/data-values/helpers.ts';

/**
 * The production bundle (electron-vite build) runs its job worker as plain JS: this is what the packaged app does.
 * It catches bundling mistakes (a native module inlined, a missing chunk) that source-level tests cannot.
 */
describe('built app bundle', () => {
  const out = path.join(repoRoot, 'out');
  beforeAll(() => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`);
  }, 120_000);

  it('emits main, the job worker, a CommonJS preload and a renderer with no inline code (its CSP comes as a header of app://)', () => {
    expect(fs.existsSync(path.join(out, 'main/index.js'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'main/worker.js'))).toBe(true);
    const preload = fs.readFileSync(path.join(out, 'preload/index.cjs'), 'utf8');
    expect(preload).toContain('require("electron")');
    expect(preload).toContain('exposeInMainWorld("ferry"');
    const html = fs.readFileSync(path.join(out, 'renderer/index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style\b|\sstyle=/i);
    expect(html).not.toMatch(/Content-Security-Policy/i);
    expect(html).toMatch(/<script[^>]+src="[^"]+\.js"/);
    // the main bundle applies the one CSP (without 'unsafe-inline') to the app:// responses
    const mainCode = fs.readdirSync(path.join(out, 'main/chunks')).map((f) => fs.readFileSync(path.join(out, 'main/chunks', f), 'utf8')).join('\n') + fs.readFileSync(path.join(out, 'main/index.js'), 'utf8');
    expect(mainCode).toContain("script-src 'self'");
    // better-sqlite3 stays an external require, not inlined into the bundle
    const chunks = fs.readdirSync(path.join(out, 'main/chunks')).map((f) => fs.readFileSync(path.join(out, 'main/chunks', f), 'utf8')).join('\n');
    expect(chunks).toMatch(/from "better-sqlite3"/);
  });

  it('imports a metadata file through the bundled worker', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'meta.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        organisationUnits: [
          { id: 'ImspTQPwCqd', name: 'Sierra Leone', shortName: 'Sierra Leone', openingDate: '1994-01-01' },
          { id: 'O6uvpzGd5pu', name: 'Bo', shortName: 'Bo', openingDate: '1994-01-01', parent: { id: 'ImspTQPwCqd' } },
        ],
      }),
    );
    const ferry = openFerry({ dbPath: path.join(dir, 'site.sqlite'), workerPath: path.join(out, 'main/worker.js') });
    try {
      const { jobId } = await ferry.handlers['import:start']({ files: [file], options: {} });
      const job = await ferry.jobs.wait(jobId);
      expect(job.error).toBeNull();
      expect(job.summary).toMatchObject({ status: 'OK', stats: { created: 2, total: 2 } });
      expect(ferry.db.prepare(`SELECT path FROM org_unit o JOIN metadata_object m ON m.id = o.id WHERE m.uid = 'O6uvpzGd5pu'`).pluck().get()).toBe('/ImspTQPwCqd/O6uvpzGd5pu');
    } finally {
      await ferry.close();
    }
  });

  it('makes a PDF form and imports it filled through the bundled worker (pdf-lib and pdfjs-dist stay loadable)', async () => {
    const dir = tmpDir();
    const ferry = openFerry({ dbPath: path.join(dir, 'site.sqlite'), workerPath: path.join(out, 'main/worker.js') });
    try {
      loadMetadata(ferry.db, SMALL_METADATA);
      const form = path.join(dir, 'form.pdf');
      const made = await ferry.jobs.wait((await ferry.handlers['export:start']({ kind: 'pdf-form', out: form, format: 'pdf', compression: 'none', options: { dataSet: 'DsMonthly01', orgUnit: 'OuClinicA01', period: '202401' } })).jobId);
      expect(made.error).toBeNull();
      const doc = await PDFDocument.load(fs.readFileSync(form));
      doc.getForm().getTextField('TXFDDV_DeInteger01_HllvX50cXC0').setText('12');
      const filled = path.join(dir, 'filled.pdf');
      fs.writeFileSync(filled, await doc.save());
      const job = await ferry.jobs.wait((await ferry.handlers['import:start']({ files: [filled], options: {} })).jobId);
      expect(job.error).toBeNull();
      expect(job.summary).toMatchObject({ status: 'SUCCESS', importCount: { imported: 1 } });
    } finally {
      await ferry.close();
    }
  });
});
