/** `ferry serve --open`: which command opens the browser on each system, and what counts as not opened. */
import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { browserCommand, openBrowser } from '../../../src-main/bridge/open-browser.ts';

const URL_ = 'http://127.0.0.1:4321/#token=abc_-DEF';

function fakeChild(): ChildProcess & EventEmitter {
  const c = new EventEmitter() as ChildProcess & EventEmitter;
  (c as unknown as { unref: () => void }).unref = () => undefined;
  return c;
}

describe('browserCommand', () => {
  it('xdg-open with a display, none without one (a headless server: the address is printed instead)', () => {
    expect(browserCommand(URL_, 'linux', { DISPLAY: ':0' })).toEqual({ cmd: 'xdg-open', args: [URL_] });
    expect(browserCommand(URL_, 'linux', { WAYLAND_DISPLAY: 'wayland-0' })).toEqual({ cmd: 'xdg-open', args: [URL_] });
    expect(browserCommand(URL_, 'linux', {})).toEqual({ none: 'there is no graphical display here' });
  });

  it('open on macOS; cmd start on Windows with the address quoted (title argument first)', () => {
    expect(browserCommand(URL_, 'darwin', {})).toEqual({ cmd: 'open', args: [URL_] });
    expect(browserCommand(URL_, 'win32', { ComSpec: 'C:\\Windows\\system32\\cmd.exe' })).toEqual({
      cmd: 'C:\\Windows\\system32\\cmd.exe',
      args: ['/d', '/s', '/c', `start "" "${URL_}"`],
      verbatim: true,
    });
  });
});

describe('openBrowser', () => {
  it('opened when the opener exits 0, or is still running (xdg-open running the browser itself)', async () => {
    const quick = fakeChild();
    const p1 = openBrowser(URL_, { platform: 'linux', env: { DISPLAY: ':0' }, spawn: () => (setImmediate(() => quick.emit('exit', 0)), quick) });
    await expect(p1).resolves.toEqual({ opened: true });
    const slow = fakeChild();
    await expect(openBrowser(URL_, { platform: 'linux', env: { DISPLAY: ':0' }, spawn: () => slow, settleMs: 10 })).resolves.toEqual({ opened: true });
  });

  it('not opened, with the reason, when there is no opener or it fails', async () => {
    const missing = fakeChild();
    const r1 = openBrowser(URL_, {
      platform: 'linux',
      env: { DISPLAY: ':0' },
      spawn: () => (setImmediate(() => missing.emit('error', Object.assign(new Error('spawn xdg-open ENOENT'), { code: 'ENOENT' }))), missing),
    });
    await expect(r1).resolves.toEqual({ opened: false, reason: 'xdg-open could not run (ENOENT)' });
    const failing = fakeChild();
    const r2 = openBrowser(URL_, { platform: 'linux', env: { DISPLAY: ':0' }, spawn: () => (setImmediate(() => failing.emit('exit', 3)), failing) });
    await expect(r2).resolves.toEqual({ opened: false, reason: 'xdg-open failed (exit 3)' });
    let spawned = false;
    await expect(openBrowser(URL_, { platform: 'linux', env: {}, spawn: () => ((spawned = true), fakeChild()) })).resolves.toEqual({
      opened: false,
      reason: 'there is no graphical display here',
    });
    expect(spawned).toBe(false);
  });
});
