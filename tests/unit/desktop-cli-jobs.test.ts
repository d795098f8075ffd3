/** `ferry jobs` prints when each job ran in the user's local time with the offset, yyyy-MM-dd (issue 15's Proof). */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ferryCli } from '../helpers/cli.ts';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';
import { localTime } from '../../src-main/cli/local-time.ts';

const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('ferry jobs: local time with the zone', () => {
  it('formats a UTC timestamp on the local clock with its offset', () => {
    process.env.TZ = 'Africa/Nairobi'; // UTC+3, no summer time
    expect(localTime('2026-12-07T22:45:17.123Z')).toBe('2026-12-08 01:45:17 +03:00');
    process.env.TZ = 'America/Port-au-Prince';
    expect(localTime('2026-01-15T10:00:00.000Z')).toBe('2026-01-15 05:00:00 -05:00');
    process.env.TZ = 'Asia/Kathmandu';
    expect(localTime('2026-01-15T10:00:00.000Z')).toBe('2026-01-15 15:45:00 +05:45');
    process.env.TZ = 'UTC';
    expect(localTime('2026-01-15T10:00:00.000Z')).toBe('2026-01-15 10:00:00 +00:00');
    expect(localTime('not a date')).toBe('not a date');
  });

  it('the text lines show the local time; --json keeps the stored UTC timestamp', async () => {
    process.env.TZ = 'Africa/Nairobi';
    const db = path.join(tmpDir(), 'site.db');
    const file = path.join(repoRoot, 'tests/fixtures/e2e/metadata-small.json');
    expect((await ferryCli(['--db', db, 'import', file, '--dry-run'])).code).toBe(0);
    const [job] = (await ferryCli(['--db', db, 'jobs', '--json'])).json<{ id: number; createdAt: string }[]>();
    expect(job!.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const text = await ferryCli(['--db', db, 'jobs']);
    expect(text.code).toBe(0);
    const utc = new Date(job!.createdAt);
    const nairobi = new Date(utc.getTime() + 3 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    expect(text.stdout.split('\n')[0]).toBe(`#${job!.id} ${nairobi} +03:00 import metadata (dry run) done OK — metadata-small.json ${text.stdout.match(/[0-9a-f]{12}/)![0]}`);
  });
});
