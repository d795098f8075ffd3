/** Small ports so that nothing outside src-main/app needs Electron. */
import path from 'node:path';

export interface DialogPort {
  openFiles(o: { title?: string; multiple?: boolean; extensions?: string[] }): Promise<string[]>;
  saveFile(o: { title?: string; defaultName: string }): Promise<string | null>;
  /**
   * false where no dialog is shown to anyone (the CLI; `ferry serve`, whose saveFile names a file in the bridge's
   * temporary folder that the browser then downloads). app:info lists `files:dialogs` unless it is false.
   */
  readonly native?: boolean;
  /** the desktop app only: shows a file in the system's file manager (app:info lists files:showInFolder) */
  showItemInFolder?(path: string): void;
  /** the desktop app only: writes the window's page, printed, as a PDF at `path`; answers its bytes (app:info lists report:pdf) */
  printToPdf?(path: string): Promise<number>;
}

/**
 * A door that serves a browser without native dialogs (the bridge of `ferry serve`) moves files over HTTP: the page
 * uploads what it imports (registered as picked to read) and downloads what it exported. Absent in Electron and the CLI.
 */
export interface FileTransferPort {
  /** a same-origin link from which the browser downloads `file`, a file this door let the page write (an export) */
  downloadLink(file: string): { url: string; name: string; size: number };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: unknown, ...args: unknown[]) => unknown): void;
}

/**
 * Which file paths a door lets the handlers touch: `files:stat` reads, `export:start` and `files:writeText` write.
 * Each door chooses its policy when it opens Ferry:
 *  - the CLI (and code that opens Ferry itself: tests, benches) trusts the paths it is given: the user typed them;
 *  - the Electron app and the HTTP bridge serve a web page, which must not name files on its own: only paths the
 *    user picked in a dialog (or dropped on the window, Electron only) since the door started are allowed.
 */
export interface PathPolicy {
  /** how the policy decides, for messages and tests */
  readonly kind: 'typed' | 'picked';
  /** the user picked these files to read (open dialog, or a drop the door vouches for) */
  pickedToRead(paths: readonly string[]): void;
  /** the user picked this path to write (save dialog) */
  pickedToWrite(path: string): void;
  mayRead(path: string): boolean;
  mayWrite(path: string): boolean;
}

/** The CLI's policy: every path was typed by the user, so every path may be read and written. */
export function typedPaths(): PathPolicy {
  return {
    kind: 'typed',
    pickedToRead: () => undefined,
    pickedToWrite: () => undefined,
    mayRead: () => true,
    mayWrite: () => true,
  };
}

/** The policy of doors that serve a page (Electron, the bridge): only paths a dialog or a drop handed over. */
export function pickedPaths(): PathPolicy {
  const readable = new Set<string>();
  const writable = new Set<string>();
  const key = (p: string): string => path.resolve(p);
  return {
    kind: 'picked',
    pickedToRead(paths) {
      for (const p of paths) if (p) readable.add(key(p));
    },
    pickedToWrite(p) {
      if (p) writable.add(key(p));
    },
    mayRead: (p) => !!p && readable.has(key(p)),
    mayWrite: (p) => !!p && writable.has(key(p)),
  };
}

/** A dialog port whose answers are queued by a test (the bridge's replacement for native dialogs). */
export class QueuedDialogPort implements DialogPort {
  private readonly open: string[][] = [];
  private readonly save: (string | null)[] = [];
  queueOpen(paths: string[]): void {
    this.open.push(paths);
  }
  queueSave(path: string | null): void {
    this.save.push(path);
  }
  async openFiles(): Promise<string[]> {
    return this.open.shift() ?? [];
  }
  async saveFile(): Promise<string | null> {
    return this.save.length ? this.save.shift()! : null;
  }
}
