/**
 * Door 1: the Electron shell. The ONLY place (with the preload) that imports 'electron'. Kept thin: it serves the
 * page from app://ferry/, opens the site database, wires the shared handlers to ipcMain behind the sender check, and
 * hardens the window. Every decision lives in pure, unit-tested modules: guards.ts (sender, navigation, windows,
 * webviews, permissions, requests), app-protocol.ts (app:// → file, traversal refused), csp.ts (THE policy),
 * cli-mode.ts (started as the `ferry` command: the CLI runs, no window opens, the exit status is the CLI's).
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFerry, type Ferry } from '../services/context.ts';
import { registerIpc } from '../ipc/register.ts';
import { pickedPaths, type DialogPort } from '../ipc/ports.ts';
import { EVENT_NAMES } from '../../src-shared/api/contract.ts';
import { defaultDbPath } from '../db/open.ts';
import { devCsp } from './csp.ts';
import { cliArgv } from './cli-mode.ts';
import { APP_ENTRY_URL, APP_SCHEME, serveAppRequest } from './app-protocol.ts';
import { filesFromArgv, windowIconPath } from './desktop.ts';
import { OpenFilesQueue, routeFiles } from './open-files.ts';
import { OPEN_FILES_CHANNEL, OPEN_FILES_READY_CHANNEL } from './private-channels.ts';
import { detectFile } from '../services/import.ts';
import {
  DROPPED_PATH_CHANNEL,
  droppedPath,
  guardIpcMain,
  isTrustedSender,
  mayAttachWebview,
  mayGrantPermission,
  mayNavigate,
  mayRequest,
  pageTrust,
  windowOpenDecision,
} from './guards.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '../renderer');
/** the dev-server exception exists only in unpackaged builds (electron-vite dev sets ELECTRON_RENDERER_URL) */
const trust = pageTrust({ isPackaged: app.isPackaged, devUrl: process.env.ELECTRON_RENDERER_URL });
/** this door's path policy: the page may stat what the open dialog returned or was dropped, write what the save dialog returned */
const paths = pickedPaths();
let ferry: Ferry | null = null;
let win: BrowserWindow | null = null;
/** the `ferry` command's arguments when the launcher started this binary with --cli, else null */
const cliArgs = cliArgv(process.argv, process.env);
const isFileSync = (p: string): boolean => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};
/**
 * Ferry runs already and this start was to open files: that window takes them (its second-instance event) and this
 * start ends. A start without files still opens its own window (e.g. another database through FERRY_DB).
 */
const handsOver = !cliArgs && !app.requestSingleInstanceLock() && filesFromArgv(process.argv, { isPackaged: app.isPackaged, cwd: process.cwd(), isFile: isFileSync }).length > 0;

if (cliArgs) {
  // the command line: no window, no GPU; the built worker and screens beside this bundle
  app.disableHardwareAcceleration();
  void import('../cli/main.ts')
    .then(({ runCli }) => runCli(cliArgs, undefined, { workerPath: path.join(here, 'worker.js'), staticDir: rendererDir }))
    .then(
      // app.exit does not wait for a pipe: exit once what the CLI wrote has gone out
      (code) => void process.stdout.write('', () => process.stderr.write('', () => app.exit(code))),
      (e: unknown) => {
        process.stderr.write(`ferry: ${(e as Error)?.message ?? String(e)}\n`);
        app.exit(1);
      },
    );
} else if (handsOver) {
  app.quit();
} else {
  // before `ready`: app:// is a standard, secure origin the page's modules, styles and fetches can use
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }]);
  app.enableSandbox();
}

