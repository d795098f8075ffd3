/** `ferry import --kind events` from the command line: flags in kebab-case, exit status, text and --json output. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src-main/db/open.ts';
import { EventsRepo } from '../../src-main/db/repos/events.ts';
import type { TrackerImportReport } from '../../src-shared/dhis2/tracker.ts';
import type { EventImportSummaries } from '../../src-shared/dhis2/event-import-summaries.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { loadEventMetadata } from '../helpers/events-import-metadata.ts';

let dir: string;
let db: string;
beforeEach(() => {
  dir = tmpDir('ferry-events-cli-');
  db = path.join(dir, 'site.sqlite');
  const d = openDb(db);
  loadEventMetadata(d);
  d.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const liveEvents = (): string[] => {
  const d = openDb(db);
  try {
    return [...new EventsRepo(d).events()].flat().map((e) => e.event!);
  } finally {
    d.close();
  }
};

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const good = { event: 'EvCli000001', program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: 'OuClinic001', occurredAt: '2024-03-01', dataValues: [{ dataElement: 'DeWeight001', value: '5' }] };
const bad = { ...good, event: 'EvCli000002', orgUnit: 'NoSuchOu001' };
const twoEvents = (): string => `{"events": [\n${JSON.stringify(good)},\n${JSON.stringify(bad)}\n]}\n`;

describe('ferry import --kind events', () => {
  it('atomic mode ALL (tracker default): exit 1, the error with its line, nothing imported', async () => {
    const r = await ferryCli(['--db', db, 'import', file('two.json', twoEvents()), '--kind', 'events']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('import events: ERROR');
    expect(r.stdout).toContain('line 3: E1011 EVENT EvCli000002: Could not find OrganisationUnit: `NoSuchOu001`, linked to Event.');
    expect(liveEvents()).toEqual([]);
  });

  it('--atomic-mode OBJECT --json: the tracker ImportReport, the valid event imported', async () => {
    const r = await ferryCli(['--db', db, 'import', file('two.json', twoEvents()), '--kind', 'events', '--atomic-mode', 'OBJECT', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rep = r.json<TrackerImportReport>();
    expect(rep.responseType).toBe('TrackerImportReport');
    expect(rep.stats).toEqual({ created: 1, updated: 0, deleted: 0, ignored: 1, total: 2 });
    expect(rep.validationReport.errorReports).toEqual([
      { message: 'Could not find OrganisationUnit: `NoSuchOu001`, linked to Event.', errorCode: 'E1011', trackerType: 'EVENT', uid: 'EvCli000002', line: 3 },
    ]);
    expect(liveEvents()).toEqual(['EvCli000001']);
  });

  it('--import-mode VALIDATE is a dry run; --id-scheme CODE resolves codes', async () => {
    const byCode = file('code.json', JSON.stringify({ events: [{ ...good, program: 'MALARIA', programStage: 'CASE', orgUnit: 'CLINIC_A', dataValues: [{ dataElement: 'WEIGHT', value: '5' }] }] }));
    const dry = await ferryCli(['--db', db, 'import', byCode, '--kind', 'events', '--id-scheme', 'CODE', '--import-mode', 'VALIDATE']);
    expect(dry.code, dry.stdout).toBe(0);
    expect(dry.stdout).toContain('(dry run: nothing was changed): OK');
    expect(dry.stdout).toContain('created 1, updated 0, deleted 0, ignored 0');
    expect(liveEvents()).toEqual([]);
    const real = await ferryCli(['--db', db, 'import', byCode, '--kind', 'events', '--id-scheme', 'CODE']);
    expect(real.code).toBe(0);
    expect(liveEvents()).toEqual(['EvCli000001']);
  });

  it('an old events CSV without header (--skip-first false): ImportSummaries', async () => {
    const csv = file('old.csv', 'EvCli000003,ACTIVE,ProgEvent01,StageCase01,,OuClinic001,2024-03-01,,,,DeWeight001,8,,false,,,\n');
    const r = await ferryCli(['--db', db, 'import', csv, '--kind', 'events', '--format', 'events-csv', '--skip-first', 'false', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const s = r.json<EventImportSummaries>();
    expect([s.responseType, s.status, s.imported, s.importSummaries[0]?.reference]).toEqual(['ImportSummaries', 'SUCCESS', 1, 'EvCli000003']);
    expect(liveEvents()).toEqual(['EvCli000003']);
  });

  it('a bad option value is refused before anything runs (exit 2); --atomic-mode NONE is taken as OBJECT', async () => {
    const r = await ferryCli(['--db', db, 'import', file('two.json', twoEvents()), '--kind', 'events', '--atomic-mode', 'SOME']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/atomicMode/);
    expect(liveEvents()).toEqual([]);
    const none = await ferryCli(['--db', db, 'import', file('two.json', twoEvents()), '--kind', 'events', '--atomic-mode', 'NONE', '--json']);
    expect(none.json<TrackerImportReport>().stats).toMatchObject({ created: 1, ignored: 1 });
  });
});
