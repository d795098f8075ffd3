/**
 * Events in a transfer package are never refused because their period or completion expired on the way: the program's
 * expiryDays (E1047) and completeEventsExpiryDays (E1043) are the sender's to apply when the events are captured. The
 * same events imported as a plain file are refused, as DHIS2 refuses them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src-main/db/open.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import { EventsRepo } from '../../src-main/db/repos/events.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { EVENT_METADATA, loadEventMetadata } from '../helpers/events-import-metadata.ts';
import { writePackage } from '../helpers/receive-package.ts';
import type { ReceiveSummary } from '../../src-shared/transfer-receive.ts';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = tmpDir('ferry-receive-expiry-');
  dbPath = path.join(dir, 'district.sqlite');
  const db = openDb(dbPath);
  loadEventMetadata(db);
  const p = EVENT_METADATA.programs!.find((x) => x.id === 'ProgEvent01')!;
  new MetadataRepo(db).upsert('programs', { ...p, expiryPeriodType: 'Monthly', expiryDays: 10, completeEventsExpiryDays: 5 });
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const ev = (uid: string) => ({
  event: uid, program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: 'OuClinic001', occurredAt: '2024-03-01T00:00:00.000', status: 'COMPLETED',
  completedAt: '2024-03-02T00:00:00.000', dataValues: [{ dataElement: 'DeWeight001', value: '12.5' }, { dataElement: 'DeSex000001', value: 'MALE' }],
});
const stored = (): string[] => {
  const db = openDb(dbPath);
  try {
    return [...new EventsRepo(db).events({ includeDeleted: true })].flat().map((e) => e.event!).sort();
  } finally {
    db.close();
  }
};

describe('receiving events whose period has expired since they were captured', () => {
  it('imports them from a package; the same events as a plain file are refused with E1043 and E1047', async () => {
    const plain = path.join(dir, 'late.json');
    fs.writeFileSync(plain, JSON.stringify({ events: [ev('EvLate00001')] }));
    const r1 = await ferryCli(['--db', dbPath, 'import', plain, '--kind', 'events', '--json']);
    const codes = JSON.stringify(r1.json());
    expect(codes).toContain('E1043');
    expect(codes).toContain('E1047');
    expect(stored()).toEqual([]);

    const pkg = writePackage(dir, 'clinic-1.zip', { from: { id: 'SiteClinicA', name: 'Clinic A', orgUnit: 'OuClinic001' }, sequence: 1, values: [], events: { events: [ev('EvLate00001'), ev('EvLate00002')] } });
    const r2 = await ferryCli(['--db', dbPath, 'receive', pkg, '--json']);
    expect(r2.code, r2.stdout + r2.stderr).toBe(0);
    const s = r2.json<{ packages: { summary: ReceiveSummary }[] }>().packages[0]!.summary;
    expect(JSON.stringify(s.events)).not.toMatch(/E1043|E1047/);
    expect(stored()).toEqual(['EvLate00001', 'EvLate00002']);
  });
});
