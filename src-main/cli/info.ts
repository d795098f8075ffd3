/**
 * `ferry info`: what the database holds. It opens the database (migrating it as every start of Ferry does) and counts,
 * without the job manager, the handlers or the engine: the same counts the db:info channel gives (services/info.ts).
 */
import { openSite } from '../db/open.ts';
import { dbInfo } from '../services/info.ts';
import type { CliIo } from './main.ts';

/** 1,234 MB */
function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024)).toLocaleString('en')} MB`;
}

export async function infoCommand(dbPath: string, json: boolean, io: CliIo): Promise<number> {
  const site = openSite(dbPath);
  try {
    const info = dbInfo(site.db);
    if (json) io.stdout(JSON.stringify(info, null, 2) + '\n');
    else {
      io.stdout(`Database: ${dbPath}\n`);
      const types = Object.entries(info.metadata);
      io.stdout(types.length ? types.map(([k, v]) => `  ${k}: ${v}`).join('\n') + '\n' : '  no metadata\n');
      io.stdout(`  data values: ${info.dataValues}\n  events: ${info.events}\n`);
      const free = info.freeSpace;
      if (free?.worthCompacting)
        io.stdout(`${megabytes(free.freeBytes)} of the file's ${megabytes(free.fileBytes)} (${Math.round((free.freeBytes / free.fileBytes) * 100)}%) is free space: \`ferry vacuum\` gives it back\n`);
    }
    return 0;
  } finally {
    site.close();
  }
}
