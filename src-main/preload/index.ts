/**
 * The preload: exposes the typed `window.ferry` (satisfies Api) through contextBridge. The renderer never sees
 * ipcRenderer. Kept dependency-free (sandboxed preloads can only require 'electron').
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { Api, EventName, OpenFilesRequest } from '../../src-shared/api/contract.ts';
import type { Result } from '../../src-shared/errors.ts';
import { DROPPED_PATH_CHANNEL, OPEN_FILES_CHANNEL, OPEN_FILES_READY_CHANNEL } from '../app/private-channels.ts';

const EVENTS: readonly EventName[] = ['job:progress', 'job:done'];

const api: Api = {
  async invoke(channel, req) {
    const r = (await ipcRenderer.invoke(channel, req)) as Result<never>;
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code, details: r.error.details });
    return r.value;
  },
  on(event, listener) {
    if (!EVENTS.includes(event)) throw new Error(`unknown event ${String(event)}`);
    const h = (_e: IpcRendererEvent, payload: unknown): void => (listener as (p: unknown) => void)(payload);
    ipcRenderer.on(event, h);
    return () => ipcRenderer.removeListener(event, h);
  },
  /**
   * The path of a dropped File. Electron knows it only for files the user really dropped or picked (a File made by
   * page script has none), so the preload vouches for it to main on a private channel (not an `invoke` channel the
   * page could call with any path); files:stat then accepts it like an open-dialog pick.
   */
  pathForFile(file) {
    let p: string;
    try {
      p = webUtils.getPathForFile(file as File);
    } catch {
      return null;
    }
    if (!p) return null;
    // synchronous, so the path is registered before the renderer asks files:stat about it
    return ipcRenderer.sendSync(DROPPED_PATH_CHANNEL, p) === true ? p : null;
  },
  /** files the desktop asked Ferry to open: main holds them until the page listens (the ready message) */
  onOpenFiles(listener) {
    const h = (_e: IpcRendererEvent, r: OpenFilesRequest): void => listener(r);
    ipcRenderer.on(OPEN_FILES_CHANNEL, h);
    ipcRenderer.send(OPEN_FILES_READY_CHANNEL);
    return () => ipcRenderer.removeListener(OPEN_FILES_CHANNEL, h);
  },
};

contextBridge.exposeInMainWorld('ferry', api);
