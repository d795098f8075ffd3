/**
 * What the start page says: whether the database is still fresh (only the system defaults DHIS2 creates in every
 * database: the default category, option, combo and option combo, migration 0002), and one line per tile saying
 * what that screen is for.
 */
import type { DbInfo } from '../../../src-shared/api/contract.ts';
import type { ScreenId } from '../../stores/app.ts';

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

/** One line per start-page tile: what the screen is for, in the district's words. */
export const TILE_PURPOSE: Record<Exclude<ScreenId, 'home'>, string> = {
  'import-metadata': 'Bring in org units, data elements, data sets… from a DHIS2 metadata file (JSON or XML).',
  'import-data': 'Load data values (JSON, XML, CSV, ADX, filled PDF forms…), one file or many at once.',
  'import-csv-metadata': 'Create or update one kind of object (e.g. org units) from a simple CSV sheet.',
  'import-geometry': 'Add coordinates and boundaries to org units from GeoJSON or GML files.',
  'import-events': 'Load program events and tracker data (JSON, XML or CSV).',
  'import-dhis14': 'Move an old DHIS 1.4 database (Access .mdb or XML export) into this one.',
  'export-metadata': 'Write chosen kinds of metadata to a file for a DHIS2 server or another site.',
  'export-dependencies': 'Write one data set or program with everything it needs, ready for another server.',
  'export-data': 'Write data values for chosen data sets, org units and periods.',
  'export-pdf-form': 'Print a data set as a PDF form that facilities fill in and send back.',
  'export-csv-metadata': 'Write one kind of object as a CSV sheet to edit in a spreadsheet.',
  'export-events': 'Write program events for a program, org units and dates.',
  'export-tracked-entities': 'Write tracked entities with their enrollments and events.',
  'export-dhis14': 'Write data or metadata in DHIS 1.4’s format for sites still using it.',
  send: 'Pack what changed since the last package for another site (on a USB key or by e-mail).',
  receive: 'Bring in packages other sites sent, each checked before anything is saved.',
  sites: 'The sites this database exchanges packages with.',
  jobs: 'Every import and export run here, with its summary, Run again and Undo.',
  'db-check': 'Check that the database file is whole (after a power cut, for example).',
  'db-maintenance': 'Back up, restore or compact the database file.',
};
