/**
 * Opens an address in the system's browser: xdg-open (Linux and BSDs, only with a display), open (macOS),
 * `start` (Windows). Resolves whether that seemed to work; callers print the address either way.
 */
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface OpenBrowserDeps {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  spawn?: (cmd: string, args: string[], o: SpawnOptions) => ChildProcess;
  /** how long to wait for the opener to fail before taking it as started (xdg-open may run the browser itself) */
  settleMs?: number;
}

export interface OpenOutcome {
  opened: boolean;
  /** why not, in plain words */
  reason?: string;
}

/** The command that opens `url`, or why there is none. */
export function browserCommand(url: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): { cmd: string; args: string[]; verbatim?: boolean } | { none: string } {
  if (platform === 'win32') {
    // cmd's `start` (the first quoted argument is the window title); the address is quoted, so & or ^ stay literal
    return { cmd: env.ComSpec ?? 'cmd.exe', args: ['/d', '/s', '/c', `start "" "${url.replace(/"/g, '%22')}"`], verbatim: true };
  }
  if (platform === 'darwin') return { cmd: 'open', args: [url] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { none: 'there is no graphical display here' };
  return { cmd: 'xdg-open', args: [url] };
}

export function openBrowser(url: string, deps: OpenBrowserDeps = {}): Promise<OpenOutcome> {
  const c = browserCommand(url, deps.platform ?? process.platform, deps.env ?? process.env);
  if ('none' in c) return Promise.resolve({ opened: false, reason: c.none });
  const spawn = deps.spawn ?? nodeSpawn;
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: OpenOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(o);
    };
    let child: ChildProcess;
    try {
      child = spawn(c.cmd, c.args, { stdio: 'ignore', detached: true, windowsHide: true, windowsVerbatimArguments: c.verbatim === true });
    } catch (e) {
      resolve({ opened: false, reason: `${c.cmd}: ${(e as Error).message}` });
      return;
    }
    const timer = setTimeout(() => {
      child.unref();
      finish({ opened: true });
    }, deps.settleMs ?? 3000);
    child.once('error', (e) => finish({ opened: false, reason: `${c.cmd} could not run (${(e as NodeJS.ErrnoException).code ?? e.message})` }));
    child.once('exit', (code) => finish(code === 0 ? { opened: true } : { opened: false, reason: `${c.cmd} failed (exit ${code})` }));
  });
}
