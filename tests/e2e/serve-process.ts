/**
 * Browser tests of `ferry serve` / `npm start` as processes: start one, wait for the address it prints, stop it with a
 * signal; and the memory of a process as Linux counts it (/proc/PID/status VmRSS, VmHWM = peak since start or reset).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface ServeProcess {
  child: ChildProcess;
  /** http://127.0.0.1:PORT */
  url: string;
  token: string;
  /** the address printed to open: url/#token=… */
  pageUrl: string;
  out(): string;
  err(): string;
  exited: Promise<number | null>;
  /** resolves when every process writing to its output ended (a server started by npm start outlives npm) */
  outputClosed: Promise<void>;
  /** sends the signal and resolves with the exit status */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns a command that ends up printing "open http://127.0.0.1:PORT/#token=…" and resolves once it did. */
export function spawnServe(
  cmd: string,
  args: string[],
  o: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    timeoutMs?: number;
    /** its own process group, signalled as a whole: what Ctrl+C in a terminal does (npm, its shell and node all get it) */
    group?: boolean;
  },
): Promise<ServeProcess> {
  const child = spawn(cmd, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: o.group === true });
  const signal = (sig: NodeJS.Signals): void => {
    try {
      if (o.group && child.pid) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      /* gone already */
    }
  };
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const outputClosed = new Promise<void>((r) => child.stdout!.on('close', () => r()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal('SIGKILL');
      reject(new Error(`no address printed within ${o.timeoutMs ?? 120_000} ms:\n${out}\n${err}`));
    }, o.timeoutMs ?? 120_000);
    const check = (): void => {
      const m = /open (http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve({
        child,
        url: m[1]!,
        token: m[2]!,
        pageUrl: `${m[1]!}/#token=${m[2]!}`,
        out: () => out,
        err: () => err,
        exited,
        outputClosed,
        stop(sig = 'SIGINT') {
          signal(sig);
          return exited;
        },
      });
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited (${code}) before printing an address:\n${out}\n${err}`));
    });
  });
}

/** VmRSS and VmHWM of a process in bytes (Linux). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Resets the peak (VmHWM) to the current RSS (Linux: clear_refs 5); false where that is not allowed. */
export function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export const MB = 1024 * 1024;
