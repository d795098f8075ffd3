/**
 * The Electron app's security decisions, as pure functions (no electron import) so they are unit-tested:
 * which page may call the handlers (IPC sender check), where the window may navigate, whether it may open windows,
 * attach webviews or get permissions, and which requests the session lets through. main.ts only wires them to
 * Electron's events.
 */
import type { IpcMainLike } from '../ipc/ports.ts';
import type { Result } from '../../src-shared/errors.ts';
import { isAppUrl } from './app-protocol.ts';

/** Which pages are Ferry's own. */
export interface PageTrust {
  /** the dev server's origin (electron-vite dev): only in unpackaged builds, only on loopback; otherwise null */
  devOrigin: string | null;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The trust of this run: a dev-server URL counts only when the app is not packaged and the URL is a loopback http one. */
export function pageTrust(o: { isPackaged: boolean; devUrl?: string | null }): PageTrust {
  if (o.isPackaged || !o.devUrl) return { devOrigin: null };
  try {
    const u = new URL(o.devUrl);
    if ((u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK.has(u.hostname)) return { devOrigin: u.origin };
  } catch {
    // not a URL: no dev server
  }
  return { devOrigin: null };
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Ferry's own page: app://ferry/…, or the dev server's origin in an unpackaged build. */
export function isOwnPage(url: string | null | undefined, trust: PageTrust): boolean {
  if (!url) return false;
  if (isAppUrl(url)) return true;
  return trust.devOrigin !== null && originOf(url) === trust.devOrigin;
}

/** IPC sender check: only a frame showing Ferry's own page may call the handlers. */
export function isTrustedSender(frameUrl: string | null | undefined, trust: PageTrust): boolean {
  return isOwnPage(frameUrl, trust);
}

/** What a refused IPC call answers (the Result envelope every handler answers with). */
export const REFUSED_SENDER: Result<never> = {
  ok: false,
  error: { code: 'BAD_REQUEST', message: 'Refused: request from an unknown page', details: {} },
};

/**
 * Wraps an ipcMain so every handler registered through it first checks the sender's frame URL; a refused call
 * never reaches the handler. `senderUrl` reads the URL from Electron's event (event.senderFrame?.url).
 */
export function guardIpcMain(ipcMain: IpcMainLike, senderUrl: (event: unknown) => string | null | undefined, trust: PageTrust): IpcMainLike {
  return {
    handle(channel, listener) {
      ipcMain.handle(channel, (event, ...args) => (isTrustedSender(senderUrl(event), trust) ? listener(event, ...args) : REFUSED_SENDER));
    },
  };
}

/** will-navigate / will-redirect: the window stays on Ferry's page (a dropped file or a link must not replace it). */
export function mayNavigate(url: string, trust: PageTrust): boolean {
  return isOwnPage(url, trust);
}

/** setWindowOpenHandler: Ferry opens no windows (window.open, target=_blank, middle clicks). */
export function windowOpenDecision(_url: string): { action: 'deny' } {
  return { action: 'deny' };
}

/** will-attach-webview: Ferry has no webviews; none may be attached. */
export function mayAttachWebview(_params: { src?: string; preload?: string }): boolean {
  return false;
}

/** Permissions Ferry's page may get. None today (camera, microphone, geolocation, notifications … are all refused). */
export const ALLOWED_PERMISSIONS: readonly string[] = [];

/** setPermissionRequestHandler / setPermissionCheckHandler: only listed permissions, only for Ferry's own page. */
export function mayGrantPermission(permission: string, requestingUrl: string | null | undefined, trust: PageTrust): boolean {
  return ALLOWED_PERMISSIONS.includes(permission) && isOwnPage(requestingUrl, trust);
}

/**
 * webRequest.onBeforeRequest: nothing remote. The app's own files, devtools, and in an unpackaged build the dev
 * server (its http and hot-reload WebSocket).
 */
export function mayRequest(url: string, trust: PageTrust): boolean {
  if (isAppUrl(url) || url.startsWith('devtools:')) return true;
  if (!trust.devOrigin) return false;
  const o = originOf(url.replace(/^ws(s?):/, 'http$1:'));
  return o === trust.devOrigin;
}

/** The preload's private channel for dropped files (private-channels.ts): main checks the sender and the path. */
export { DROPPED_PATH_CHANNEL } from './private-channels.ts';

/** The dropped path a preload message carries, when it is one (an absolute path without NUL), else null. */
export function droppedPath(arg: unknown): string | null {
  if (typeof arg !== 'string' || !arg || arg.length > 32_768 || arg.includes('\0')) return null;
  const absolute = arg.startsWith('/') || /^[A-Za-z]:[\\/]/.test(arg) || arg.startsWith('\\\\');
  return absolute ? arg : null;
}
