/**
 * Desktop integration decisions, kept out of main.ts so they are plain, tested functions (main.ts wires them):
 * the window and taskbar icon, and the files the app was asked to open (command line, a second start, macOS
 * open-file) as the import wizard that reads each (open-files.ts).
 */
import path from 'node:path';

/**
 * The window icon: on Windows none (the exe carries the ICO, which the taskbar shows); elsewhere the 512 PNG that
 * electron-builder puts beside the app (linux.extraResources → resources/icon.png) or, unpackaged, the repository's.
 */
export function windowIconPath(o: { platform: NodeJS.Platform; isPackaged: boolean; resourcesPath: string; appRoot: string }): string | undefined {
  if (o.platform === 'win32' && o.isPackaged) return undefined;
  return o.isPackaged ? path.join(o.resourcesPath, 'icon.png') : path.join(o.appRoot, 'resources', 'icon.png');
}

/**
 * The files on a command line that started the app (or a second start of it): what follows the binary (and, when
 * unpackaged, the app folder electron is given), minus Chromium's and Electron's switches. Relative paths are taken
 * from the folder the command ran in. Only what `isFile` says is a file is kept.
 */
export function filesFromArgv(argv: readonly string[], o: { isPackaged: boolean; cwd: string; isFile: (p: string) => boolean }): string[] {
  const rest = argv.slice(o.isPackaged ? 1 : 2);
  const out: string[] = [];
  for (const a of rest) {
    if (!a || a.startsWith('-')) continue;
    const p = path.isAbsolute(a) || /^[A-Za-z]:[\\/]/.test(a) ? a : path.resolve(o.cwd, a);
    if (o.isFile(p) && !out.includes(p)) out.push(p);
  }
  return out;
}
