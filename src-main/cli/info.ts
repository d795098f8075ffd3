/**
 * `ferry info`: what the database holds. It opens the database (migrating it as every start of Ferry does) and counts,
 * without the job manager, the handlers or the engine: the same counts the db:info channel gives (services/info.ts).
 */
import { openSite } from '../db/open.ts';
import { dbInfo } from '../services/info.ts';
import type { CliIo } from './main.ts';
import { n, t } from './i18n.ts';

/** 1,234 MB (in the language's way) */
function megabytes(bytes: number): string {
  return `${n(Math.round(bytes / (1024 * 1024)))} MB`;
}

export async function infoCommand(dbPath: string, json: boolean, io: CliIo): Promise<number> {
  const site = openSite(dbPath);
  try {
    const info = dbInfo(site.db);
    if (json) io.stdout(JSON.stringify(info, null, 2) + '\n');
    else {
      io.stdout(`${t('info.database', { path: dbPath })}\n`);
      // metadata types are DHIS2's names (organisationUnits, dataElements): the same in every language
      const types = Object.entries(info.metadata);
      io.stdout(types.length ? types.map(([k, v]) => `  ${k}: ${n(v)}`).join('\n') + '\n' : `  ${t('info.noMetadata')}\n`);
      io.stdout(`  ${t('info.dataValues', { n: n(info.dataValues) })}\n  ${t('info.events', { n: n(info.events) })}\n`);
      const free = info.freeSpace;
      if (free?.worthCompacting)
        io.stdout(`${t('info.freeSpace', { free: megabytes(free.freeBytes), file: megabytes(free.fileBytes), percent: Math.round((free.freeBytes / free.fileBytes) * 100) })}\n`);
    }
    return 0;
  } finally {
    site.close();
  }
}
