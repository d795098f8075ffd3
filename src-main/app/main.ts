/**
 * Door 1: the Electron shell. The ONLY place (with the preload) that imports 'electron'. Kept thin: it opens the site
 * database, wires the shared handlers to ipcMain with sender checks, forwards job events, and hardens the window.
 */
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openFerry, type Ferry } from '../services/context.ts';
import { registerIpc } from '../ipc/register.ts';
import type { DialogPort, IpcMainLike } from '../ipc/ports.ts';
import { EVENT_NAMES } from '../../src-shared/api/contract.ts';
import { defaultDbPath } from '../db/open.ts';
import { CSP } from './csp.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '../renderer/index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;
let ferry: Ferry | null = null;
let win: BrowserWindow | null = null;

function dialogs(): DialogPort {
  return {
    async openFiles(o) {
      const r = await dialog.showOpenDialog(win!, {
        title: o.title,
        properties: o.multiple ? ['openFile', 'multiSelections'] : ['openFile'],
        filters: o.extensions?.length ? [{ name: 'DHIS2 files', extensions: o.extensions }, { name: 'All files', extensions: ['*'] }] : undefined,
      });
      return r.canceled ? [] : r.filePaths;
    },
    async saveFile(o) {
      const r = await dialog.showSaveDialog(win!, { title: o.title, defaultPath: path.join(app.getPath('documents'), o.defaultName) });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}

/** Only our own renderer page may call the handlers. */
function guardedIpc(): IpcMainLike {
  return {
    handle(channel, listener) {
      ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
        const url = event.senderFrame?.url ?? '';
        if (!url.startsWith(rendererUrl) && !(process.env.ELECTRON_RENDERER_URL && url.startsWith(process.env.ELECTRON_RENDERER_URL))) {
          return { ok: false, error: { code: 'BAD_REQUEST', message: 'Refused: request from an unknown page', details: {} } };
        }
        return listener(event, ...args);
      });
    },
  };
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1200,
    height: 820,
    title: 'Ferry',
    show: false,
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win?.show());
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl && !app.isPackaged) void win.loadURL(devUrl);
  else void win.loadFile(rendererIndex);
}

app.on('web-contents-created', (_e, contents) => {
  // no navigation away from the app, no new windows, no remote content
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.webRequest.onBeforeRequest((details, cb) => {
    const u = details.url;
    const local = u.startsWith('file:') || u.startsWith('devtools:') || u.startsWith('data:') || (!!process.env.ELECTRON_RENDERER_URL && !app.isPackaged && u.startsWith(process.env.ELECTRON_RENDERER_URL));
    cb({ cancel: !local });
  });
  const dbPath = process.env.FERRY_DB ?? (app.isPackaged ? path.join(app.getPath('userData'), 'ferry.sqlite') : defaultDbPath());
  ferry = openFerry({ dbPath, dialogs: dialogs(), workerPath: path.join(here, 'worker.js') });
  registerIpc(guardedIpc(), ferry.handlers);
  for (const name of EVENT_NAMES) ferry.jobs.on(name, (payload) => win?.webContents.send(name, payload));
  createWindow();
});

app.on('window-all-closed', () => {
  void ferry?.close().finally(() => app.quit());
});
