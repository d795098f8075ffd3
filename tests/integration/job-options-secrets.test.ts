/** The job history never keeps a password: a protected DHIS 1.4 database's password reaches the job, not the table. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src-main/db/open.ts';
import { keptOptions } from '../../src-main/jobs/manager.ts';
import { ferryCli } from '../helpers/cli.ts';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';

const MDB = path.join(repoRoot, 'tests/fixtures/dhis14/small.mdb');

let dir: string;
beforeEach(() => {
  dir = tmpDir('ferry-secret-');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('job options kept in the history', () => {
  it('keptOptions drops passwords, secrets and tokens and keeps the rest as given', () => {
    const o = { mode: 'import', user: 'admin', password: 'Dist2019!', lastUpdated: '2024-01-01', apiToken: 'd2p_x', clientSecret: 's', levels: 4 };
    expect(keptOptions(o)).toEqual({ mode: 'import', user: 'admin', lastUpdated: '2024-01-01', levels: 4 });
    expect(o.password).toBe('Dist2019!');
  });

  it('a 1.4 import given --password runs, and its job row holds the user but not the password', async () => {
    const db = path.join(dir, 'f.db');
    const r = await ferryCli(['--db', db, 'import', MDB, '--kind', 'dhis14', '--mode', 'analyse', '--user', 'admin', '--password', 'Dist2019!', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const h = openDb(db);
    try {
      const rows = h.prepare(`SELECT options, coalesce(summary, '') AS summary FROM job`).all() as { options: string; summary: string }[];
      expect(rows).toHaveLength(1);
      expect(JSON.parse(rows[0]!.options)).toMatchObject({ user: 'admin', mode: 'analyse' });
      expect(rows[0]!.options).not.toContain('Dist2019!');
      expect(rows[0]!.summary).not.toContain('Dist2019!');
    } finally {
      h.close();
    }
  });
});
