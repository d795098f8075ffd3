/**
 * Whether the app's binary was started as the `ferry` command, and with which arguments — a pure function (no electron
 * import) so it is unit-tested; main.ts then runs the CLI and exits without a window. The packaged app has Electron's
 * RunAsNode fuse off (electron-builder.yml), so the installed `ferry` command cannot be a Node script: the launchers
 * (resources/cli/ferry, ferry.cmd) run the app's binary with --cli, and an AppImage symlinked as `ferry` is one too.
 */
import path from 'node:path';

export const CLI_SWITCH = '--cli';

/**
 * The CLI's arguments when this start is the command line, else null (the window):
 * - everything after `--cli` (Chromium's switches, such as --ozone-platform=headless, come before it);
 * - an AppImage started through a link named `ferry` (its runtime sets APPIMAGE, and ARGV0 to the name it was called
 *   by): every argument after the binary.
 */
export function cliArgv(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] | null {
  const i = argv.indexOf(CLI_SWITCH, 1);
  if (i >= 0) return argv.slice(i + 1);
  if (env.APPIMAGE && env.ARGV0 && /^ferry(\.exe)?$/i.test(path.basename(env.ARGV0))) return argv.slice(1);
  return null;
}
