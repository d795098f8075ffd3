/**
 * Each door's path policy (PathPolicy): the CLI writes and reads the paths the user typed; the Electron app and the
 * bridge serve a page, which may only use paths a dialog (or, in Electron, a drop) handed over.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { pickedPaths, typedPaths, QueuedDialogPort } from '../../../src-main/ipc/ports.ts';
import { openFerry } from '../../../src-main/services/context.ts';
import { invoke } from '../../../src-main/ipc/register.ts';
import { ferryCli } from '../../helpers/cli.ts';
import { tmpDir } from '../../helpers/tmp.ts';

describe('PathPolicy', () => {
  it('typedPaths (CLI) allows every path', () => {
    const p = typedPaths();
    expect(p.kind).toBe('typed');
    expect(p.mayRead('/any/file.json')).toBe(true);
    expect(p.mayWrite('/any/out.json')).toBe(true);
  });

  it('pickedPaths (Electron, bridge) allows only picked paths, compared after resolving', () => {
    const p = pickedPaths();
    expect(p.kind).toBe('picked');
    expect(p.mayWrite('/tmp/out.json')).toBe(false);
    expect(p.mayRead('/tmp/in.json')).toBe(false);
    p.pickedToWrite('/tmp/out.json');
    p.pickedToRead(['/tmp/in.json', '']);
    expect(p.mayWrite('/tmp/x/../out.json')).toBe(true);
    expect(p.mayRead('/tmp/in.json')).toBe(true);
    // picking to read does not allow writing, and the other way round
    expect(p.mayWrite('/tmp/in.json')).toBe(false);
    expect(p.mayRead('/tmp/out.json')).toBe(false);
    expect(p.mayRead('')).toBe(false);
    // each door (each start) has its own
    expect(pickedPaths().mayWrite('/tmp/out.json')).toBe(false);
  });
});

describe('export:start per door', () => {
  it('Electron/bridge policy: an export to a path the save dialog did not return is refused, and no job exists', async () => {
    const dir = tmpDir();
    const dialogs = new QueuedDialogPort();
    const f = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline', dialogs, paths: pickedPaths() });
    try {
      const typed = path.join(dir, 'typed.json');
      const r = await invoke(f.handlers, 'export:start', { kind: 'metadata', out: typed });
      expect(r).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'Ferry exports only to a file chosen in its save dialog (typed.json).', details: { messageKey: 'request.exportOnlyChosen', messageParams: { file: 'typed.json' } } } });
      expect(f.jobs.jobs.list(10)).toEqual([]);
      expect(fs.existsSync(typed)).toBe(false);

      // the dialog's answer for another file does not open this one; the dialog's own answer works
      const chosen = path.join(dir, 'chosen.json');
      dialogs.queueSave(chosen);
      expect(await invoke(f.handlers, 'dialog:saveFile', { defaultName: 'chosen.json' })).toEqual({ ok: true, value: { path: chosen } });
      expect((await invoke(f.handlers, 'export:start', { kind: 'metadata', out: typed })).ok).toBe(false);
      const ok = await invoke(f.handlers, 'export:start', { kind: 'metadata', out: chosen });
      expect(ok.ok).toBe(true);
      const job = await f.jobs.wait((ok as { ok: true; value: { jobId: number } }).value.jobId);
      expect(job.status).toBe('done');
      expect(fs.existsSync(chosen)).toBe(true);
    } finally {
      await f.close();
    }
  });

  it('files:stat under the Electron/bridge policy: open-dialog picks and registered drops only', async () => {
    const dir = tmpDir();
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    fs.writeFileSync(a, '{}');
    fs.writeFileSync(b, '{"x":1}');
    const dialogs = new QueuedDialogPort();
    const f = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline', dialogs, paths: pickedPaths() });
    try {
      expect(await invoke(f.handlers, 'files:stat', { paths: [a] })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('a.json') } });
      dialogs.queueOpen([a]);
      await invoke(f.handlers, 'dialog:openFiles', {});
      expect(await invoke(f.handlers, 'files:stat', { paths: [a] })).toEqual({ ok: true, value: [{ path: a, name: 'a.json', size: 2 }] });
      expect((await invoke(f.handlers, 'files:stat', { paths: [a, b] })).ok).toBe(false);
      // what the Electron door does when the preload reports a dropped file (DROPPED_PATH_CHANNEL)
      f.paths.pickedToRead([b]);
      expect(await invoke(f.handlers, 'files:stat', { paths: [a, b] })).toMatchObject({ ok: true, value: [{ size: 2 }, { size: 7 }] });
    } finally {
      await f.close();
    }
  });

  it('CLI: still exports to the path the user typed (--out), and openFerry defaults to the typed policy', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'typed-by-user.json');
    const r = await ferryCli(['--db', path.join(dir, 'site.sqlite'), 'export', 'metadata', '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ responseType: 'ExportSummary', file: out });
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toHaveProperty('categories');
    const f = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
    try {
      expect(f.paths.kind).toBe('typed');
    } finally {
      await f.close();
    }
  });
});
