/**
 * `ferry check`: SQLite's integrity check of the database (services/check.ts, in a worker), with a progress line on a
 * terminal. It opens the database without the rest of Ferry (no job manager, no migration): checking a damaged
 * database must not depend on that database's job table being readable. Exit 0 sound, 1 damaged, 2 not checkable.
 * Ferry's kept counts (live values, live events) that differ from count(*) are listed with both numbers (exit 1);
 * --repair counts them again (services/check.ts: DbChecker.repair) and then exits 0.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openSite, reasonParams, type Site } from '../db/open.ts';
import { CHECK_FAILED_ADVICE, DbChecker, countsDrift } from '../services/check.ts';
import { toSerializedError } from '../../src-shared/errors.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { DbCheckProgress, DbCheckResult, DbRepairResult } from '../../src-shared/api/contract.ts';
import type { CliIo } from './main.ts';
import { currentLanguage, errorMessage, n, t } from './i18n.ts';
import { formatDecimal } from '../../src-shared/i18n/languages.ts';

export async function checkCommand(dbPath: string, json: boolean, io: CliIo, workerPath?: string, repair = false): Promise<number> {
  if (!fs.existsSync(dbPath)) throw ferryError('FILE_NOT_FOUND', 'check.noDatabase', { path: path.resolve(dbPath) }, { file: dbPath });
  let site: Site;
  try {
    site = openSite(dbPath, { migrate: false });
  } catch (e) {
    const err = toSerializedError(e);
    if (err.code !== 'DB_CORRUPT') throw e;
    return report({ ok: false, messages: [err.message], durationMs: 0, tables: 0, pages: 0, advice: CHECK_FAILED_ADVICE }, dbPath, null, json, io);
  }
  let lastLen = 0;
  const onProgress = (p: DbCheckProgress): void => {
    if (!io.isTTY || json || p.stage === 'done') return;
    const frac = p.total ? Math.min(1, p.done / p.total) : 0;
    // the check's stages (services/check.ts) in the run's language
    const stage =
      p.stage === 'checking free pages and page accounting'
        ? errorMessage({ message: p.stage, details: { messageKey: 'check.stageFile' } })
        : p.stage.startsWith('checking ')
          ? errorMessage({ message: p.stage, details: { messageKey: 'check.stageTable', messageParams: { table: p.stage.slice('checking '.length) } } })
          : p.stage;
    const line = `${stage} (${t('check.step', { step: p.step, steps: p.steps })}) [${'#'.repeat(Math.round(frac * 30)).padEnd(30, '.')}] ${Math.round(frac * 100)}%`;
    io.stderr('\r' + line.padEnd(lastLen, ' '));
    lastLen = line.length;
  };
  try {
    const checker = new DbChecker({ dbPath: site.path, displayName: dbPath, mode: io.env.FERRY_INLINE_JOBS === '1' ? 'inline' : 'worker', workerPath, readOnly: site.readOnly });
    const r = await checker.run(onProgress);
    if (lastLen) io.stderr('\r' + ' '.repeat(lastLen) + '\r');
    // the repair the check offers (a damaged database is restored, not repaired: services/check.ts offers none then)
    const repaired = repair && r.repairs?.includes('liveCounts') ? await checker.repair() : null;
    return report(r, dbPath, site.readOnly, json, io, repaired);
  } finally {
    site.close();
  }
}

function report(r: DbCheckResult, dbPath: string, readOnly: string | null, json: boolean, io: CliIo, repaired: DbRepairResult | null = null): number {
  if (json) io.stdout(JSON.stringify(repaired ? { ...r, repaired } : r, null, 2) + '\n');
  else if (r.ok) {
    io.stdout(
      t('check.ok', { path: dbPath, tables: n(r.tables), pages: n(r.pages), seconds: formatDecimal(r.durationMs / 1000, currentLanguage(), 1) }) +
        (readOnly ? t('check.readOnlyCopy', { why: readOnlyReason(readOnly).replace(/^it is /, '') }) : '') +
        '\n',
    );
  } else {
    // SQLite's messages as they are written; Ferry's advice (services/check.ts) in the run's language
    const advice = r.advice ?? CHECK_FAILED_ADVICE;
    const said = advice === CHECK_FAILED_ADVICE ? errorMessage({ message: advice, details: { messageKey: 'check.advice' } }) : advice;
    io.stdout(`${t('check.damaged', { path: dbPath })}\n${r.messages.map((m, i) => `  ${errorMessage({ message: m, details: r.messageDetails?.[i] ?? {} })}`).join('\n')}\n${t('check.whatToDo')} ${said}\n`);
  }
  const drift = countsDrift(r);
  if (!json && drift) {
    const table = (c: { table: string }): string => t(c.table === 'event' ? 'check.countsEvents' : 'check.countsValues');
    for (const c of r.liveCounts ?? []) {
      if (c.kept !== c.counted) io.stdout(t('check.countsDrift', { what: table(c), kept: n(c.kept), counted: n(c.counted) }) + '\n');
    }
    if (repaired) {
      for (const c of repaired.liveCounts) if (c.kept !== c.counted) io.stdout(t('check.countsRepaired', { what: table(c), counted: n(c.counted) }) + '\n');
    } else if (r.ok) io.stdout(`${t('check.whatToDo')} ${t('check.countsRepairHint')}\n`);
  }
  return r.ok && (!drift || repaired) ? 0 : 1;
}

/** Why the database is read-only, in the run's language (db/open.ts's reason by key). */
function readOnlyReason(readOnly: string): string {
  const p = reasonParams(readOnly);
  return errorMessage({ message: readOnly, details: { messageKey: `db.why.${p.why}`, messageParams: p } });
}
