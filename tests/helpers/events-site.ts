/**
 * A fresh site for each test of the events import (its own database with the program model of events-import-metadata.ts,
 * opened in inline job mode, removed after the test) and a tracker payload imported through import:start, as the CLI
 * and the screens start it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import { tmpDir } from './tmp.ts';
import { loadEventMetadata } from './events-import-metadata.ts';

export interface EventsSite {
  readonly ferry: Ferry;
  readonly dir: string;
  /** writes the payload as a JSON file of the site's folder and imports it (kind events); the finished job */
  importPayload(payload: unknown, options?: Record<string, unknown>): Promise<JobRecord>;
  /** writes a file of the site's folder: a string as it is, anything else as JSON; its path */
  write(name: string, content: unknown): string;
  /** imports a file (kind events unless said) through import:start; the finished job */
  importFile(file: string, options?: Record<string, unknown>, kind?: string): Promise<JobRecord>;
}

export function eventsSite(prefix: string): EventsSite {
  let ferry: Ferry | null = null;
  let dir = '';
  let n = 0;
  beforeEach(() => {
    dir = tmpDir(prefix);
    ferry = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
    loadEventMetadata(ferry.db);
  });
  afterEach(async () => {
    await ferry?.close();
    ferry = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const site: EventsSite = {
    get ferry(): Ferry {
      if (!ferry) throw new Error('eventsSite: no site outside a test');
      return ferry;
    },
    get dir(): string {
      return dir;
    },
    importPayload: (payload, options = {}) => site.importFile(site.write(`payload-${++n}.json`, payload), options),
    write: (name, content) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return p;
    },
    importFile: async (file, options = {}, kind = 'events') => {
      const r = await invoke(site.ferry.handlers, 'import:start', { files: [file], kind, options });
      if (!r.ok) throw new Error(r.error.message);
      return site.ferry.jobs.wait((r.value as { jobId: number }).jobId);
    },
  };
  return site;
}
