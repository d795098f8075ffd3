/**
 * `ferry backup --out PATH` and `ferry vacuum`: the database's online backup and its compaction
 * (services/maintenance.ts), with a progress line on a terminal. Like `ferry check`, they open the database without
 * the rest of Ferry (no job manager, no migration): a backup must not depend on anything but the file being readable,
 * and another Ferry (the app, `ferry serve`) may have it open meanwhile — its jobs are not this process's to judge.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openSite } from '../db/open.ts';
import { Maintenance } from '../services/maintenance.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { DbMaintenanceProgress } from '../../src-shared/api/contract.ts';
import type { CliIo } from './main.ts';
import { currentLanguage, errorMessage, t } from './i18n.ts';
import { formatDecimal, intlLocale } from '../../src-shared/i18n/languages.ts';

function mb(bytes: number): string {
  return `${(bytes / 1e6).toLocaleString(intlLocale(currentLanguage()), { maximumFractionDigits: 1 })} MB`;
}

/** 1.5 s (in the language's way) */
function secs(ms: number): string {
  return `${formatDecimal(ms / 1000, currentLanguage(), 1)} s`;
}

function progressPrinter(io: CliIo, json: boolean): { onProgress: (p: DbMaintenanceProgress) => void; clear: () => void } {
  let lastLen = 0;
  let lastAt = 0;
  return {
    onProgress(p) {
      if (!io.isTTY || json) return;
      const now = performance.now();
      if (now - lastAt < 200) return;
      lastAt = now;
      const frac = p.done !== null && p.total ? Math.min(1, p.done / p.total) : null;
      const stage = errorMessage({ message: p.stage, details: { messageKey: `maintenance.stage.${p.stage}`, messageParams: {} } });
      const what = p.task === 'backup' ? t('maintenance.backingUp', { stage }) : t('maintenance.compacting', { stage });
      const line = frac === null ? `${what} (${Math.round(p.elapsedMs / 1000)} s)` : `${what} [${'#'.repeat(Math.round(frac * 30)).padEnd(30, '.')}] ${Math.round(frac * 100)}%`;
      io.stderr('\r' + line.padEnd(lastLen, ' '));
      lastLen = line.length;
    },
    clear() {
      if (lastLen) io.stderr('\r' + ' '.repeat(lastLen) + '\r');
    },
  };
}

export async function maintenanceCommand(task: 'backup' | 'vacuum', dbPath: string, out: string | undefined, json: boolean, io: CliIo): Promise<number> {
  if (!fs.existsSync(dbPath)) throw ferryError('FILE_NOT_FOUND', 'check.noDatabase', { path: path.resolve(dbPath) }, { file: dbPath });
  const site = openSite(dbPath, { migrate: false });
  const m = new Maintenance({ db: site.db, dbPath: site.path, displayName: dbPath, readOnly: site.readOnly, jobsBusy: () => false });
  const p = progressPrinter(io, json);
  try {
    if (task === 'backup') {
      const r = await m.backup(out!, p.onProgress);
      p.clear();
      if (json) io.stdout(JSON.stringify({ status: 'OK', ...r }, null, 2) + '\n');
      else io.stdout(`${t('maintenance.backedUp', { path: dbPath, out: r.out, size: mb(r.bytes), seconds: secs(r.durationMs) })}\n`);
    } else {
      const r = await m.vacuum(p.onProgress);
      p.clear();
      if (json) io.stdout(JSON.stringify({ status: 'OK', ...r }, null, 2) + '\n');
      else
        io.stdout(
          t('maintenance.compacted', {
            path: dbPath,
            before: mb(r.bytesBefore),
            after: mb(r.bytesAfter),
            saved: r.savedBytes >= 0 ? t('maintenance.freed', { size: mb(r.savedBytes) }) : t('maintenance.larger', { size: mb(-r.savedBytes) }),
            seconds: secs(r.durationMs),
          }) +
            (r.checkpointed ? '' : t('maintenance.otherReader')) +
            '\n',
        );
    }
    return 0;
  } finally {
    p.clear();
    site.close();
  }
}
