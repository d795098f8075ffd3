/**
 * scripts/rebuild-electron.mjs: the SQLite module for Electron is verified, not trusted; when Electron's headers cannot
 * be downloaded (offline) it says so, and Node's module is put back — never a wrong-ABI module left silently.
 * The rebuild and the ABI probe are stubbed (no compiler, no network): a temp "project" whose module file says which
 * runtime it was built for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp.ts';
// @ts-expect-error -- a plain .mjs script without types
import * as rebuild from '../../../scripts/rebuild-electron.mjs';

interface Verdict {
  ok: boolean;
  reason: string;
  message: string;
}
interface SpawnResult {
  status: number | null;
  stdout: string;
  stderr: string;
}
type Spawn = (cmd: string, args: string[], o: { env?: NodeJS.ProcessEnv }) => SpawnResult;
const r = rebuild as {
  judgeRebuild(o: { status: number; output: string; probe: { loads: boolean; abi: number | null; message: string }; electronAbi: number; nodeAbi: number; electronVersion: string }): Verdict;
  rebuildForElectron(d: { root: string; env: NodeJS.ProcessEnv; spawnSync: Spawn; log: (s: string) => void }): Verdict;
  useNodeBuild(d: { root: string; spawnSync: Spawn; log: (s: string) => void }): { ok: boolean; message: string };
  rebuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  modulePath(root: string): string;
};

const NODE_ABI = Number(process.versions.modules);
/** what node-gyp printed here, offline (captured from a real `install-app-deps` run with nodedir cleared) */
const OFFLINE = `  • executing @electron/rebuild  electronVersion=45.5.0 arch=x64 buildFromSource=false
  • preparing       moduleName=better-sqlite3 arch=x64
  ⨯
Error: This is most likely not a problem with node-gyp or the package itself and
is related to network connectivity. In most cases you are behind a proxy or have bad
network settings.
    at go (node_modules/node-gyp/lib/install.js:244:21)
  ⨯ node-gyp failed to rebuild 'node_modules/better-sqlite3'  failedTask=installAppDeps`;

function project(): string {
  const root = tmpDir('ferry-rebuild-');
  const w = (p: string, s: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), s);
  };
  w('node_modules/electron/package.json', JSON.stringify({ version: '45.5.0' }));
  w('node_modules/electron/abi_version', '150');
  w('node_modules/better-sqlite3/package.json', JSON.stringify({ version: '12.11.1' }));
  w('node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'built-for-node');
  return root;
}

/**
 * A stub of spawnSync: the ABI probe answers from the module file's content (as Node would: loads its own ABI, names
 * another); `install-app-deps` runs `rebuilt` (which may rewrite or remove the module) and answers its result.
 */
function stub(rebuilt: (mod: string) => SpawnResult, npmRebuild?: (mod: string) => SpawnResult) {
  const calls: { cmd: string; args: string[]; env?: NodeJS.ProcessEnv }[] = [];
  const spawnSync: Spawn = (cmd, args, o) => {
    if (args[0] === '-e') {
      const content = fs.readFileSync(args[2]!, 'utf8');
      if (content === 'built-for-node') return { status: 0, stdout: JSON.stringify({ loads: true }) + '\n', stderr: '' };
      const abi = content === 'built-for-electron' ? 150 : 999;
      const message = `The module '${args[2]}' was compiled against a different Node.js version using NODE_MODULE_VERSION ${abi}. This version of Node.js requires NODE_MODULE_VERSION ${NODE_ABI}.`;
      return { status: 0, stdout: JSON.stringify({ loads: false, message }) + '\n', stderr: '' };
    }
    calls.push({ cmd, args, env: o.env });
    if (args[1] === 'install-app-deps') return rebuilt(args[0]!.replace(/electron-builder[\\/]cli\.js$/, 'better-sqlite3/build/Release/better_sqlite3.node'));
    if (args[0] === 'rebuild' && npmRebuild) return npmRebuild('');
    throw new Error(`unexpected spawn ${cmd} ${args.join(' ')}`);
  };
  return { spawnSync, calls };
}

const quiet = (): void => undefined;

describe('judgeRebuild', () => {
  const base = { electronAbi: 150, nodeAbi: NODE_ABI, electronVersion: '45.5.0' };
  it('success only when the module has Electron’s ABI', () => {
    expect(r.judgeRebuild({ ...base, status: 0, output: '', probe: { loads: false, abi: 150, message: '' } })).toMatchObject({ ok: true, reason: 'ok' });
  });
  it('offline: could not get Electron’s headers, said plainly, with the line that shows it', () => {
    const v = r.judgeRebuild({ ...base, status: 1, output: OFFLINE, probe: { loads: false, abi: null, message: 'missing' } });
    expect(v).toMatchObject({ ok: false, reason: 'headers' });
    expect(v.message).toBe(
      "Could not get Electron's headers to rebuild the SQLite module for Electron 45.5.0 (This is most likely not a problem with node-gyp or the package itself and is related to network connectivity. In most cases you are behind a proxy or have bad network settings). " +
        'They are downloaded from https://electronjs.org/headers on the first rebuild: this needs Internet access (or HTTPS_PROXY). ' +
        'The SQLite module stays built for Node, so the ferry command and the tests keep working; the Electron app cannot use it.',
    );
  });
  it('"success" that left Node’s ABI (the old behaviour) is a failure', () => {
    const v = r.judgeRebuild({ ...base, status: 0, output: 'done', probe: { loads: true, abi: NODE_ABI, message: '' } });
    expect(v).toMatchObject({ ok: false, reason: 'node-abi' });
    expect(v.message).toContain(`reported success but left the SQLite module built for Node (ABI ${NODE_ABI}), not for Electron 45.5.0 (ABI 150)`);
  });
  it('another build failure, or another ABI, is a failure too', () => {
    expect(r.judgeRebuild({ ...base, status: 1, output: 'gyp ERR! stack Error: `make` failed with exit code: 2', probe: { loads: false, abi: null, message: '' } })).toMatchObject({
      ok: false,
      reason: 'failed',
      message: expect.stringContaining('gyp ERR! stack Error: `make` failed with exit code: 2'),
    });
    expect(r.judgeRebuild({ ...base, status: 0, output: '', probe: { loads: false, abi: 999, message: '' } })).toMatchObject({ ok: false, reason: 'wrong-abi' });
  });
});