/** Files the desktop asked to open (desktop.ts, open-files.ts): routed to their wizard, readable like picked files. */
const openFiles = new OpenFilesQueue();
function openPaths(files: string[]): void {
  if (!files.length) return;
  paths.pickedToRead(files);
  void routeFiles(files, detectFile).then((groups) => openFiles.push(groups));
}
if (!cliArgs && !handsOver) {
  openPaths(filesFromArgv(process.argv, { isPackaged: app.isPackaged, cwd: process.cwd(), isFile: isFileSync }));
  app.on('second-instance', (_e, argv, cwd) => {
    const files = filesFromArgv(argv, { isPackaged: app.isPackaged, cwd, isFile: isFileSync });
    if (!files.length) return;
    openPaths(files);
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.on('open-file', (e, file) => {
    e.preventDefault();
    openPaths([file]);
  });
}

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
    // the handlers decide which files (files:showInFolder, report:pdf); these only do it
    showItemInFolder(file) {
      shell.showItemInFolder(file);
    },
    async printToPdf(file) {
      const pdf = await win!.webContents.printToPDF({ printBackground: false, pageSize: 'A4' });
      await fs.promises.writeFile(file, pdf);
      return pdf.length;
    },
  };
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1200,
    height: 820,
    title: 'Ferry',
    icon: windowIconPath({ platform: process.platform, isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appRoot: path.join(here, '../..') }),
    show: false,
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win?.show());
  void win.loadURL(trust.devOrigin ? process.env.ELECTRON_RENDERER_URL! : APP_ENTRY_URL);
}

app.on('web-contents-created', (_e, contents) => {
  // no navigation away from the app, no new windows, no webviews
  contents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url, trust)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!mayNavigate(url, trust)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event, _webPreferences, params) => {
    if (!mayAttachWebview(params)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => windowOpenDecision(url));
});

void app.whenReady().then(() => {
  if (cliArgs) return; // the command line runs (above): no window
  if (handsOver) return; // a running Ferry took this start's files: no window
  protocol.handle(APP_SCHEME, async (request) => {
    const r = await serveAppRequest(request.url, rendererDir);
    return new Response(typeof r.body === 'string' ? r.body : new Uint8Array(r.body), { status: r.status, headers: r.headers });
  });
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((wc, permission, cb, details) => cb(mayGrantPermission(permission, details.requestingUrl ?? wc?.getURL(), trust)));
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => mayGrantPermission(permission, requestingOrigin, trust));
  ses.webRequest.onBeforeRequest((details, cb) => cb({ cancel: !mayRequest(details.url, trust) }));
  if (trust.devOrigin) {
    // the dev server's pages are http responses: they get the dev variant of THE CSP (app:// responses carry CSP)
    const csp = devCsp(trust.devOrigin);
    ses.webRequest.onHeadersReceived((details, cb) => cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } }));
  }
  const dbPath = process.env.FERRY_DB ?? (app.isPackaged ? path.join(app.getPath('userData'), 'ferry.sqlite') : defaultDbPath());
  ferry = openFerry({ dbPath, dialogs: dialogs(), paths, workerPath: path.join(here, 'worker.js') });
  registerIpc(
    guardIpcMain(ipcMain, (event) => (event as IpcMainInvokeEvent).senderFrame?.url, trust),
    ferry.handlers,
  );
  // a dropped file's path, as the preload got it from Electron (webUtils.getPathForFile): files:stat may read it
  ipcMain.on(DROPPED_PATH_CHANNEL, (event: IpcMainEvent, arg: unknown) => {
    const p = isTrustedSender(event.senderFrame?.url, trust) ? droppedPath(arg) : null;
    if (p) paths.pickedToRead([p]);
    event.returnValue = p !== null;
  });
  // the page listens for files to open (preload onOpenFiles): what waited goes to it
  ipcMain.on(OPEN_FILES_READY_CHANNEL, (event: IpcMainEvent) => {
    if (!isTrustedSender(event.senderFrame?.url, trust)) return;
    const sender = event.sender;
    openFiles.ready((r) => sender.send(OPEN_FILES_CHANNEL, r));
    sender.once('destroyed', () => openFiles.detach());
  });
  for (const name of EVENT_NAMES) ferry.jobs.on(name, (payload) => win?.webContents.send(name, payload));
  createWindow();
});

app.on('window-all-closed', () => {
  if (cliArgs) return;
  void ferry?.close().finally(() => app.quit());
});
