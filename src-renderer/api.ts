/**
 * The renderer's only door to the engine: `window.ferry` (Electron preload) when present, otherwise a client of the
 * HTTP bridge on location.origin (browser tests, headless use). Both satisfy the same typed `Api`.
 * The bridge answers only requests that carry its per-start token, which the page gets from its address
 * (http://127.0.0.1:PORT/#token=…, as `ferry serve` prints it).
 */
import type { Api, Channel, EventName, Events, Req, Res, UploadedFile } from '../src-shared/api/contract.ts';
import type { Result, SerializedError } from '../src-shared/errors.ts';
import { localizedMessage } from '../src-shared/i18n/error-messages.ts';
import { englishError } from '../src-shared/keyed-errors.ts';
import { i18n } from './i18n.ts';

/** An error from the engine, with the code and details (file, line …) it gave. */
export class ApiError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(e: { code?: string; message: string; details?: Record<string, unknown> }) {
    super(e.message);
    this.name = 'ApiError';
    this.code = e.code ?? 'INTERNAL';
    this.details = e.details ?? {};
  }
}

const TOKEN_KEY = 'ferry.bridgeToken';

/**
 * The bridge's access token: taken from the page address (#token=…) and then removed from it (so it is not left in
 * the address bar or history), kept in sessionStorage so a reload of the tab still has it.
 */
export function bridgeToken(): string | null {
  try {
    const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
    if (fromHash) {
      sessionStorage.setItem(TOKEN_KEY, fromHash);
      history.replaceState(history.state, '', location.pathname + location.search);
      return fromHash;
    }
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Bridge client: POST /api/invoke/<channel> and one shared EventSource on /api/events, both with the token. */
export function createBridgeApi(origin: string, token: string | null = null): Api {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  let source: EventSource | null = null;
  const ensureSource = (): void => {
    if (source || typeof EventSource === 'undefined') return;
    // EventSource cannot send headers: the (read-only) event stream takes the token as a query parameter
    source = new EventSource(`${origin}/api/events${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    for (const name of ['job:progress', 'job:done'] as EventName[]) {
      source.addEventListener(name, (ev) => {
        let payload: unknown;
        try {
          payload = JSON.parse((ev as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const l of listeners.get(name) ?? []) l(payload);
      });
    }
  };
  return {
    async invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>> {
      let res: Response;
      try {
        res = await fetch(`${origin}/api/invoke/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(req ?? {}),
        });
      } catch (e) {
        const messageParams = { detail: (e as Error).message };
        throw new ApiError({ code: 'INTERNAL', message: englishError('engine.unreachable', messageParams), details: { messageKey: 'engine.unreachable', messageParams } });
      }
      const body = (await res.json()) as Result<Res<C>>;
      if (!body.ok) throw new ApiError(body.error);
      return body.value;
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      ensureSource();
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
    pathForFile: () => null,
    upload: (file, onProgress) => uploadToBridge(origin, token, file as Blob & { name?: string }, onProgress),
  };
}

/**
 * POST /api/upload?name=… with the file's bytes (the browser streams them from disk) and the token in the
 * Authorization header. XMLHttpRequest rather than fetch: it reports upload progress.
 */
export function uploadToBridge(
  origin: string,
  token: string | null,
  file: Blob & { name?: string },
  onProgress?: (sent: number, total: number) => void,
): Promise<UploadedFile> {
  const name = file.name || 'upload';
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${origin}/api/upload?name=${encodeURIComponent(name)}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.responseType = 'text';
    if (onProgress) xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiError({ code: 'INTERNAL', message: `The upload of ${name} failed: Ferry's engine cannot be reached.` }));
    xhr.onabort = () => reject(new ApiError({ code: 'CANCELLED', message: `The upload of ${name} was cancelled.` }));
    xhr.onload = () => {
      let body: Result<UploadedFile>;
      try {
        body = JSON.parse(String(xhr.responseText)) as Result<UploadedFile>;
      } catch {
        reject(new ApiError({ code: 'INTERNAL', message: `The upload of ${name} failed (HTTP ${xhr.status}).` }));
        return;
      }
      if (body.ok) resolve(body.value);
      else reject(new ApiError(body.error));
    };
    xhr.send(file);
  });
}

/**
 * Whether files travel by upload and download: the page reaches Ferry through the bridge (an api that uploads) and
 * the door says it takes uploads (app:info capability `files:upload`, which `ferry serve` gives). Electron: never.
 */
export function usesTransfers(capabilities: readonly string[]): boolean {
  return capabilities.includes('files:upload') && typeof getApi().upload === 'function';
}

declare global {
  interface Window {
    ferry?: Api;
  }
}

let current: Api | null = null;

/** The api in use (resolved on first use so tests can install a fake first). */
export function getApi(): Api {
  if (!current) current = typeof window !== 'undefined' && window.ferry ? window.ferry : createBridgeApi(location.origin, bridgeToken());
  return current;
}

/** Tests: install a fake Api. */
export function setApi(a: Api | null): void {
  current = a;
}

/** Calls a channel through the current api. */
export function invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>> {
  return getApi().invoke(channel, req);
}

/**
 * The plain-words text of any error, in the screens' language: "file.json, line 12: message". A message the engine
 * composed by key (src-shared/i18n/error-messages.ts) is said from the catalogue; any other as it came.
 */
export function errorText(e: unknown): string {
  const err = e as Partial<SerializedError> & { message?: string };
  const d = (err?.details ?? {}) as Record<string, unknown>;
  const msg = err?.message !== undefined ? localizedMessage(i18n, { message: err.message, details: d }, 'screen') : String(e);
  const where: string[] = [];
  const file = typeof d.file === 'string' ? d.file.split(/[\\/]/).pop()! : null;
  if (file && !msg.includes(file)) where.push(file);
  let line: string | null = null;
  if (typeof d.line === 'number') {
    const l = i18n.t('errors:where.line', { line: d.line });
    if (!msg.includes(l) && !new RegExp(`\\bline ${d.line}\\b`).test(msg)) line = typeof d.column === 'number' ? i18n.t('errors:where.lineColumn', { line: d.line, column: d.column }) : l;
  }
  // "x.csv: not a DHIS2 file" with its line: "x.csv, line 1: not a DHIS2 file"
  const named = file && line ? new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s?): `).exec(msg) : null;
  if (named) return `${file}, ${line}${named[1]}: ${msg.slice(named[0].length)}`;
  if (line) where.push(line);
  return where.length ? `${where.join(', ')}: ${msg}` : msg;
}

/** The Api (delegates to window.ferry or the bridge client). */
export const api: Api = {
  invoke: (channel, req) => getApi().invoke(channel, req),
  on: (event, listener) => getApi().on(event, listener),
  pathForFile: (file) => getApi().pathForFile?.(file) ?? null,
  upload: (file, onProgress) => {
    const a = getApi();
    if (!a.upload) return Promise.reject(new ApiError({ code: 'UNSUPPORTED', message: 'This Ferry opens files by path; uploads are for the browser.' }));
    return a.upload(file, onProgress);
  },
};
