/** For tests of Ferry's languages: a fresh site database with the small metadata for each test, English after it. */
import { afterEach, beforeEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src-main/db/open.ts';
import { useLanguage } from '../../src-main/cli/i18n.ts';
import { tmpDir } from './tmp.ts';
import { SMALL_METADATA, loadMetadata } from '../unit/importers/data-values/helpers.ts';

/** no language from the machine: only what the test gives */
export const NO_LOCALE = { FERRY_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: '' };

/** Registers the hooks; the folder and database of the running test are read from the returned object. */
export function smallSiteEachTest(prefix: string): { dir: string; dbPath: string } {
  const site = { dir: '', dbPath: '' };
  beforeEach(() => {
    site.dir = tmpDir(prefix);
    site.dbPath = path.join(site.dir, 'site.sqlite');
    const db = openDb(site.dbPath);
    loadMetadata(db, SMALL_METADATA);
    db.close();
  });
  afterEach(async () => {
    fs.rmSync(site.dir, { recursive: true, force: true });
    await useLanguage('en');
  });
  return site;
}
