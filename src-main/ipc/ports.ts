/** Small ports so that nothing outside src-main/app needs Electron. */
export interface DialogPort {
  openFiles(o: { title?: string; multiple?: boolean; extensions?: string[] }): Promise<string[]>;
  saveFile(o: { title?: string; defaultName: string }): Promise<string | null>;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: unknown, ...args: unknown[]) => unknown): void;
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
