/**
 * Files the desktop asked Ferry to open (file associations, "Open with", a file dropped on the program, a second start
 * with a file): each goes to the import wizard that reads it, as the format registry sniffs its content
 * (services/import.ts detectFile). The page is told on a private channel (private-channels.ts OPEN_FILES_CHANNEL)
 * once it is listening; main lets files:stat read these paths as it does picked ones.
 */
import path from 'node:path';
import type { ImportKind } from '../../src-shared/dhis2/options.ts';
import type { OpenFilesRequest } from '../../src-shared/api/contract.ts';

/** The wizard (screen id, src-renderer/stores/app.ts ScreenId) that imports each kind a file can be sniffed as. */
export const SCREEN_FOR_KIND: Readonly<Record<ImportKind, OpenFilesRequest['screen'] | null>> = {
  metadata: 'import-metadata',
  data: 'import-data',
  pdf: 'import-data', // a filled PDF data entry form: Data import reads it
  events: 'import-events',
  geometry: 'import-geometry',
  'csv-metadata': 'import-csv-metadata',
  dhis14: 'import-dhis14',
  transfer: 'receive',
  undo: null,
};

/** By name when the content says nothing Ferry knows (the wizard's dry run then explains what is wrong with it). */
function screenByName(file: string): OpenFilesRequest['screen'] {
  const name = path.basename(file).toLowerCase();
  if (name.endsWith('.mdb')) return 'import-dhis14';
  if (name.endsWith('.geojson') || name.endsWith('.gml')) return 'import-geometry';
  return 'import-data';
}

/**
 * Groups the files by the wizard that reads them, in the order given (the first group is the screen shown).
 * `detect` is detectFile (injected: tests give canned kinds; a file it cannot read is routed by its name).
 */
export async function routeFiles(files: readonly string[], detect: (file: string) => Promise<{ kind: ImportKind }>): Promise<OpenFilesRequest[]> {
  const groups: OpenFilesRequest[] = [];
  for (const file of files) {
    let screen: OpenFilesRequest['screen'];
    try {
      screen = SCREEN_FOR_KIND[(await detect(file)).kind] ?? screenByName(file);
    } catch {
      screen = screenByName(file);
    }
    const g = groups.find((x) => x.screen === screen);
    if (g) g.paths.push(file);
    else groups.push({ screen, paths: [file] });
  }
  return groups;
}

/**
 * Holds what arrives before the page listens (a file on the first command line is known before the window loads)
 * and hands it over once it does; later arrivals go straight through.
 */
export class OpenFilesQueue {
  private pending: OpenFilesRequest[] = [];
  private send: ((r: OpenFilesRequest) => void) | null = null;

  push(requests: readonly OpenFilesRequest[]): void {
    for (const r of requests) {
      if (this.send) this.send(r);
      else this.pending.push(r);
    }
  }

  /** the page listens (again, after a reload): what waited goes to it, in order */
  ready(send: (r: OpenFilesRequest) => void): void {
    this.send = send;
    const waiting = this.pending;
    this.pending = [];
    for (const r of waiting) send(r);
  }

  /** the window went away: hold again until the next page listens */
  detach(): void {
    this.send = null;
  }
}
