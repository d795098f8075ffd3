import type { Migration } from '../migrate.ts';
import { FERRY_APPLICATION_ID } from './application-id.ts';

/**
 * Marks the file as Ferry's: SQLite's header field application_id (offset 68) becomes 'FRRY', so that openDb tells a
 * Ferry database from another program's SQLite file by one header read, before it writes anything. Databases made
 * before this migration are recognised by their tables and user_version (see db/open.ts) and get the mark here.
 */
export const m0005: Migration = {
  version: 5,
  name: 'application-id',
  up: (db) => {
    db.pragma(`application_id = ${FERRY_APPLICATION_ID}`);
  },
};
