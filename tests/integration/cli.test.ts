import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ferryCli } from '../helpers/cli.ts';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';

describe('ferry CLI contract', () => {
  const dir = tmpDir();
  const db = path.join(dir, 'site.sqlite');

  it('prints usage and exits 2 without a command, 0 with --help', async () => {
    const none = await ferryCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('ferry [--db PATH] import FILE...');
    const help = await ferryCli(['--help']);
    expect(help.code).toBe(0);
  });

  it('exits 2 for an unknown command or a missing file', async () => {
    const bad = await ferryCli(['--db', db, 'frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown command 'frobnicate'");
    const missing = await ferryCli(['--db', db, 'import', path.join(dir, 'nope.json'), '--json']);
    expect(missing.code).toBe(2);
    expect(missing.json()).toMatchObject({ status: 'ERROR', error: { code: 'FILE_NOT_FOUND', message: expect.stringContaining('nope.json') } });
  });

  it('exits 2 and names the file for content that is not DHIS2', async () => {
    const f = path.join(dir, 'letter.txt');
    fs.writeFileSync(f, 'Dear district office, please find attached');
    const r = await ferryCli(['--db', db, 'import', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('letter.txt: not a DHIS2 file');
  });

  it('with --json, a usage error is still one JSON document on stdout', async () => {
    const r = await ferryCli(['--db', db, 'export', 'data', '--json']);
    expect(r.code).toBe(2);
    expect(r.json()).toEqual({ status: 'ERROR', error: { code: 'BAD_REQUEST', message: 'export needs --out FILE', details: {} } });
  });

  it('names the file and what is wrong with it: an Access header (a DHIS 1.4 database, whatever the name) with nothing after it', async () => {
    const f = path.join(dir, 'district.json');
    fs.writeFileSync(f, Buffer.concat([Buffer.from([0, 1, 0, 0]), Buffer.from('Standard Jet DB\0'), Buffer.alloc(64)]));
    const r = await ferryCli(['--db', db, 'import', f]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('import dhis14: FAILED');
    expect(r.stderr).toContain('district.json: the Access database is truncated or damaged');
  });

  it('export without --format takes the format and compression from the file name; --format wins', async () => {
    const gz = path.join(dir, 'md.xml.gz');
    const r = await ferryCli(['--db', db, 'export', 'metadata', '--out', gz]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('ferry: writing xml in gzip, as the file name says');
    const { gunzipSync } = await import('node:zlib');
    expect(gunzipSync(fs.readFileSync(gz)).toString('utf8')).toMatch(/^<\?xml[^>]*\?>\s*<metadata/);
    const explicit = path.join(dir, 'md2.xml');
    const e = await ferryCli(['--db', db, 'export', 'metadata', '--format', 'json', '--out', explicit]);
    expect(e.code).toBe(0);
    expect(e.stderr).not.toContain('as the file name says');
    expect(JSON.parse(fs.readFileSync(explicit, 'utf8'))).toHaveProperty('system');
    const unknown = path.join(dir, 'md.txt');
    expect((await ferryCli(['--db', db, 'export', 'metadata', '--out', unknown])).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(unknown, 'utf8'))).toHaveProperty('system');
  });

  it('info --json has the documented keys', async () => {
    const r = await ferryCli(['--db', db, 'info', '--json']);
    expect(r.code).toBe(0);
    const info = r.json<{ metadata: Record<string, number>; dataValues: number; events: number }>();
    // freeSpace: added for the compaction hint (issue 14)
    expect(info).toEqual({ metadata: expect.any(Object), dataValues: 0, events: 0, freeSpace: { fileBytes: expect.any(Number), freeBytes: 0, worthCompacting: false } });
  });

  it('takes the database from FERRY_DB when --db is not given', async () => {
    const other = path.join(dir, 'from-env.sqlite');
    const r = await ferryCli(['info', '--json'], { env: { FERRY_DB: other } });
    expect(r.code).toBe(0);
    expect(fs.existsSync(other)).toBe(true);
  });

  it('runs as a real command (bin/ferry.mjs) and prints exactly one JSON document', () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/ferry.mjs'), '--db', db, 'jobs', '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(Array.isArray(JSON.parse(r.stdout))).toBe(true);
  });
});
