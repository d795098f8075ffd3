/**
 * What the start page says: whether the database is still fresh (only the system defaults DHIS2 creates in every
 * database: the default category, option, combo and option combo, migration 0002), and one line per tile saying
 * what that screen is for.
 */
import type { DbInfo } from '../../../src-shared/api/contract.ts';
import type { ScreenId } from '../../stores/app.ts';
import { i18n } from '../../i18n.ts';

/** Objects every database holds from the start (DHIS2's "default" category model): not the user's metadata. */
export const SYSTEM_DEFAULT_COUNTS: Readonly<Record<string, number>> = {
  categoryOptions: 1,
  categories: 1,
  categoryCombos: 1,
  categoryOptionCombos: 1,
};

/** Metadata objects beyond the system defaults. */
export function userMetadataCount(metadata: Record<string, number> | undefined): number {
  let n = 0;
  for (const [type, count] of Object.entries(metadata ?? {})) n += Math.max(0, count - (SYSTEM_DEFAULT_COUNTS[type] ?? 0));
  return n;
}

/** A database nobody has imported into yet: no metadata beyond the defaults, no data values, no events. */
export function isFreshDatabase(info: DbInfo | null | undefined): boolean {
  return !!info && userMetadataCount(info.metadata) === 0 && info.dataValues === 0 && info.events === 0;
}

/** The catalogue key of each start-page tile's line (app namespace): what the screen is for, in the district's words. */
export const TILE_PURPOSE_KEY = {
  'import-metadata': 'tile.import-metadata',
  'import-data': 'tile.import-data',
  'import-csv-metadata': 'tile.import-csv-metadata',
  'import-geometry': 'tile.import-geometry',
  'import-events': 'tile.import-events',
  'import-dhis14': 'tile.import-dhis14',
  'export-metadata': 'tile.export-metadata',
  'export-dependencies': 'tile.export-dependencies',
  'export-data': 'tile.export-data',
  'export-pdf-form': 'tile.export-pdf-form',
  'export-csv-metadata': 'tile.export-csv-metadata',
  'export-events': 'tile.export-events',
  'export-tracked-entities': 'tile.export-tracked-entities',
  'export-dhis14': 'tile.export-dhis14',
  send: 'tile.send',
  receive: 'tile.receive',
  sites: 'tile.sites',
  jobs: 'tile.jobs',
  'db-check': 'tile.db-check',
  'db-maintenance': 'tile.db-maintenance',
} as const satisfies Record<Exclude<ScreenId, 'home'>, `tile.${string}`>;

/** One line per start-page tile, in the language shown now (read when rendered: it follows the language chooser). */
export const TILE_PURPOSE = Object.defineProperties(
  {},
  Object.fromEntries(Object.entries(TILE_PURPOSE_KEY).map(([screen, key]) => [screen, { enumerable: true, get: () => i18n.t(`app:${key}`) }])),
) as Readonly<Record<Exclude<ScreenId, 'home'>, string>>;
