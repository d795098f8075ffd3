import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';
import { STAMP_FILE, builtCliState, sourcesStamp } from '../../bin/sources-stamp.mjs';

/**
 * `ferry` (bin/ferry.mjs) runs the bundled CLI (out/main/cli.js) and its jobs in the bundled worker, without tsx, when
 * the build matches the sources; the sources through tsx otherwise. A probe loaded with --import records every module
 * of tsx that is resolved and every worker started, so "did not load tsx" is observed, not assumed.
 */
describe('the built ferry command', () => {
  /**
   * A checkout of its own: bin/ copied, the sources and node_modules linked, and the bundle built into its out/ (not
   * the repository's: built-app.test.ts rebuilds that one while these run).
   */
  let root = '';
  beforeAll(() => {
    root = tmpDir('ferry-checkout-');
    fs.cpSync(path.join(repoRoot, 'bin'), path.join(root, 'bin'), { recursive: true });
    for (const f of ['src-main', 'src-shared', 'node_modules', 'package.json', 'electron.vite.config.ts']) fs.symlinkSync(path.join(repoRoot, f), path.join(root, f));
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', path.join(root, 'out'), '--logLevel', 'warn'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`);
  }, 120_000);

  function probe(dir: string): { file: string; log: string } {
    const log = path.join(dir, 'probe.log');
    const file = path.join(dir, 'probe.mjs');
    const hook = `import fs from 'node:fs'; export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.includes('/node_modules/tsx/')) fs.appendFileSync(${JSON.stringify(log)}, 'tsx ' + r.url + '\\n'); if (r.url.includes('/out/main/')) fs.appendFileSync(${JSON.stringify(log)}, 'module ' + r.url.slice(r.url.indexOf('/out/main/') + 10) + '\\n' + (c.parentURL && c.parentURL.includes('/out/main/') ? 'edge ' + c.parentURL.slice(c.parentURL.indexOf('/out/main/') + 10) + ' ' + r.url.slice(r.url.indexOf('/out/main/') + 10) + '\\n' : '')); return r; }`;
    fs.writeFileSync(
      file,
      `import fs from 'node:fs';
import wt from 'node:worker_threads';
import { register, syncBuiltinESMExports } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
const W = wt.Worker;
wt.Worker = class extends W { constructor(f, o) { fs.appendFileSync(${JSON.stringify(log)}, 'worker ' + (o && o.eval ? 'eval' : String(f)) + '\\n'); super(f, o); } };
syncBuiltinESMExports();
`,
    );
    return { file, log };
  }

  function ferry(dir: string, args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string; log: string[] } {
    const p = probe(dir);
    fs.rmSync(p.log, { force: true });
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(p.file).href, path.join(root, 'bin/ferry.mjs'), ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, FERRY_SAY_SOURCES: '1', FERRY_FROM_SOURCES: '', ...env },
    });
    const log = fs.existsSync(p.log) ? fs.readFileSync(p.log, 'utf8').trim().split('\n') : [];
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, log };
  }

  it('the build writes the stamp of the sources it was made from, and they match', () => {
    expect(JSON.parse(fs.readFileSync(path.join(root, STAMP_FILE), 'utf8')).sources).toBe(sourcesStamp(root));
    expect(builtCliState(root)).toEqual({ fresh: true, why: '' });
  });

  it('ferry --help starts from the bundle: no module of tsx is resolved and no note about the sources', () => {
    const dir = tmpDir('ferry-built-cli-');
    const r = ferry(dir, ['--help']);
    expect(r.status).toBe(0);
    // --help without a command prints the usage on stderr (as it always has), and nothing else
    expect(r.stderr).toMatch(/^ferry \d+\.\d+\.\d+ — offline DHIS2 import\/export/);
    expect(r.stderr).toContain('ferry [--db PATH] backup --out FILE');
    expect(r.stderr).not.toContain('running the sources');
    expect(r.log.filter((l) => l.startsWith('tsx '))).toEqual([]);
  });

  it('ferry --help and ferry info load small chunks only: no registry, no job engine, no format reader or writer', () => {
    const dir = tmpDir('ferry-built-cli-');
    const engine = /^chunks\/(runner|parse-side|commands|register|writer)-/;
    // (a module is logged at each import of it: each counted once)
    const modules = (log: string[]): string[] => [...new Set(log.filter((l) => l.startsWith('module ')).map((l) => l.slice(7)))];
    const bytes = (ms: string[]): number => ms.reduce((n, m) => n + fs.statSync(path.join(root, 'out/main', m)).size, 0);
    const help = ferry(dir, ['--help']);
    expect(help.status).toBe(0);
    const helpModules = modules(help.log);
    expect(helpModules).toContain('cli.js');
    expect(helpModules.filter((m) => engine.test(m) || m.startsWith('chunks/open-'))).toEqual([]);
    expect(bytes(helpModules)).toBeLessThan(250_000); // ~180 KB: the usage, i18next and the cli messages
    const db = path.join(dir, 'site.sqlite');
    const info = ferry(dir, ['--db', db, 'info', '--json']);
    expect(info.status, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ dataValues: 0, events: 0 });
    const infoModules = modules(info.log);
    expect(infoModules.some((m) => m.startsWith('chunks/info-'))).toBe(true);
    expect(infoModules.filter((m) => engine.test(m))).toEqual([]);
    expect(bytes(infoModules)).toBeLessThan(450_000); // ~410 KB: the database's code and the engine's English messages (~70 KB: its refusals are keyed)
    expect(info.log.filter((l) => l.startsWith('worker '))).toEqual([]);
    // the engine's chunks are what an import loads (the next test): the check above can fail
  });

  it('ferry import loads the engine in its job worker only: the command\'s thread is a job client (no engine, no database)', () => {
    const dir = tmpDir('ferry-built-cli-');
    const engine = /^chunks\/(runner|parse-side|commands|register|writer)-/;
    const db = path.join(dir, 'site.sqlite');
    // What each thread loaded is what its entry reaches through the imports the probe saw.
    const meta = path.join(dir, 'meta.json');
    fs.writeFileSync(meta, JSON.stringify({ organisationUnits: [{ id: 'ImspTQPwCqd', name: 'Sierra Leone', shortName: 'Sierra Leone', openingDate: '1994-01-01' }] }));
    const imp = ferry(dir, ['--db', db, 'import', meta, '--json']);
    expect(imp.status, imp.stderr).toBe(0);
    const reached = (entry: string): string[] => {
      const edges = imp.log.filter((l) => l.startsWith('edge ')).map((l) => l.split(' ').slice(1) as [string, string]);
      const seen = new Set([entry]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const [from, to] of edges) if (seen.has(from) && !seen.has(to)) (seen.add(to), (grew = true));
      }
      return [...seen];
    };
    expect(reached('worker.js').filter((m) => engine.test(m)).length).toBeGreaterThan(0);
    const commandThread = reached('cli.js');
    expect(commandThread.some((m) => m.startsWith('chunks/job-client-'))).toBe(true);
    expect(commandThread.filter((m) => engine.test(m) || m.startsWith('chunks/open-'))).toEqual([]);
    // one job worker: bin/ferry.mjs started it while the command loaded, and the command took it (no second one)
    expect(imp.log.filter((l) => l.startsWith('worker '))).toEqual([`worker ${path.join(root, 'out/main/worker.js')}`]);
    // none for `ferry import --help`
    const help = ferry(dir, ['import', '--help']);
    expect(help.status).toBe(0);
    expect(help.log.filter((l) => l.startsWith('worker '))).toEqual([]);
  });

  it('FERRY_FROM_SOURCES=1 runs the sources through tsx and says so (the probe sees tsx: the check above can fail)', () => {
    const dir = tmpDir('ferry-built-cli-');
    const r = ferry(dir, ['--version'], { FERRY_FROM_SOURCES: '1' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('ferry: running the sources through tsx (slower to start): FERRY_FROM_SOURCES=1\n');
    expect(r.log.some((l) => l.startsWith('tsx '))).toBe(true);
  });

  it('an import runs in the bundled worker (out/main/worker.js), still without tsx, and its result is stored', () => {
    const dir = tmpDir('ferry-built-cli-');
    const meta = path.join(dir, 'meta.json');
    fs.writeFileSync(meta, JSON.stringify({ organisationUnits: [{ id: 'ImspTQPwCqd', name: 'Sierra Leone', shortName: 'Sierra Leone', openingDate: '1994-01-01' }] }));
    const db = path.join(dir, 'site.sqlite');
    const r = ferry(dir, ['--db', db, 'import', meta, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'OK', stats: { created: 1 } });
    expect(r.log).toContain(`worker ${path.join(root, 'out/main/worker.js')}`);
    expect(r.log.filter((l) => l.startsWith('tsx '))).toEqual([]);
    const info = ferry(dir, ['--db', db, 'info', '--json']);
    expect(JSON.parse(info.stdout).metadata).toMatchObject({ organisationUnits: 1 });
  });

  it('a data value import parses on the bundled parse thread (out/main/data-parse-worker.js), without tsx', () => {
    const dir = tmpDir('ferry-built-cli-');
    const meta = path.join(dir, 'meta.json');
    fs.writeFileSync(
      meta,
      JSON.stringify({
        organisationUnits: [{ id: 'ImspTQPwCqd', name: 'Sierra Leone', shortName: 'Sierra Leone', openingDate: '1994-01-01' }],
        dataElements: [{ id: 'DeInteger01', name: 'Integer', shortName: 'Integer', valueType: 'INTEGER', domainType: 'AGGREGATE', aggregationType: 'SUM', categoryCombo: { id: 'bjDvmb4bfuf' } }],
      }),
    );
    const csv = path.join(dir, 'values.csv');
    fs.writeFileSync(csv, 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\nDeInteger01,202401,ImspTQPwCqd,,,5\nDeNope00001,202401,ImspTQPwCqd,,,6\n');
    const db = path.join(dir, 'site.sqlite');
    expect(ferry(dir, ['--db', db, 'import', meta, '--json']).status).toBe(0);
    // (a file this small parses on the job's thread unless told otherwise)
    const r = ferry(dir, ['--db', db, 'import', csv, '--json'], { FERRY_PARSE_THREAD: 'worker' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'WARNING', importCount: { imported: 1, ignored: 1 }, conflicts: [{ errorCode: 'E7610', object: 'DeNope00001' }] });
    expect(r.log).toContain(`worker ${path.join(root, 'out/main/data-parse-worker.js')}`);
    expect(r.log.filter((l) => l.startsWith('tsx '))).toEqual([]);
  });

  it('ferry serve from the bundle serves the built screens (their folder is found from bin/, not from the bundle)', async () => {
    const dir = tmpDir('ferry-built-cli-');
    const child = spawn(process.execPath, [path.join(root, 'bin/ferry.mjs'), '--db', path.join(dir, 'site.sqlite'), 'serve'], {
      cwd: root,
      env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', FERRY_FROM_SOURCES: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (x: string) => (err += x));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (x: string) => {
          out += x;
          const m = /open (http:\/\/127\.0\.0\.1:\d+)\/#token=/.exec(out);
          if (m) resolve(m[1]!);
        });
        void exited.then((code) => reject(new Error(`ferry serve exited (${code}): ${err}`)));
      });
      const page = await fetch(url + '/');
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<script[^>]+src="[^"]+\.js"/);
      expect(err).not.toContain('the screens are not built');
    } finally {
      child.kill('SIGINT');
      await exited;
    }
  }, 60_000);

  it('a source changed after the build makes the build stale (then the sources run); never built is said too', () => {
    const fake = tmpDir('ferry-stamp-');
    fs.mkdirSync(path.join(fake, 'src-main'), { recursive: true });
    fs.mkdirSync(path.join(fake, 'src-shared'));
    fs.mkdirSync(path.join(fake, 'out/main'), { recursive: true });
    fs.writeFileSync(path.join(fake, 'src-main/a.ts'), 'export const a = 1;\n');
    expect(builtCliState(fake)).toEqual({ fresh: false, why: 'it is not built' });
    fs.writeFileSync(path.join(fake, 'out/main/cli.js'), '');
    expect(builtCliState(fake)).toEqual({ fresh: false, why: 'its build has no stamp' });
    fs.writeFileSync(path.join(fake, STAMP_FILE), JSON.stringify({ sources: sourcesStamp(fake) }));
    expect(builtCliState(fake).fresh).toBe(true);
    fs.writeFileSync(path.join(fake, 'src-main/a.ts'), 'export const a = 22;\n'); // another size
    expect(builtCliState(fake)).toEqual({ fresh: false, why: 'the sources changed since it was built' });
    fs.writeFileSync(path.join(fake, STAMP_FILE), JSON.stringify({ sources: sourcesStamp(fake) }));
    fs.writeFileSync(path.join(fake, 'src-shared/new.ts'), ''); // a new file
    expect(builtCliState(fake).fresh).toBe(false);
  });
});
