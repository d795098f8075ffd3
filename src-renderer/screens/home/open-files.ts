/**
 * Files the desktop asked Ferry to open (a file association, "Open with", a file on the command line: the Electron
 * main routes each to the wizard that reads it, src-main/app/open-files.ts): the page shows that wizard at its files
 * step with the files listed, through the same addPaths a picked or dropped file takes (files:stat, the same checks).
 */
import { useEffect } from 'react';
import type { OpenFilesRequest } from '../../../src-shared/api/contract.ts';
import { getApi } from '../../api.ts';
import { useApp } from '../../stores/app.ts';
import { useDataImport, useMetadataImport } from '../../stores/imports.ts';
import { useCsvMetadataImport } from '../../stores/csv-metadata.ts';
import { useGeometryImport } from '../../stores/geometry.ts';
import { useEventsImport } from '../../stores/events-import.ts';
import { useDhis14Import } from '../../stores/dhis14-import.ts';
import { useReceive } from '../../stores/receive.ts';

interface FileTaker {
  addPaths(paths: string[]): Promise<void>;
  reset(): void;
  /** a job of this wizard is running: its files stay as they are */
  busy: boolean;
}

function taker(screen: OpenFilesRequest['screen']): FileTaker {
  if (screen === 'receive') {
    const s = useReceive.getState();
    return { addPaths: s.addPaths, reset: s.reset, busy: s.running };
  }
  const store = {
    'import-metadata': useMetadataImport,
    'import-data': useDataImport,
    'import-csv-metadata': useCsvMetadataImport,
    'import-geometry': useGeometryImport,
    'import-events': useEventsImport,
    'import-dhis14': useDhis14Import,
  }[screen];
  const s = store.getState();
  return { addPaths: s.addPaths, reset: s.reset, busy: s.run.phase === 'running' };
}

/** Shows the wizard with the files; a wizard past its files step starts over (a running job is left alone). */
export async function openRequestedFiles(r: OpenFilesRequest): Promise<void> {
  const t = taker(r.screen);
  useApp.getState().navigate(r.screen);
  if (t.busy) return;
  t.reset();
  await taker(r.screen).addPaths(r.paths);
}

/** Listens for files to open for as long as the app is shown (Electron only; the bridge has no such event). */
export function useOpenFiles(): void {
  useEffect(() => getApi().onOpenFiles?.((r) => void openRequestedFiles(r)), []);
}
