import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { load } from 'js-yaml';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../../..');

function validator(): (cfg: unknown) => { ok: boolean; errors: string } {
  // electron-builder ships its JSON schema; ajv (a dependency of it) validates offline.
  const Ajv = require('ajv') as typeof import('ajv').default;
  const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  const validate = ajv.compile(schema);
  return (cfg) => ({ ok: validate(cfg) as boolean, errors: ajv.errorsText(validate.errors) });
}

describe('electron-builder.yml', () => {
  const cfg = load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
  const validate = validator();

  it('validates against electron-builder’s schema', () => {
    const r = validate(cfg);
    expect(r.errors).toBe('No errors');
    expect(r.ok).toBe(true);
  });

  it('builds the promised installers and unpacks the native module', () => {
    const win = cfg.win as { target: { target: string }[] };
    expect(win.target.map((t) => t.target).sort()).toEqual(['nsis', 'portable']);
    expect((cfg.linux as { target: string[] }).target.sort()).toEqual(['AppImage', 'deb']);
    expect(cfg.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
  });

  it('sets the Electron fuses of the security checklist', () => {
    expect(cfg.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // the schema knows these keys (a misspelt fuse would be rejected, not silently ignored)
    expect(validate({ ...cfg, electronFuses: { runAsNod: false } }).ok).toBe(false);
    // runAsNode off breaks process.fork in main: Ferry's jobs use worker_threads
    for (const dir of ['src-main/app', 'src-main/jobs']) {
      for (const f of fs.readdirSync(path.join(root, dir)).filter((x) => x.endsWith('.ts'))) {
        expect(fs.readFileSync(path.join(root, dir, f), 'utf8'), `${dir}/${f}`).not.toMatch(/child_process|\bfork\(/);
      }
    }
  });

  it('ships the ferry command: the Linux launcher as a resource, deb scripts linking it into /usr/bin, ferry.cmd beside Ferry.exe', () => {
    const linux = cfg.linux as { extraResources: { from: string; to: string }[] };
    expect(linux.extraResources).toContainEqual({ from: 'resources/cli/ferry', to: 'cli/ferry' });
    expect(cfg.deb).toEqual({ afterInstall: 'resources/linux/after-install.sh', afterRemove: 'resources/linux/after-remove.sh' });
    const win = cfg.win as { extraFiles: { from: string; to: string }[] };
    expect(win.extraFiles).toContainEqual({ from: 'resources/cli/ferry.cmd', to: 'ferry.cmd' });
    for (const f of ['resources/cli/ferry', 'resources/cli/ferry.cmd', 'resources/linux/after-install.sh', 'resources/linux/after-remove.sh']) expect(fs.existsSync(path.join(root, f)), f).toBe(true);
    // the launchers run the app binary: the fuse that would let a plain Node run stays off
    expect((cfg.electronFuses as { runAsNode: boolean }).runAsNode).toBe(false);
  });

  it('rejects a broken config (the validation is real)', () => {
    expect(validate({ ...cfg, notAnOption: true }).ok).toBe(false);
  });

  it('packs the built app that package.json points at', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };
    expect(pkg.main).toBe('out/main/index.js');
    // native and runtime modules must be dependencies (devDependencies get bundled or left out)
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['better-sqlite3', 'saxes', '@streamparser/json', 'zod']));
  });
});
