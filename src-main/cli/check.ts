/**
 * `ferry check`: SQLite's integrity check of the database (services/check.ts, in a worker), with a progress line on a
 * terminal. It opens the database without the rest of Ferry (no job manager, no migration): checking a damaged
 * database must not depend on that database's job table being readable. Exit 0 sound, 1 damaged, 2 not checkable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openSite, type Site } from '../db/open.ts';
import { CHECK_FAILED_ADVICE, DbChecker } from '../services/check.ts';
import { AppError, toSerializedError } from '../../src-shared/errors.ts';
import type { DbCheckProgress, DbCheckResult } from '../../src-shared/api/contract.ts';
import type { CliIo } from './main.ts';
import { currentLanguage, n, t } from './i18n.ts';

export async function checkCommand(dbPath: string, json: boolean, io: CliIo, workerPath?: string): Promise<number> {
  if (!fs.existsSync(dbPath)) throw new AppError('FILE_NOT_FOUND', `There is no database at ${path.resolve(dbPath)}.`, { file: dbPath });
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
    const line = `${p.stage} (${t('check.step', { step: p.step, steps: p.steps })}) [${'#'.repeat(Math.round(frac * 30)).padEnd(30, '.')}] ${Math.round(frac * 100)}%`;
    io.stderr('\r' + line.padEnd(lastLen, ' '));
    lastLen = line.length;
  };
  try {
    const checker = new DbChecker({ dbPath: site.path, displayName: dbPath, mode: io.env.FERRY_INLINE_JOBS === '1' ? 'inline' : 'worker', workerPath });
    const r = await checker.run(onProgress);
    if (lastLen) io.stderr('\r' + ' '.repeat(lastLen) + '\r');
    return report(r, dbPath, site.readOnly, json, io);
  } finally {
    site.close();
  }
}

function report(r: DbCheckResult, dbPath: string, readOnly: string | null, json: boolean, io: CliIo): number {
  if (json) io.stdout(JSON.stringify(r, null, 2) + '\n');
  else if (r.ok) {
    io.stdout(
      t('check.ok', { path: dbPath, tables: n(r.tables), pages: n(r.pages), seconds: (r.durationMs / 1000).toLocaleString(currentLanguage(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }) }) +
        (readOnly ? t('check.readOnlyCopy', { why: readOnly.replace(/^it is /, '') }) : '') +
        '\n',
    );
  } else {
    // SQLite's messages and the advice (services/check.ts) as they are written
    io.stdout(`${t('check.damaged', { path: dbPath })}\n${r.messages.map((m) => `  ${m}`).join('\n')}\n${t('check.whatToDo')} ${r.advice ?? CHECK_FAILED_ADVICE}\n`);
  }
  return r.ok ? 0 : 1;
}
