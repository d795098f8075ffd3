import type { Migration } from '../migrate.ts';

/**
 * Which process runs a job (pid + host), so that opening the database marks as interrupted only the jobs of a process
 * that is gone — not the running import of another Ferry window or `ferry` command on the same database.
 */
export const m0004: Migration = {
  version: 4,
  name: 'job-owner',
  up: `
ALTER TABLE job ADD COLUMN pid INTEGER;
ALTER TABLE job ADD COLUMN host TEXT;
`,
};
