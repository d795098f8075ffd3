/**
 * The "Database maintenance" screen's state: a backup (db:backup, to a file chosen in the save dialog) or a compaction
 * (db:vacuum), one at a time, with progress polled from db:maintenanceStatus while it runs (one started by another
 * window of the same Ferry is followed too). The outcome stays until the next run.
 */
import { create } from 'zustand';
import type { DbBackupResult, DbFreeSpace, DbMaintenanceProgress, DbVacuumResult } from '../../src-shared/api/contract.ts';
import { errorText, invoke } from '../api.ts';
import { i18n } from '../i18n.ts';

/** How often the running task's progress is asked for. */
export const MAINTENANCE_POLL_MS = 250;

export type MaintenanceTask = 'backup' | 'vacuum';

interface DbMaintenanceState {
  running: MaintenanceTask | null;
  progress: DbMaintenanceProgress | null;
  backup: DbBackupResult | null;
  vacuum: DbVacuumResult | null;
  error: { task: MaintenanceTask; message: string } | null;
  /** the file's free space as last read (Compact is offered when worthCompacting) */
  space: DbFreeSpace | null;
  /** follows a task that is running, or shows the last one of this session */
  load(): Promise<void>;
  /** asks where the copy goes (save dialog), then backs up; false when the dialog was cancelled */
  startBackup(): Promise<boolean>;
  startVacuum(): Promise<void>;
}

let timer: ReturnType<typeof setInterval> | null = null;

function stopPolling(): void {
  if (timer) clearInterval(timer);
  timer = null;
}

function poll(then?: () => void): void {
  stopPolling();
  let busy = false;
  timer = setInterval(() => {
    if (busy) return;
    busy = true;
    invoke('db:maintenanceStatus', {})
      .then((s) => {
        if (s.running) useDbMaintenance.setState({ progress: s.progress });
        else {
          stopPolling();
          then?.();
        }
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, MAINTENANCE_POLL_MS);
}

/** The default name of a backup: ferry-backup-2026-12-07.sqlite */
export function backupFileName(now = new Date()): string {
  return `ferry-backup-${now.toISOString().slice(0, 10)}.sqlite`;
}

export const useDbMaintenance = create<DbMaintenanceState>((set, get) => {
  async function run<T>(task: MaintenanceTask, call: () => Promise<T>, done: (r: T) => void): Promise<void> {
    set({ running: task, progress: null, error: null });
    poll();
    try {
      done(await call());
    } catch (e) {
      set({ error: { task, message: errorText(e) } });
    } finally {
      stopPolling();
      set({ running: null, progress: null });
    }
  }
  return {
    running: null,
    progress: null,
    backup: null,
    vacuum: null,
    error: null,
    space: null,
    async load() {
      if (get().running) return;
      try {
        const s = await invoke('db:maintenanceStatus', {});
        set({ space: s.space ?? null });
        if (s.running) {
          set({ running: s.running, progress: s.progress, error: null });
          poll(() => {
            set({ running: null, progress: null });
            void get().load(); // its outcome
          });
        } else if (s.last) {
          if ('error' in s.last) set({ error: { task: s.last.task, message: errorText(s.last.error) } });
          else if (s.last.task === 'backup') set({ backup: s.last });
          else set({ vacuum: s.last });
        }
      } catch {
        /* the buttons still work */
      }
    },
    async startBackup() {
      if (get().running) return false;
      let out: string | null;
      try {
        out = (await invoke('dialog:saveFile', { title: i18n.t('app:maintenance.backup.dialogTitle'), defaultName: backupFileName() })).path;
      } catch (e) {
        set({ error: { task: 'backup', message: errorText(e) } });
        return false;
      }
      if (!out) return false;
      await run('backup', () => invoke('db:backup', { out: out! }), (backup) => set({ backup }));
      return true;
    },
    async startVacuum() {
      if (get().running) return;
      await run('vacuum', () => invoke('db:vacuum', {}), (vacuum) => set({ vacuum }));
      // the free space it gave back
      await invoke('db:maintenanceStatus', {})
        .then((s) => set({ space: s.space ?? null }))
        .catch(() => undefined);
    },
  };
});
