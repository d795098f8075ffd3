/**
 * The report channels through the HTTP bridge (door 3), with a desktop-like dialog port: the save dialog keeps a
 * compressed export's extension, jobs:saveSummary writes the stored summary, report:pdf and files:showInFolder reach the
 * port only for files the user chose; a door without those abilities neither lists nor serves them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { startBridge, type Bridge } from '../../src-main/bridge/server.ts';
import { pickedPaths, QueuedDialogPort } from '../../src-main/ipc/ports.ts';
import { withCompressionExtension } from '../../src-main/ipc/handlers.ts';
import type { Result } from '../../src-shared/errors.ts';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';

const META = path.join(repoRoot, 'tests/fixtures/e2e/metadata-small.json');

/** The desktop app's port as a test sees it: what it was asked to show and print. */
class DesktopLikePort extends QueuedDialogPort {
  shown: string[] = [];
  printed: string[] = [];
  showItemInFolder(p: string): void {
    this.shown.push(p);
  }
  async printToPdf(p: string): Promise<number> {
    this.printed.push(p);
    const pdf = Buffer.from('%PDF-1.7\n%test\n');
    fs.writeFileSync(p, pdf);
    return pdf.length;
  }
}

async function door(dir: string, dialogs: QueuedDialogPort): Promise<{ ferry: Ferry; bridge: Bridge; call: <T>(channel: string, body: unknown) => Promise<Result<T>> }> {
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Ferry</title>');
  const ferry = openFerry({ dbPath: path.join(dir, 'ferry.sqlite'), mode: 'inline', dialogs, paths: pickedPaths() });
  const bridge = await startBridge({ handlers: ferry.handlers, jobs: ferry.jobs, staticDir: dir, dialogs });
  const call = async <T,>(channel: string, body: unknown): Promise<Result<T>> =>
    (await (
      await fetch(`${bridge.url}/api/invoke/${channel}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()) as Result<T>;
  return { ferry, bridge, call };
}

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('report channels through the bridge (desktop-like port)', () => {
  const dir = tmpDir('ferry-reports-');
  const port = new DesktopLikePort();
  let d: Awaited<ReturnType<typeof door>>;
  let importJob = 0;
  beforeAll(async () => {
    d = await door(dir, port);
    port.queueOpen([META]);
    ok(await d.call('dialog:openFiles', {}));
    importJob = ok(await d.call<{ jobId: number }>('import:start', { files: [META], kind: 'metadata', options: {} })).jobId;
    ok(await d.call('jobs:wait', { id: importJob }));
  });
  afterAll(async () => {
    await d.bridge.close();
    await d.ferry.close();
  });

  it('lists report:pdf and files:showInFolder where the port can do them', async () => {
    const info = ok(await d.call<{ capabilities: string[] }>('app:info', {}));
    expect(info.capabilities).toContain('report:pdf');
    expect(info.capabilities).toContain('files:showInFolder');
  });

  it('keeps a compressed export’s extension when the name was edited in the save dialog, and the export writes there', async () => {
    const edited = path.join(dir, 'dependencies.json');
    port.queueSave(edited);
    const { path: out } = ok(await d.call<{ path: string }>('dialog:saveFile', { defaultName: 'ferry-dataSet-x.json.zip', compression: 'zip' }));
    expect(out).toBe(edited + '.zip');
    // the path the user typed was not picked: only the corrected one may be written
    const refused = await d.call('export:start', { kind: 'metadata', out: edited, format: 'json', compression: 'zip', options: {} });
    expect(refused.ok).toBe(false);
    const { jobId } = ok(await d.call<{ jobId: number }>('export:start', { kind: 'metadata', out, format: 'json', compression: 'zip', options: {} }));
    const rec = ok(await d.call<{ status: string; summary: { file: string } }>('jobs:wait', { id: jobId }));
    expect(rec.status).toBe('done');
    expect(rec.summary.file).toBe(out);
    expect(fs.readFileSync(out).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(fs.existsSync(edited)).toBe(false);

    // shown in the file manager: the port is asked for exactly that file
    expect(ok(await d.call<{ shown: boolean }>('files:showInFolder', { path: out }))).toEqual({ shown: true });
    expect(port.shown).toEqual([out]);
  });

  it('keeps .gz for gzip, leaves a name that has it (any case) and an uncompressed export alone', async () => {
    port.queueSave(path.join(dir, 'values.csv'));
    expect(ok(await d.call<{ path: string }>('dialog:saveFile', { defaultName: 'v.csv.gz', compression: 'gzip' })).path).toBe(path.join(dir, 'values.csv.gz'));
    port.queueSave(path.join(dir, 'VALUES.CSV.GZ'));
    expect(ok(await d.call<{ path: string }>('dialog:saveFile', { defaultName: 'v.csv.gz', compression: 'gzip' })).path).toBe(path.join(dir, 'VALUES.CSV.GZ'));
    port.queueSave(path.join(dir, 'plain.json'));
    expect(ok(await d.call<{ path: string }>('dialog:saveFile', { defaultName: 'p.json', compression: 'none' })).path).toBe(path.join(dir, 'plain.json'));
    port.queueSave(null);
    expect(ok(await d.call<{ path: string | null }>('dialog:saveFile', { defaultName: 'p.json.zip', compression: 'zip' })).path).toBeNull();
    expect(withCompressionExtension('/a/b.json.gz', 'zip')).toBe('/a/b.json.gz.zip');
    expect(withCompressionExtension('/a/b.ZIP', 'zip')).toBe('/a/b.ZIP');
  });

  it('refuses to show a file the user did not choose', async () => {
    const before = port.shown.length;
    const r = await d.call('files:showInFolder', { path: META });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('BAD_REQUEST');
    expect(port.shown.length).toBe(before);
  });

  it('shows an export’s output from the job history (an earlier session’s), not a failed export’s', async () => {
    const repo = d.ferry.jobs.jobs;
    const earlier = path.join(dir, 'earlier-export.json');
    fs.writeFileSync(earlier, '{}');
    const ok1 = repo.create({ kind: 'metadata', direction: 'export', dryRun: false, options: {}, files: [{ path: earlier, name: 'earlier-export.json', size: 2 }] });
    repo.markRunning(ok1.jobId);
    repo.finish(ok1.jobId, { status: 'done', resultStatus: 'OK', summary: null, error: null });
    const failed = path.join(dir, 'failed-export.json');
    fs.writeFileSync(failed, '{}');
    const bad = repo.create({ kind: 'metadata', direction: 'export', dryRun: false, options: {}, files: [{ path: failed, name: 'failed-export.json', size: 2 }] });
    repo.finish(bad.jobId, { status: 'failed', resultStatus: null, summary: null, error: { code: 'INTERNAL', message: 'x', details: {} } });
    const before = port.shown.length;
    expect(ok(await d.call<{ shown: boolean }>('files:showInFolder', { path: earlier }))).toEqual({ shown: true });
    expect(port.shown.slice(before)).toEqual([earlier]);
    const r = await d.call('files:showInFolder', { path: failed });
    expect(r.ok ? null : r.error.code).toBe('BAD_REQUEST');
    // gone since: said so, not shown
    fs.rmSync(earlier);
    const gone = await d.call('files:showInFolder', { path: earlier });
    expect(gone.ok ? null : gone.error.code).toBe('FILE_NOT_FOUND');
    expect(port.shown.slice(before)).toEqual([earlier]);
  });

  it('jobs:saveSummary writes the job’s whole stored summary as JSON, only where the save dialog answered', async () => {
    const target = path.join(dir, 'summary.json');
    const unpicked = await d.call('jobs:saveSummary', { id: importJob, path: target });
    expect(unpicked.ok).toBe(false);
    expect(fs.existsSync(target)).toBe(false);
    port.queueSave(target);
    ok(await d.call('dialog:saveFile', { defaultName: 'summary.json' }));
    const saved = ok(await d.call<{ path: string; bytes: number }>('jobs:saveSummary', { id: importJob, path: target }));
    const text = fs.readFileSync(target, 'utf8');
    expect(saved.bytes).toBe(Buffer.byteLength(text));
    const stored = d.ferry.jobs.jobs.get(importJob)!.summary as { responseType: string; stats: { created: number } };
    expect(JSON.parse(text)).toEqual(stored);
    expect(stored.responseType).toBe('ImportReport');
    expect(stored.stats.created).toBeGreaterThan(0);
    const none = await d.call('jobs:saveSummary', { id: 999999, path: target });
    expect(none.ok ? null : none.error.code).toBe('NOT_FOUND');
  });

  it('report:pdf has the port print the page to the chosen file only', async () => {
    const target = path.join(dir, 'report.pdf');
    expect((await d.call('report:pdf', { path: target })).ok).toBe(false);
    expect(port.printed).toEqual([]);
    port.queueSave(target);
    ok(await d.call('dialog:saveFile', { defaultName: 'report.pdf' }));
    const r = ok(await d.call<{ path: string; bytes: number }>('report:pdf', { path: target }));
    expect(r).toEqual({ path: target, bytes: fs.statSync(target).size });
    expect(fs.readFileSync(target, 'latin1').startsWith('%PDF-')).toBe(true);
    expect(port.printed).toEqual([target]);
  });
});

describe('report channels where the door cannot (the bridge of ferry serve)', () => {
  it('neither lists nor serves report:pdf and files:showInFolder', async () => {
    const dir = tmpDir('ferry-reports-plain-');
    const dialogs = new QueuedDialogPort();
    const d = await door(dir, dialogs);
    try {
      const info = ok(await d.call<{ capabilities: string[] }>('app:info', {}));
      expect(info.capabilities).not.toContain('report:pdf');
      expect(info.capabilities).not.toContain('files:showInFolder');
      const target = path.join(dir, 'r.pdf');
      dialogs.queueSave(target);
      ok(await d.call('dialog:saveFile', { defaultName: 'r.pdf' }));
      const pdf = await d.call('report:pdf', { path: target });
      expect(pdf.ok ? null : pdf.error.code).toBe('UNSUPPORTED');
      const show = await d.call('files:showInFolder', { path: target });
      expect(show.ok ? null : show.error.code).toBe('UNSUPPORTED');
      expect(fs.existsSync(target)).toBe(false);
    } finally {
      await d.bridge.close();
      await d.ferry.close();
    }
  });
});
