import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { cliArgv } from '../../../src-main/app/cli-mode.ts';
import { spawnSync } from 'node:child_process';
import { repoRoot, tmpDir } from '../../helpers/tmp.ts';

describe('the app binary as the ferry command (cli-mode.ts)', () => {
  it('runs the CLI with what follows --cli; Chromium switches before it are not the CLI’s', () => {
    expect(cliArgv(['/opt/Ferry/ferry', '--ozone-platform=headless', '--cli', 'info', '--json'], {})).toEqual(['info', '--json']);
    expect(cliArgv(['C:\\Program Files\\Ferry\\Ferry.exe', '--cli', 'import', 'a b.csv', '--dry-run'], {})).toEqual(['import', 'a b.csv', '--dry-run']);
    // no command after --cli: the CLI's own usage (it answers exit 2)
    expect(cliArgv(['/opt/Ferry/ferry', '--cli'], {})).toEqual([]);
    // unpackaged: electron . --cli …
    expect(cliArgv(['/x/electron', '.', '--cli', '--help'], {})).toEqual(['--help']);
  });

  it('opens the window otherwise: no switch, a file from the desktop entry (%U), --cli only as argv[0] or as a CLI argument after a command is not a switch', () => {
    expect(cliArgv(['/opt/Ferry/ferry'], {})).toBeNull();
    expect(cliArgv(['/opt/Ferry/ferry', '/home/u/jan.csv'], {})).toBeNull();
    expect(cliArgv(['--cli'], {})).toBeNull();
    expect(cliArgv(['/opt/Ferry/ferry', '--no-sandbox'], {})).toBeNull();
  });

  it('an AppImage called through a link named ferry is the command line; called by its own name it is the app', () => {
    const appImage = { APPIMAGE: '/home/u/Apps/Ferry-0.1.0.AppImage' };
    expect(cliArgv(['/tmp/.mount_Ferry/ferry', 'info'], { ...appImage, ARGV0: '/home/u/.local/bin/ferry' })).toEqual(['info']);
    expect(cliArgv(['/tmp/.mount_Ferry/ferry', 'info'], { ...appImage, ARGV0: 'ferry' })).toEqual(['info']);
    expect(cliArgv(['/tmp/.mount_Ferry/ferry'], { ...appImage, ARGV0: '/home/u/Apps/Ferry-0.1.0.AppImage' })).toBeNull();
    // ARGV0 without an AppImage (a shell variable) decides nothing
    expect(cliArgv(['/opt/Ferry/ferry'], { ARGV0: 'ferry' })).toBeNull();
  });

  it('main.ts runs the CLI instead of the window when cliArgv says so, with the built worker and exits with its status', () => {
    const main = fs.readFileSync(path.join(repoRoot, 'src-main/app/main.ts'), 'utf8');
    expect(main).toContain('const cliArgs = cliArgv(process.argv, process.env);');
    expect(main).toMatch(/import\('\.\.\/cli\/main\.ts'\)/); // loaded only then: the window does not load the CLI
    expect(main).toMatch(/runCli\(cliArgs, undefined, \{ workerPath: path\.join\(here, 'worker\.js'\)/);
    expect(main).toMatch(/app\.exit\(code\)/);
    expect(main).toMatch(/if \(cliArgs\) return; \/\/ the command line runs \(above\): no window/);
  });
});

describe('the launchers the installers ship', () => {
  it('Linux: a POSIX shell script that runs the app binary two folders up (/opt/Ferry/resources/cli → /opt/Ferry/ferry) headless with --cli and every argument quoted', () => {
    const file = path.join(repoRoot, 'resources/cli/ferry');
    const sh = fs.readFileSync(file, 'utf8');
    expect(sh.startsWith('#!/bin/sh\n')).toBe(true);
    expect(sh).toMatch(/^exec "\$\(dirname "\$self"\)\/\.\.\/\.\.\/ferry" --ozone-platform=headless --cli "\$@"$/m);
    expect(sh).toContain('self=$(readlink -f "$0")'); // /usr/bin/ferry is a link to it
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o111).not.toBe(0);
    expect(sh).not.toMatch(/\r/);
  });

  it.skipIf(process.platform === 'win32')('Linux: called through a link (as /usr/bin/ferry), it runs the binary of its install folder with the arguments unchanged and passes its exit status on', () => {
    const opt = tmpDir('ferry-launcher-');
    fs.mkdirSync(path.join(opt, 'resources/cli'), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, 'resources/cli/ferry'), path.join(opt, 'resources/cli/ferry'));
    fs.chmodSync(path.join(opt, 'resources/cli/ferry'), 0o755);
    // a stand-in for the app's binary: prints each argument on a line, exits 3
    fs.writeFileSync(path.join(opt, 'ferry'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\nexit 3\n', { mode: 0o755 });
    const bin = tmpDir('ferry-usr-bin-');
    fs.symlinkSync(path.join(opt, 'resources/cli/ferry'), path.join(bin, 'ferry'));
    const r = spawnSync(path.join(bin, 'ferry'), ['import', 'jan 2024.csv', '--dry-run', ''], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('--ozone-platform=headless\n--cli\nimport\njan 2024.csv\n--dry-run\n\n');
  });

  it('Windows: ferry.cmd runs Ferry.exe beside it with --cli and all arguments, passing the exit status on (CRLF lines)', () => {
    const cmd = fs.readFileSync(path.join(repoRoot, 'resources/cli/ferry.cmd'), 'utf8');
    const lines = cmd.split('\r\n');
    expect(lines[0]).toBe('@echo off');
    expect(lines).toContain('"%~dp0Ferry.exe" --cli %*');
    expect(lines).toContain('exit /b %ERRORLEVEL%');
    expect(cmd.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('deb: after-install links /usr/bin/ferry to the launcher (not the binary) and after-remove takes that link away', () => {
    const inst = fs.readFileSync(path.join(repoRoot, 'resources/linux/after-install.sh'), 'utf8');
    expect(inst).toContain("CLI='/opt/${sanitizedProductName}/resources/cli/ferry'");
    expect(inst).toContain(`update-alternatives --install '/usr/bin/\${executable}' '\${executable}' "$CLI" 100 || ln -sf "$CLI" '/usr/bin/\${executable}'`);
    // electron-builder's own duties stay: the sandbox helper's mode
    expect(inst).toContain("chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox'");
    const rem = fs.readFileSync(path.join(repoRoot, 'resources/linux/after-remove.sh'), 'utf8');
    expect(rem).toContain("update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/resources/cli/ferry'");
  });
});
