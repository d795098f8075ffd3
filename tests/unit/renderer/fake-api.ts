/** A fake Api for component and store tests: canned answers per channel, recorded calls, pushable events. */
import type { Api, Channel, EventName, Events, JobRecord, Req, Res } from '../../../src-shared/api/contract.ts';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import { cleanup } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { useApp } from '../../../src-renderer/stores/app.ts';

type Handler<C extends Channel> = (req: Req<C>) => Res<C> | Promise<Res<C>>;
export type FakeHandlers = { [C in Channel]?: Handler<C> };

export interface FakeApi extends Api {
  calls: { channel: Channel; req: unknown }[];
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  callsTo(channel: Channel): unknown[];
}

/** Unless a test says otherwise, the fake answers formats:list with the real format registry and metadata:idSchemeAttributes with none. */
export function fakeApi(given: FakeHandlers): FakeApi {
  const handlers: FakeHandlers = { 'formats:list': () => formatInfos(), 'metadata:idSchemeAttributes': () => [], ...given };
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const calls: { channel: Channel; req: unknown }[] = [];
  return {
    calls,
    callsTo: (c) => calls.filter((x) => x.channel === c).map((x) => x.req),
    async invoke(channel, req) {
      calls.push({ channel, req });
      const h = handlers[channel] as Handler<typeof channel> | undefined;
      if (!h) throw Object.assign(new Error(`fake api: no handler for ${channel}`), { code: 'INTERNAL', details: {} });
      return h(req);
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    pathForFile: () => null,
  };
}

export function jobRecord(p: Partial<JobRecord>): JobRecord {
  return {
    id: 1,
    kind: 'metadata',
    direction: 'import',
    status: 'done',
    dryRun: false,
    options: {},
    files: [],
    createdAt: '2026-11-25T10:00:00.000Z',
    startedAt: '2026-11-25T10:00:00.100Z',
    finishedAt: '2026-11-25T10:00:02.100Z',
    durationMs: 2000,
    resultStatus: 'OK',
    summary: null,
    error: null,
    ...p,
  };
}

/** After each App test: unmount, forget the Api, back to the home screen. */
export function resetApp(): void {
  cleanup();
  setApi(null);
  useApp.setState({ screen: 'home', jobId: null });
}
