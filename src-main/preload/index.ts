/**
 * The preload: exposes the typed `window.ferry` (satisfies Api) through contextBridge. The renderer never sees
 * ipcRenderer. Kept dependency-free (sandboxed preloads can only require 'electron').
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { Api, EventName } from '../../src-shared/api/contract.ts';
import type { Result } from '../../src-shared/errors.ts';

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
  pathForFile(file) {
    try {
      return webUtils.getPathForFile(file as File) || null;
    } catch {
      return null;
    }
  },
};

contextBridge.exposeInMainWorld('ferry', api);