describe('rebuildForElectron (stubbed spawn)', () => {
  it('offline: reports that Electron’s headers could not be fetched and puts Node’s module back (node-gyp had removed it)', () => {
    const root = project();
    const mod = r.modulePath(root);
    const { spawnSync, calls } = stub((m) => {
      fs.rmSync(m); // node-gyp rebuild starts by cleaning the build
      return { status: 1, stdout: OFFLINE, stderr: '' };
    });
    const logs: string[] = [];
    const v = r.rebuildForElectron({ root, env: {}, spawnSync, log: (s) => logs.push(s) });
    expect(v).toMatchObject({ ok: false, reason: 'headers', message: expect.stringMatching(/^Could not get Electron's headers/) });
    expect(fs.readFileSync(mod, 'utf8')).toBe('built-for-node');
    expect(calls).toHaveLength(1);
    expect(logs).toEqual(["Rebuilding better-sqlite3 for Electron 45.5.0 (ABI 150); the first time this downloads Electron's headers…"]);
  });

  it('runs electron-builder through node (not npx) with npm’s nodedir removed in any spelling', () => {
    const root = project();
    const { spawnSync, calls } = stub(() => ({ status: 1, stdout: OFFLINE, stderr: '' }));
    r.rebuildForElectron({ root, env: { PATH: '/usr/bin', npm_config_nodedir: '/usr', NPM_CONFIG_NODEDIR: '/usr', npm_config_cache: '/c' }, spawnSync, log: quiet });
    expect(calls[0]!.cmd).toBe(process.execPath);
    expect(calls[0]!.args).toEqual([path.join(root, 'node_modules/electron-builder/cli.js'), 'install-app-deps']);
    expect(calls[0]!.env).toEqual({ PATH: '/usr/bin', npm_config_cache: '/c' });
    expect(r.rebuildEnv({ Npm_Config_NodeDir: 'x', A: '1' })).toEqual({ A: '1' });
  });

  it('a rebuild that "succeeds" with Node’s ABI (nodedir pointing at Node’s headers) is reported, not trusted', () => {
    const root = project();
    const { spawnSync } = stub((m) => {
      fs.writeFileSync(m, 'built-for-node');
      return { status: 0, stdout: '• installing native dependencies', stderr: '' };
    });
    const v = r.rebuildForElectron({ root, env: {}, spawnSync, log: quiet });
    expect(v).toMatchObject({ ok: false, reason: 'node-abi' });
    expect(fs.readFileSync(r.modulePath(root), 'utf8')).toBe('built-for-node');
  });

  it('a real Electron build is kept in the cache: Node’s goes back without compiling, and the next start needs no rebuild', () => {
    const root = project();
    const mod = r.modulePath(root);
    const { spawnSync, calls } = stub((m) => {
      fs.writeFileSync(m, 'built-for-electron');
      return { status: 0, stdout: '', stderr: '' };
    });
    expect(r.rebuildForElectron({ root, env: {}, spawnSync, log: quiet })).toMatchObject({ ok: true, reason: 'ok' });
    expect(fs.readFileSync(mod, 'utf8')).toBe('built-for-electron');
    // the app quit: Node's build back, from the cache (no npm rebuild)
    expect(r.useNodeBuild({ root, spawnSync, log: quiet })).toMatchObject({ ok: true });
    expect(fs.readFileSync(mod, 'utf8')).toBe('built-for-node');
    // the next npm start: Electron's build from the cache (no second install-app-deps)
    expect(r.rebuildForElectron({ root, env: {}, spawnSync, log: quiet })).toMatchObject({ ok: true, message: expect.stringContaining('taken from node_modules/.cache/ferry-native') });
    expect(fs.readFileSync(mod, 'utf8')).toBe('built-for-electron');
    expect(calls.filter((c) => c.args[1] === 'install-app-deps')).toHaveLength(1);
    expect(fs.readdirSync(path.join(root, 'node_modules/.cache/ferry-native')).sort()).toEqual([
      `better_sqlite3-12.11.1-electron-45.5.0-abi150-${process.platform}-${process.arch}.node`,
      `better_sqlite3-12.11.1-node-${process.versions.node}-abi${NODE_ABI}-${process.platform}-${process.arch}.node`,
    ]);
  });

  it('useNodeBuild without a cached Node build: npm rebuild better-sqlite3, checked', () => {
    const root = project();
    const mod = r.modulePath(root);
    fs.writeFileSync(mod, 'built-for-electron');
    const { spawnSync, calls } = stub(
      () => ({ status: 1, stdout: '', stderr: '' }),
      () => {
        fs.writeFileSync(mod, 'built-for-node');
        return { status: 0, stdout: '', stderr: '' };
      },
    );
    expect(r.useNodeBuild({ root, spawnSync, log: quiet })).toMatchObject({ ok: true, message: 'better-sqlite3 rebuilt for Node.' });
    expect(calls.map((c) => c.args.join(' '))).toEqual(['rebuild better-sqlite3']);
  });
});
